"""The locale registry: every fact about each locale, and negotiation and fallback on top of it.

Each :class:`LocaleInfo` of :data:`REGISTRY` says what one locale is (code, content locale,
script, HTML ``lang``, Babel data), what its reader most likely uses (currency, time zone),
how it is labelled in the switcher, where its missing text falls back to, and how search
analyses its text (the server engines' analyzer, the embedded engine's stemmer). Everything
else (schemas, search mappings, pages, demo data) derives from it. Adding a locale is one
entry here, its ``translations/<code>/LC_MESSAGES/messages.po`` and, when its analyzer is a
new one, the analysis in :mod:`search.analysis` and :mod:`search.dsl`.

Content and UI locales are ``zh``, ``ru``, ``kk`` (Kazakh in Cyrillic), ``uz`` (Uzbek in the
Latin alphabet) and ``en``. ``kk-Latn`` is a *reading* of Kazakh: the ``kk`` text rendered in
the 2021 Latin alphabet by transliteration, never a separate translation.
"""

from __future__ import annotations

import re
import typing as t
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Sequence
from dataclasses import dataclass

from babel import Locale

from translations.scripts import kazakh_to_latin

#: How the embedded engine stems a locale's words: ``snowball`` (Russian for Cyrillic words,
#: English for Latin ones), ``kazakh`` (Kazakh endings, every reading kept) or ``none``.
Stemmer = t.Literal["snowball", "kazakh", "none"]


@dataclass(frozen=True)
class LocaleInfo:
    """Everything the catalog knows about one locale a reader may ask for."""

    #: The tag readers ask for (``?locale=``), e.g. ``kk-Latn``.
    code: str
    #: The content locale whose text is read (``kk`` for ``kk-Latn``).
    content: str
    #: ISO 15924 script of the text as shown.
    script: str
    #: The page's ``lang`` attribute (BCP 47).
    html_lang: str
    #: The locale's name in its own language, as the locale switcher shows it.
    label: str
    #: The currency a reader most likely pays in, when they have not chosen one.
    currency: str
    #: The IANA time zone a reader most likely lives in.
    time_zone: str
    #: The analyzer of the locale's text fields on Elasticsearch and OpenSearch.
    analyzer: str
    #: How the embedded engine stems the locale's words.
    stemmer: Stemmer
    #: Where a missing translation goes first when the fallback chain does not name the
    #: locale (``None``: the chain as written).
    falls_back_to: str | None = None
    #: Turns text of :attr:`content` into what this reader sees (``None``: shown as written).
    rendering: Callable[[str], str] | None = None

    @property
    def is_reading(self) -> bool:
        """Whether this locale only renders another locale's content (``kk-Latn``)."""
        return self.code != self.content

    def render(self, text: str) -> str:
        """*text* of the content locale as this reader sees it."""
        return self.rendering(text) if self.rendering is not None else text


#: Every locale a reader may ask for, in switcher order. Babel's CLDR data names Kazakh
#: "қазақ тілі"; the switcher uses the everyday self-name "Қазақша" and its Latin spelling.
REGISTRY: dict[str, LocaleInfo] = {
    info.code: info
    for info in (
        LocaleInfo("zh", "zh", "Hans", "zh-Hans", "中文", "CNY", "Asia/Shanghai", "cjk", "snowball"),
        LocaleInfo("ru", "ru", "Cyrl", "ru", "Русский", "RUB", "Europe/Moscow", "russian", "snowball"),
        LocaleInfo("kk", "kk", "Cyrl", "kk", "Қазақша", "KZT", "Asia/Almaty", "kazakh", "kazakh"),
        LocaleInfo(
            "kk-Latn", "kk", "Latn", "kk-Latn", "Qazaqşa", "KZT", "Asia/Almaty", "kazakh", "kazakh",
            rendering=kazakh_to_latin,
        ),
        LocaleInfo(
            "uz", "uz", "Latn", "uz-Latn", "Oʻzbekcha", "UZS", "Asia/Tashkent", "uzbek", "none",
            falls_back_to="ru",
        ),
        LocaleInfo("en", "en", "Latn", "en", "English", "USD", "Asia/Urumqi", "english", "snowball"),
    )
}  # fmt: skip

#: Every locale a reader may ask for, in switcher order.
READING_LOCALES: tuple[str, ...] = tuple(REGISTRY)
#: Locales that content is written in and that the UI is translated to.
CONTENT_LOCALES: tuple[str, ...] = tuple(code for code, info in REGISTRY.items() if not info.is_reading)
#: The Latin-script reading of Kazakh.
KAZAKH_LATIN = "kk-Latn"
#: Used when nothing in the request names a supported locale.
DEFAULT_LOCALE = "zh"
#: Default order in which a missing translation falls back (a ring, see :func:`fallback_chain`).
DEFAULT_FALLBACK_CHAIN: tuple[str, ...] = ("kk", "ru", "en", "zh")

#: Each locale's name in its own language, as the locale switcher shows it.
SWITCHER_LABELS: dict[str, str] = {code: info.label for code, info in REGISTRY.items()}


def locale_info(locale: str) -> LocaleInfo:
    """The registry entry of a supported locale tag (any spelling :func:`parse_locale` takes)."""
    return REGISTRY[parse_locale(locale)]


def content_locale(locale: str) -> str:
    """The content locale a reader of *locale* reads (``kk-Latn`` → ``kk``); unknown tags pass."""
    info = REGISTRY.get(locale)
    return info.content if info is not None else locale


_BCP47_SEPARATOR = re.compile(r"[-_]")
#: Each supported tag by its lowercase subtags (``("kk", "latn")`` → ``kk-Latn``).
_BY_SUBTAGS: dict[tuple[str, ...], str] = {tuple(code.lower().split("-")): code for code in REGISTRY}
_LANGUAGE_RANGE = re.compile(r"^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")
_QUALITY = re.compile(r"^[qQ]\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


class UnknownLocale(ValueError):
    """An explicitly asked locale is not one the catalog offers (HTTP 422)."""

    def __init__(self, value: str, allowed: Sequence[str] = READING_LOCALES) -> None:
        self.value = value
        self.allowed = tuple(allowed)
        super().__init__(f"unknown locale {value!r}; use one of: {', '.join(self.allowed)}")


class InvalidFallbackChain(ValueError):
    """A per-product fallback chain names unknown or repeated locales."""


@dataclass(frozen=True)
class FallbackChain:
    """Where to look for a product's text when *asked* is requested.

    :param asked: the locale the reader asked for (may be ``kk-Latn``).
    :param locales: content locales to try, in order.
    :param latin_rendering: Kazakh text found along the chain must be
        transliterated to the Latin alphabet before it is shown.
    """

    asked: str
    locales: tuple[str, ...]
    latin_rendering: bool

    def pick(self, available: Collection[str]) -> str | None:
        """Return the first locale of the chain that has a translation, or ``None``."""
        return next((loc for loc in self.locales if loc in available), None)

    def fallback_from(self, used_locale: str) -> str | None:
        """Return *used_locale* when it is not the asked one (the API's ``fallback_from``)."""
        return None if used_locale == self.locales[0] else used_locale

    def needs_transliteration(self, used_locale: str) -> bool:
        """Tell whether text taken from *used_locale* must be rendered (Kazakh in Latin)."""
        return self.latin_rendering and used_locale == self.locales[0]


def normalize_locale(value: str) -> str | None:
    """Return the canonical spelling of a supported locale tag, or ``None``.

    Case and ``_``/``-`` are forgiven (``KK_latn`` → ``kk-Latn``); region
    subtags are not, so ``ru-RU`` is ``None`` here (see :func:`match_language_tag`).
    """
    parts = [p.lower() for p in _BCP47_SEPARATOR.split(value.strip()) if p]
    return _BY_SUBTAGS.get(tuple(parts))


def parse_locale(value: str) -> str:
    """Validate an explicitly asked locale (``?locale=``); raise :class:`UnknownLocale`."""
    locale = normalize_locale(value)
    if locale is None:
        raise UnknownLocale(value)
    return locale


def match_language_tag(tag: str) -> str | None:
    """Map one BCP 47 language tag to a supported locale, or ``None``.

    ``ru-RU`` → ``ru``, ``zh-Hans-CN`` → ``zh``, ``kk-KZ`` → ``kk``,
    ``kk-Latn-KZ`` → ``kk-Latn``, ``uz-Latn-UZ`` → ``uz``. Traditional Chinese (``zh-Hant``, ``zh-TW``)
    still maps to ``zh``: it is the closest content the catalog has.
    """
    parts = [p.lower() for p in _BCP47_SEPARATOR.split(tag.strip()) if p]
    if not parts or parts[0] not in CONTENT_LOCALES:
        return None
    for subtags, code in _BY_SUBTAGS.items():
        if len(subtags) > 1 and subtags[0] == parts[0] and subtags[1] in parts[1:]:
            return code
    return parts[0]


def parse_accept_language(header: str) -> list[tuple[str, float]]:
    """Parse an ``Accept-Language`` header into ``(range, q)`` pairs, best first.

    Malformed items are skipped (a header is advice, not input to reject);
    ranges with ``q=0`` are dropped as "not acceptable". Ties keep header order.
    """
    ranges: list[tuple[str, float, int]] = []
    for position, item in enumerate(header.split(",")):
        tag, *params = (part.strip() for part in item.split(";"))
        if not tag or not _LANGUAGE_RANGE.match(tag):
            continue
        quality = 1.0
        for param in params:
            found = _QUALITY.match(param)
            if found is None:
                if param.lower().startswith("q"):
                    quality = -1.0  # a malformed weight makes the whole item unusable
                continue
            quality = float(found.group(1))
        if quality > 0:
            ranges.append((tag, quality, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(tag, quality) for tag, quality, _ in ranges]


def negotiate_locale(
    explicit: str | None = None,
    saved: str | None = None,
    accept_language: str | None = None,
    default: str = DEFAULT_LOCALE,
) -> str:
    """Choose the reading locale for a request.

    Order: the explicit ``?locale=`` value (invalid → :class:`UnknownLocale`),
    then the saved choice from the cookie (ignored when stale or invalid), then
    the best supported ``Accept-Language`` range, then *default*.
    """
    if explicit is not None and explicit != "":
        return parse_locale(explicit)
    if saved:
        chosen = normalize_locale(saved)
        if chosen is not None:
            return chosen
    if accept_language:
        for tag, _quality in parse_accept_language(accept_language):
            matched = match_language_tag(tag)
            if matched is not None:
                return matched
    return default


def validate_fallback_chain(chain: Sequence[str]) -> tuple[str, ...]:
    """Check a per-product fallback chain; raise :class:`InvalidFallbackChain`."""
    if not chain:
        raise InvalidFallbackChain("a fallback chain needs at least one locale")
    unknown = [loc for loc in chain if loc not in CONTENT_LOCALES]
    if unknown:
        raise InvalidFallbackChain(
            f"unknown locale(s) in fallback chain: {', '.join(map(repr, unknown))}; "
            f"use content locales {', '.join(CONTENT_LOCALES)}"
        )
    repeated = sorted({loc for loc in chain if chain.count(loc) > 1})
    if repeated:
        raise InvalidFallbackChain(f"fallback chain repeats {', '.join(repeated)}")
    return tuple(chain)


def fallback_chain(asked: str, product_chain: Sequence[str] | None = None) -> FallbackChain:
    """Return the ordered locales to try for a reader asking *asked*.

    The chain (default ``kk → ru → en → zh``) is read as a ring starting at the
    asked locale: first the asked locale, then those after it, then those
    before it, so every locale of the chain is tried once. With the default,
    ``ru`` gives ``ru, en, zh, kk``. A locale the chain does not name comes first and
    continues the ring where its :attr:`LocaleInfo.falls_back_to` sits (``uz`` gives
    ``uz, ru, en, zh, kk``). ``kk-Latn`` uses the ``kk`` chain and sets
    :attr:`FallbackChain.latin_rendering`.
    """
    info = REGISTRY[parse_locale(asked)]
    chain = DEFAULT_FALLBACK_CHAIN if product_chain is None else product_chain
    chain = validate_fallback_chain(chain)
    if info.content in chain:
        ordered = _ring_from(chain, info.content)
    elif info.falls_back_to in chain:
        ordered = (info.content, *_ring_from(chain, info.falls_back_to))
    else:
        ordered = (info.content, *chain)
    return FallbackChain(asked=info.code, locales=ordered, latin_rendering=info.rendering is not None)


def _ring_from(chain: tuple[str, ...], start: str) -> tuple[str, ...]:
    at = chain.index(start)
    return chain[at:] + chain[:at]


def to_latin(text: str) -> str:
    """Render Kazakh Cyrillic *text* in the 2021 Latin alphabet."""
    return kazakh_to_latin(text)


def render_text(text: str, chain: FallbackChain, used_locale: str) -> str:
    """Return *text* from *used_locale* as the reader of *chain* should see it."""
    return REGISTRY[chain.asked].render(text) if chain.needs_transliteration(used_locale) else text


def render_for(locale: str, text: str) -> str:
    """UI *text* of *locale*'s content locale as its reader sees it (Kazakh Latin transliterated)."""
    info = REGISTRY.get(locale)
    return info.render(text) if info is not None else text


def babel_locale(locale: str) -> Locale:
    """Return the Babel locale whose data formats *locale* (``kk`` for ``kk-Latn``)."""
    return Locale.parse(locale_info(locale).content)


def language_name(locale: str, in_locale: str) -> str:
    """Name *locale* in the language of *in_locale* (``language_name("kk", "ru")`` → "казахский").

    A locale named in its own language uses :data:`SWITCHER_LABELS`.
    """
    info = locale_info(locale)
    reader = locale_info(in_locale)
    if info == reader:
        return info.label
    data = babel_locale(reader.code)
    if info.is_reading:
        name = f"{data.languages[info.content]} ({data.scripts[info.script]})"
    else:
        name = data.languages.get(info.code, info.code)
    return reader.render(name)


def content_options() -> list[tuple[str, str]]:
    """Return ``(locale, label)`` pairs of the content locales, in display order."""
    return [(loc, SWITCHER_LABELS[loc]) for loc in CONTENT_LOCALES]


def switcher_options() -> list[tuple[str, str]]:
    """Return ``(locale, label)`` pairs for the locale switcher, in display order."""
    return [(loc, SWITCHER_LABELS[loc]) for loc in READING_LOCALES]
