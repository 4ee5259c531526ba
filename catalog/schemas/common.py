"""Field types shared by the request and response shapes."""

from __future__ import annotations

import typing as t
from decimal import Decimal

from pydantic import AfterValidator
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import StringConstraints

from catalog import validation
from catalog.routing import MAX_ID
from translations.checks import control_problem
from translations.formatting import is_country_code

#: A whole number a 32-bit column stores (an id, a revision or a position), from 1: a larger one
#: is refused with its field named instead of reaching PostgreSQL.
StoredNumber = t.Annotated[int, Field(ge=1, le=MAX_ID)]


def _country(code: str) -> str:
    if not is_country_code(code):
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code (such as KZ or FR).")
    return code


def _currency(code: str) -> str:
    if not validation.is_currency(code):
        raise ValueError(f"{code!r} is not an ISO 4217 currency code (such as CNY or KZT).")
    return code


def _amount(text: str) -> str:
    amount = validation.parse_amount(text)
    if amount <= 0:
        raise ValueError("The amount must be greater than zero.")
    return text


def _plain(text: str) -> str:
    problem = control_problem(text)
    if problem is not None:
        raise ValueError(f"The text {problem}.")
    return text


#: Refuses control characters (other than tab and line breaks) in free text.
Plain = AfterValidator(_plain)


def _locale(code: str) -> str:
    if code not in validation.CONTENT_LOCALES:
        raise ValueError(f"Unknown locale {code!r}; use one of {', '.join(validation.CONTENT_LOCALES)}.")
    return code


CountryCode = t.Annotated[
    str,
    StringConstraints(min_length=2, max_length=2),
    AfterValidator(_country),
    Field(examples=["KZ"], description="ISO 3166-1 alpha-2"),
]
CurrencyCode = t.Annotated[
    str,
    StringConstraints(min_length=3, max_length=3),
    AfterValidator(_currency),
    Field(examples=["CNY"], description="ISO 4217"),
]
AmountString = t.Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{1,12}(\.[0-9]{1,8})?$"),
    AfterValidator(_amount),
    Field(examples=["25.00"], description="A decimal string, never a number"),
]
ContentLocale = t.Annotated[str, AfterValidator(_locale), Field(examples=["ru"])]


class Strict(BaseModel):
    """Base of request shapes: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Money(Strict):
    amount: AmountString
    currency: CurrencyCode

    def decimal(self) -> Decimal:
        return Decimal(self.amount)


class MoneyOut(BaseModel):
    amount: str
    currency: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = None
