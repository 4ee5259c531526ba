"""Locales, their names, fallback chains and locale negotiation.

Content and UI locales are ``zh``, ``ru``, ``kk`` (Kazakh in Cyrillic) and ``en``.
``kk-Latn`` is a *reading* of Kazakh: the ``kk`` text rendered in the 2021 Latin
alphabet by transliteration, never a separate translation.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Collection
from collections.abc import Sequence
from dataclasses import dataclass

from babel import Locale

#: Locales that content is written in and that the UI is translated to.
CONTENT_LOCALES: tuple[str, ...] = ("zh", "ru", "kk", "en")
#: The Latin-script reading of Kazakh.
KAZAKH_LATIN = "kk-Latn"
#: Every locale a reader may ask for, in switcher order.
READING_LOCALES: tuple[str, ...] = ("zh", "ru", "kk", KAZAKH_LATIN, "en")
#: Used when nothing in the request names a supported locale.
DEFAULT_LOCALE = "zh"
#: Default order in which a missing translation falls back.
DEFAULT_FALLBACK_CHAIN: tuple[str, ...] = ("kk", "ru", "en", "zh")

#: Each locale's name in its own language, as the locale switcher shows it.
#: Babel's CLDR data names Kazakh "қазақ тілі"; the switcher uses the everyday
#: self-name "Қазақша" and its Latin spelling instead.
SWITCHER_LABELS: dict[str, str] = {
    "zh": "中文",
    "ru": "Русский",
    "kk": "Қазақша",
    KAZAKH_LATIN: "Qazaqşa",
    "en": "English",
}

_BCP47_SEPARATOR = re.compile(r"[-_]")
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
        """Tell whether text taken from *used_locale* must be shown in Kazakh Latin."""
        return self.latin_rendering and used_locale == "kk"


def normalize_locale(value: str) -> str | None:
    """Return the canonical spelling of a supported locale tag, or ``None``.

    Case and ``_``/``-`` are forgiven (``KK_latn`` → ``kk-Latn``); region
    subtags are not, so ``ru-RU`` is ``None`` here (see :func:`match_language_tag`).
    """
    parts = [p for p in _BCP47_SEPARATOR.split(value.strip()) if p]
    if len(parts) == 1 and parts[0].lower() in CONTENT_LOCALES:
        return parts[0].lower()
    if len(parts) == 2 and parts[0].lower() == "kk" and parts[1].lower() == "latn":
        return KAZAKH_LATIN
    return None


def parse_locale(value: str) -> str:
    """Validate an explicitly asked locale (``?locale=``); raise :class:`UnknownLocale`."""
    locale = normalize_locale(value)
    if locale is None:
        raise UnknownLocale(value)
    return locale


def match_language_tag(tag: str) -> str | None:
    """Map one BCP 47 language tag to a supported locale, or ``None``.

    ``ru-RU`` → ``ru``, ``zh-Hans-CN`` → ``zh``, ``kk-KZ`` → ``kk``,
    ``kk-Latn-KZ`` → ``kk-Latn``. Traditional Chinese (``zh-Hant``, ``zh-TW``)
    still maps to ``zh``: it is the closest content the catalog has.
    """
    parts = [p.lower() for p in _BCP47_SEPARATOR.split(tag.strip()) if p]
    if not parts or parts[0] not in CONTENT_LOCALES:
        return None
    if parts[0] == "kk" and "latn" in parts[1:]:
        return KAZAKH_LATIN
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
    ``ru`` gives ``ru, en, zh, kk``. ``kk-Latn`` uses the ``kk`` chain and sets
    :attr:`FallbackChain.latin_rendering`.
    """
    locale = parse_locale(asked)
    chain = DEFAULT_FALLBACK_CHAIN if product_chain is None else product_chain
    chain = validate_fallback_chain(chain)
    content_locale = "kk" if locale == KAZAKH_LATIN else locale
    if content_locale in chain:
        start = chain.index(content_locale)
        ordered = chain[start:] + chain[:start]
    else:
        ordered = (content_locale, *chain)
    return FallbackChain(asked=locale, locales=ordered, latin_rendering=locale == KAZAKH_LATIN)


def to_latin(text: str) -> str:
    """Render Kazakh Cyrillic *text* in the 2021 Latin alphabet."""
    # Imported on first use: the table lives in search.analysis, which loads stemmers.
    analysis = importlib.import_module("search.analysis")
    return str(analysis.kazakh_to_latin(text))


def render_text(text: str, chain: FallbackChain, used_locale: str) -> str:
    """Return *text* from *used_locale* as the reader of *chain* should see it."""
    return to_latin(text) if chain.needs_transliteration(used_locale) else text


def babel_locale(locale: str) -> Locale:
    """Return the Babel locale whose data formats *locale* (``kk`` for ``kk-Latn``)."""
    locale = parse_locale(locale)
    return Locale.parse("kk" if locale == KAZAKH_LATIN else locale)


def language_name(locale: str, in_locale: str) -> str:
    """Name *locale* in the language of *in_locale* (``language_name("kk", "ru")`` → "казахский").

    A locale named in its own language uses :data:`SWITCHER_LABELS`.
    """
    locale = parse_locale(locale)
    in_locale = parse_locale(in_locale)
    if locale == in_locale:
        return SWITCHER_LABELS[locale]
    data = babel_locale(in_locale)
    if locale == KAZAKH_LATIN:
        name = f"{data.languages['kk']} ({data.scripts['Latn']})"
    else:
        name = data.languages.get(locale, locale)
    return to_latin(name) if in_locale == KAZAKH_LATIN else name


def switcher_options() -> list[tuple[str, str]]:
    """Return ``(locale, label)`` pairs for the locale switcher, in display order."""
    return [(loc, SWITCHER_LABELS[loc]) for loc in READING_LOCALES]
