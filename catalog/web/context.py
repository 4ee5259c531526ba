"""What every page needs to know: the reader's locale and currency, UI text and small helpers."""

from __future__ import annotations

import html
import re
import typing as t
import urllib.parse
from decimal import Decimal

from flask import Flask
from flask import request
from flask import url_for
from flask_babel import gettext as babel_gettext
from flask_babel import ngettext as babel_ngettext
from markupsafe import Markup

from catalog.models import ExchangeRate
from catalog.negotiation import CURRENCY_COOKIE as CURRENCY_COOKIE
from catalog.negotiation import page_currency as page_currency
from catalog.negotiation import page_locale as page_locale
from catalog.services.pricing import NoRate
from catalog.services.pricing import convert
from translations.formatting import country_name
from translations.formatting import flag_emoji
from translations.formatting import format_money
from translations.formatting import is_country_code
from translations.locales import REGISTRY
from translations.locales import fallback_chain
from translations.locales import render_for
from translations.locales import render_text
from translations.locales import switcher_options

#: ``lang`` attribute values (BCP 47) of the reading locales.
HTML_LANG = {code: info.html_lang for code, info in REGISTRY.items()}
_MARK = re.compile(r"(</?mark>)")


def in_page_script(text: str) -> str:
    """*text* (already in the page's language) in the page's script: Kazakh readers of Latin get it transliterated."""
    return render_for(page_locale(), text)


def _(msgid: str, /, **values: t.Any) -> str:
    """*message* translated to the page's language (Kazakh readers of Latin get it transliterated)."""
    return in_page_script(babel_gettext(msgid, **values))


def ngettext(singular: str, plural: str, num: int, /, **values: t.Any) -> str:
    """The singular or plural form of a message for *num*, translated like :func:`_`."""
    return in_page_script(babel_ngettext(singular, plural, num, **values))


def money(amount: Decimal, source: str, target: str, rates: t.Mapping[str, ExchangeRate]) -> str:
    """*amount* of *source* shown in *target* for this page's locale (in *source* without a rate)."""
    try:
        converted, _as_of = convert(amount, source, target, rates)
    except NoRate:
        return format_money(amount, source, page_locale())
    return format_money(converted, target, page_locale())


def name_in(names: t.Mapping[str, str], fallback: str) -> str:
    """The entry of *names* (by content locale) for this page's reader, else *fallback*."""
    chain = fallback_chain(page_locale())
    used = chain.pick([loc for loc, name in names.items() if name])
    return render_text(names[used], chain, used) if used else fallback


def country(code: str | None) -> str:
    """A country's name in the page's language, or the code as it is when unknown."""
    if not code or not is_country_code(code):
        return code or ""
    return country_name(code, page_locale())


def flag(code: str | None) -> str:
    """The flag emoji of a country code ("" when unknown)."""
    return flag_emoji(code) if code and is_country_code(code) else ""


def highlight_markup(fragment: str) -> Markup:
    """A search highlight as safe HTML: everything escaped except ``<mark>`` and ``</mark>``.

    Engines may send the text escaped or not; it is unescaped first, so it is escaped exactly once.
    """
    parts = _MARK.split(fragment)
    out = [part if part in ("<mark>", "</mark>") else html.escape(html.unescape(part)) for part in parts]
    opened = sum(1 for p in parts if p == "<mark>") - sum(1 for p in parts if p == "</mark>")
    out.extend(["</mark>"] * max(opened, 0))
    return Markup("".join(out))


def url_with(**changes: t.Any) -> str:
    """This page's URL with query parameters changed (``None`` removes one; lists repeat it)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        args.extend((key, str(v)) for v in values)
    query = urllib.parse.urlencode(args)
    return request.path + ("?" + query if query else "")


def switcher_links() -> list[dict[str, t.Any]]:
    """The language switcher: each locale's own name and the link that saves the choice."""
    here = url_with(locale=None)
    current = page_locale()
    return [
        {
            "locale": loc,
            "label": label,
            "lang": HTML_LANG[loc],
            "href": url_for("viewer.choose_locale", locale=loc, next=here),
            "current": loc == current,
        }
        for loc, label in switcher_options()
    ]


def _template_values() -> dict[str, t.Any]:
    locale = page_locale()
    return {
        "page_locale": locale,
        "html_lang": HTML_LANG.get(locale, locale),
        "switcher_links": switcher_links,
        "url_with": url_with,
        "country": country,
        "flag": flag,
        "name_in": name_in,
    }


def browser_lines(text: str) -> list[str]:
    """The lines of a textarea, split only at the line breaks a browser sends: characters such
    as U+2028 belong to the text (``str.splitlines`` would cut there)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def text_lines(text: str) -> list[str]:
    """The non-blank lines of a textarea, trimmed."""
    return [line.strip() for line in browser_lines(text) if line.strip()]


def safe_next(target: str | None, default: str) -> str:
    """*target* when it is a path on this site, else *default* (no open redirects, no header tricks)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return default
    parsed = urllib.parse.urlsplit(target)
    if parsed.scheme or parsed.netloc:
        return default
    return target


def init_app(app: Flask) -> None:
    """Make the page helpers and translated-text functions available to every template."""
    app.jinja_env.globals.update(_=_, gettext=_, ngettext=ngettext)
    app.context_processor(_template_values)
