"""Checks of single values that the API, the importer and the services share."""

from __future__ import annotations

import re
from decimal import Decimal
from decimal import InvalidOperation
from functools import cache

from babel import Locale
from babel.numbers import get_currency_precision
from babel.numbers import list_currencies

from translations.locales import CONTENT_LOCALES as CONTENT_LOCALES

SKU_RE = re.compile(r"^[A-Z0-9-]{3,40}$")
CATEGORY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*){0,5}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AMOUNT_RE = re.compile(r"^[0-9]{1,12}(?:\.[0-9]{1,8})?$")
# CLDR territories that are not ISO 3166-1 countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (from CLDR's territory list)."""
    return frozenset(
        code
        for code in map(str, Locale("en").territories)
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes of currencies in use."""
    return frozenset(list_currencies())


def currency_digits(currency: str) -> int:
    """How many minor digits *currency* has (2 for CNY and KZT, 0 for JPY)."""
    return int(get_currency_precision(currency))


def parse_amount(text: str) -> Decimal:
    """A money amount from its decimal string; ValueError with a reason otherwise."""
    if not isinstance(text, str) or not AMOUNT_RE.match(text):
        raise ValueError('Write the amount as a decimal string such as "25.00".')
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes these
        raise ValueError('Write the amount as a decimal string such as "25.00".') from exc


def check_amount_digits(amount: Decimal, currency: str) -> None:
    """ValueError when *amount* has more decimals than *currency* allows."""
    digits = currency_digits(currency)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > digits:
        raise ValueError(f"{currency} amounts have at most {digits} decimal places.")


def valid_gtin(code: str) -> bool:
    """Whether *code* is an EAN-13 or UPC-A with a correct check digit."""
    if not code.isdigit() or len(code) not in (12, 13):
        return False
    digits = [int(c) for c in code.zfill(13)]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == digits[12]
