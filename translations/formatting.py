"""Locale-aware formatting of money, numbers, dates, relative times and countries.

All money is :class:`~decimal.Decimal`; a float is refused wherever money is taken.
Amounts are rounded to the currency's minor digits (from Babel's CLDR data) with
:data:`ROUNDING` = ``ROUND_HALF_UP``, the rule shoppers and cash registers use
(2.345 → 2.35), since converted prices are shown one by one and never summed.
``kk-Latn`` formats with the ``kk`` data and transliterates the resulting text.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Literal

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from translations.locales import babel_locale
from translations.locales import parse_locale
from translations.locales import render_for
from translations.timezones import to_zone

#: Rounding rule for every money amount.
ROUNDING = ROUND_HALF_UP
#: Precision of intermediate money arithmetic; far above any real amount.
_WORK_PRECISION = 60

#: ISO 3166-1 alpha-2 codes CLDR lists among its territories although they are not
#: ISO country codes (exceptionally reserved, user-assigned or groupings).
_NON_ISO_TERRITORIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)

DateStyle = Literal["short", "medium", "long", "full"]


class MoneyError(ValueError):
    """A money amount or currency is unusable."""


class UnknownCountry(ValueError):
    """A code is not an ISO 3166-1 alpha-2 country code."""


def _finish(text: str, locale: str) -> str:
    return render_for(locale, text)


def _data(locale: str) -> tuple[str, Locale]:
    canonical = parse_locale(locale)
    return canonical, babel_locale(canonical)


# -- money -------------------------------------------------------------------------------


def check_currency(currency: str) -> str:
    """Return *currency* if it is a known ISO 4217 code, else raise :class:`MoneyError`."""
    if not isinstance(currency, str) or not babel_numbers.is_currency(currency):
        raise MoneyError(f"unknown currency {currency!r}; use an ISO 4217 code such as CNY")
    return currency


@functools.lru_cache(maxsize=512)
def currency_digits(currency: str) -> int:
    """Return the number of minor digits of *currency* (2 for CNY, 0 for JPY); read once per code."""
    return int(babel_numbers.get_currency_precision(check_currency(currency)))


def _check_amount(amount: Decimal) -> Decimal:
    if not isinstance(amount, Decimal):
        raise MoneyError(f"money must be a Decimal, not {type(amount).__name__}")
    if not amount.is_finite():
        raise MoneyError(f"money must be a finite number, not {amount}")
    return amount


def quantize_money(amount: Decimal, currency: str) -> Decimal:
    """Round *amount* to the minor digits of *currency* with :data:`ROUNDING`."""
    exponent = Decimal(1).scaleb(-currency_digits(currency))
    with decimal.localcontext() as ctx:
        ctx.prec = _WORK_PRECISION
        return _check_amount(amount).quantize(exponent, rounding=ROUNDING)


def has_valid_minor_digits(amount: Decimal, currency: str) -> bool:
    """Tell whether *amount* needs no more decimal places than *currency* has."""
    _check_amount(amount)
    return quantize_money(amount, currency) == amount


def convert_money(
    amount: Decimal,
    from_currency: str,
    to_currency: str,
    per_cny: Mapping[str, Decimal],
) -> Decimal:
    """Convert *amount* between currencies through CNY and round to *to_currency*.

    :param per_cny: units of each currency one yuan buys (``{"KZT": Decimal("74")}``);
        CNY itself is always 1.
    """
    _check_amount(amount)
    check_currency(from_currency)
    check_currency(to_currency)
    if from_currency == to_currency:
        return quantize_money(amount, to_currency)

    def rate(currency: str) -> Decimal:
        if currency == "CNY":
            return Decimal(1)
        if currency not in per_cny:
            raise MoneyError(f"no exchange rate for {currency}")
        value = _check_amount(per_cny[currency])
        if value <= 0:
            raise MoneyError(f"exchange rate for {currency} must be positive, not {value}")
        return value

    with decimal.localcontext() as ctx:
        ctx.prec = _WORK_PRECISION
        converted = amount * rate(to_currency) / rate(from_currency)
    return quantize_money(converted, to_currency)


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """Format *amount* of *currency* the way readers of *locale* write prices.

    ``format_money(Decimal("1850"), "KZT", "kk")`` → ``"1\\xa0850,00\\xa0₸"``.
    """
    canonical, data = _data(locale)
    rounded = quantize_money(amount, currency)
    text = babel_numbers.format_currency(rounded, currency, locale=data)
    return _finish(text, canonical)


# -- numbers -----------------------------------------------------------------------------


def format_number(value: int | Decimal, locale: str) -> str:
    """Format an integer or decimal with *locale*'s grouping and decimal sign."""
    if isinstance(value, float):
        raise TypeError("format_number takes int or Decimal, not float")
    canonical, data = _data(locale)
    return _finish(babel_numbers.format_decimal(value, locale=data), canonical)


def format_percent(value: Decimal, locale: str) -> str:
    """Format a ratio (``Decimal("0.25")``) as a percentage in *locale*."""
    canonical, data = _data(locale)
    return _finish(babel_numbers.format_percent(value, locale=data), canonical)


# -- dates and times ---------------------------------------------------------------------


def format_datetime(moment: datetime, locale: str, zone: str, style: DateStyle = "medium") -> str:
    """Format an aware *moment* as local date and time in IANA *zone*."""
    canonical, data = _data(locale)
    local = to_zone(moment, zone)
    text = babel_dates.format_datetime(local, style, tzinfo=local.tzinfo, locale=data)
    return _finish(text, canonical)


def format_date(
    day: date | datetime, locale: str, style: DateStyle = "medium", zone: str | None = None
) -> str:
    """Format a date; an aware datetime is first moved into *zone* (required then)."""
    canonical, data = _data(locale)
    if isinstance(day, datetime):
        if zone is None:
            raise ValueError("format_date needs a time zone to turn a datetime into a date")
        day = to_zone(day, zone).date()
    return _finish(babel_dates.format_date(day, style, locale=data), canonical)


def format_time(moment: datetime, locale: str, zone: str, style: DateStyle = "short") -> str:
    """Format the local time of an aware *moment* in IANA *zone*."""
    canonical, data = _data(locale)
    local = to_zone(moment, zone)
    text = babel_dates.format_time(local, style, tzinfo=local.tzinfo, locale=data)
    return _finish(text, canonical)


def format_relative(moment: datetime, now: datetime, locale: str) -> str:
    """Say how far *moment* is from *now*: "через 2 часа", "2 hours ago", "2小时后"."""
    for value, name in ((moment, "moment"), (now, "now")):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be an aware datetime (with a UTC offset)")
    return format_timedelta(moment - now, locale)


def format_timedelta(delta: timedelta, locale: str) -> str:
    """Format a signed duration with direction ("in 2 hours" / "2 hours ago")."""
    canonical, data = _data(locale)
    text = babel_dates.format_timedelta(delta, add_direction=True, locale=data)
    return _finish(text, canonical)


# -- countries ---------------------------------------------------------------------------


def _iso_country_codes() -> frozenset[str]:
    territories = Locale("en").territories
    codes = {str(code) for code in territories}
    return frozenset(
        code for code in codes if len(code) == 2 and code.isalpha() and code not in _NON_ISO_TERRITORIES
    )


#: Every assigned ISO 3166-1 alpha-2 code, derived from CLDR's territory list.
ISO_COUNTRY_CODES: frozenset[str] = _iso_country_codes()


def is_country_code(code: str) -> bool:
    """Tell whether *code* is an assigned ISO 3166-1 alpha-2 code (upper case, e.g. ``KZ``)."""
    return isinstance(code, str) and code in ISO_COUNTRY_CODES


def check_country_code(code: str) -> str:
    """Return *code* if valid, else raise :class:`UnknownCountry` with a hint."""
    if is_country_code(code):
        return code
    hint = ""
    if isinstance(code, str) and code.upper() in ISO_COUNTRY_CODES:
        hint = f" (did you mean {code.upper()!r}?)"
    raise UnknownCountry(f"{code!r} is not an ISO 3166-1 alpha-2 country code{hint}")


def country_name(code: str, locale: str) -> str:
    """Name the country *code* in *locale* (``country_name("KZ", "ru")`` → "Казахстан")."""
    check_country_code(code)
    canonical, data = _data(locale)
    return _finish(data.territories.get(code, code), canonical)


def flag_emoji(code: str) -> str:
    """Return the flag emoji of a country: two regional indicator symbols (``KZ`` → 🇰🇿)."""
    check_country_code(code)
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)
