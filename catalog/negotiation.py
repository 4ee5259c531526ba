"""Who reads this request: their locale and currency, negotiated once per request for the app,
the pages and the API alike.

Locale: an explicit ``?locale=``, then the saved choice (cookie), then ``Accept-Language``.
Currency: an explicit ``?currency=``, then (on pages) the saved choice and the locale's usual one.
"""

from __future__ import annotations

import typing as t

from flask import current_app
from flask import g
from flask import request
from flask_babel import gettext

from catalog.content_language import note_language
from catalog.domain_errors import Invalid
from catalog.services.pricing import RateLike
from catalog.validation import is_currency
from translations.locales import REGISTRY
from translations.locales import UnknownLocale
from translations.locales import content_locale
from translations.locales import negotiate_locale

LOCALE_COOKIE = "locale"
CURRENCY_COOKIE = "currency"
#: The currency a reader of each locale most likely pays in, when they have not chosen one.
CURRENCY_BY_LOCALE = {code: info.currency for code, info in REGISTRY.items()}


def _negotiate(explicit: str | None, default: str, strict: bool) -> str:
    """The reader's locale, worked out once per request for each way of asking.

    With *strict*, an unknown *explicit* locale raises :class:`UnknownLocale`; otherwise it is
    ignored and the saved choice and ``Accept-Language`` decide.
    """
    known: dict[tuple[str | None, str, bool], str] = g.setdefault("reader_locales", {})
    key = (explicit, default, strict)
    if key not in known:
        saved, accepted = request.cookies.get(LOCALE_COOKIE), request.headers.get("Accept-Language")
        try:
            known[key] = negotiate_locale(explicit, saved, accepted, default=default)
        except UnknownLocale:
            if strict:
                raise
            known[key] = negotiate_locale(None, saved, accepted, default=default)
    return known[key]


def page_locale() -> str:
    """The reading locale of a page; an unknown ``?locale=`` is ignored (pages do not fail on it)."""
    locale = _negotiate(request.args.get("locale"), current_app.config["DEFAULT_LOCALE"], strict=False)
    note_language(locale, content=True)
    return locale


def reading_locale(explicit: str | None) -> str:
    """The API reader's content locale: *explicit* (422 when unknown), else the saved choice and header."""
    try:
        locale = _negotiate(explicit or None, current_app.config["DEFAULT_LOCALE"], strict=True)
    except UnknownLocale as exc:
        raise Invalid.field("locale", str(exc)) from exc
    note_language(locale, content=True)
    return locale


def ui_locale() -> str:
    """The language of messages: a page's reading locale (``kk-Latn`` reads Kazakh messages).

    On the JSON API ``?locale=`` names the content's language, not the messages'; its messages
    follow the saved choice and ``Accept-Language``, and are in English without them (they are
    read by developers of its clients).
    """
    locale = _negotiate(None, "en", strict=True) if request.path.startswith("/api/") else page_locale()
    note_language(locale, content=False)
    return content_locale(locale)


def reading_currency(explicit: str | None) -> str:
    """The currency the API shows prices in; 422 for codes that are not ISO 4217."""
    currency = explicit or current_app.config["DEFAULT_CURRENCY"]
    if not is_currency(currency):
        raise Invalid.field("currency", gettext("%(code)s is not an ISO 4217 currency code.", code=currency))
    return t.cast(str, currency)


def page_currency(rates: t.Mapping[str, RateLike]) -> str:
    """The currency a page shows prices in: ``?currency=``, the cookie, then the locale's usual one.

    A currency without an entered exchange rate falls back to the catalog's default.
    """
    base = current_app.config["DEFAULT_CURRENCY"]
    for candidate in (
        request.args.get("currency"),
        request.cookies.get(CURRENCY_COOKIE),
        CURRENCY_BY_LOCALE.get(page_locale()),
    ):
        if candidate and (candidate == base or candidate in rates):
            return candidate
    return t.cast(str, base)
