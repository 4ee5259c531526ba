"""Checks of single values that the API, the importer and the services share."""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from decimal import InvalidOperation

from translations.formatting import MoneyError
from translations.formatting import check_currency
from translations.formatting import currency_digits
from translations.formatting import has_valid_minor_digits
from translations.locales import CONTENT_LOCALES as CONTENT_LOCALES

SKU_RE = re.compile(r"^[A-Z0-9-]{3,40}$")
CATEGORY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*){0,5}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AMOUNT_RE = re.compile(r"^[0-9]{1,12}(?:\.[0-9]{1,8})?$")


@functools.lru_cache(maxsize=1024)
def is_currency(code: str) -> bool:
    """Whether *code* is an ISO 4217 currency code."""
    try:
        check_currency(code)
    except MoneyError:
        return False
    return True


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
    if not has_valid_minor_digits(amount, currency):
        raise ValueError(f"{currency} amounts have at most {currency_digits(currency)} decimal places.")


def valid_gtin(code: str) -> bool:
    """Whether *code* is an EAN-13 or UPC-A with a correct check digit."""
    if not code.isdigit() or len(code) not in (12, 13):
        return False
    digits = [int(c) for c in code.zfill(13)]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == digits[12]
