"""Shapes of the departure tax refund rules and of a product's refund estimate."""

from __future__ import annotations

import datetime as dt
import re
import typing as t
from decimal import Decimal

from pydantic import AfterValidator
from pydantic import BaseModel
from pydantic import Field
from pydantic import StringConstraints

from catalog import validation
from catalog.schemas.common import MoneyOut
from catalog.schemas.common import Strict

MAX_REFUND_PERCENT = Decimal(20)
_DECIMAL_RE = re.compile(r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$")


def _decimal(text: str) -> Decimal:
    if not isinstance(text, str) or not _DECIMAL_RE.match(text):
        raise ValueError('Write a decimal string with at most two decimals, such as "11" or "200.00".')
    return Decimal(text)


def _percent(text: str) -> str:
    if not Decimal(0) <= _decimal(text) <= MAX_REFUND_PERCENT:
        raise ValueError(f"A refund rate is a percentage from 0 to {MAX_REFUND_PERCENT}.")
    return text


def _yuan(text: str) -> str:
    if _decimal(text) < 0:
        raise ValueError("An amount in yuan cannot be below 0.")
    return text


Percent = t.Annotated[str, AfterValidator(_percent), Field(examples=["11"], description="0..20, per cent")]
Yuan = t.Annotated[str, AfterValidator(_yuan), Field(examples=["200.00"], description="yuan, 0 or more")]
BoothSlug = t.Annotated[str, StringConstraints(pattern=validation.SLUG_RE.pattern, max_length=60)]
RefundableVatClass = t.Literal["13", "9"]


class RefundRateIn(Strict):
    """The refund on goods of one VAT class from *effective_from* on."""

    vat_class: RefundableVatClass
    refund_percent: Percent
    effective_from: dt.date


class TaxRefundRulesIn(Strict):
    """``PUT /api/v1/tax-refund/rules``: the whole rule set, replaced at once."""

    qualified_booths: list[BoothSlug] = Field(max_length=500)
    rates: list[RefundRateIn] = Field(min_length=1, max_length=100)
    min_spend_cny: Yuan
    cash_cap_cny: Yuan


class RefundRateOut(BaseModel):
    vat_class: str
    refund_percent: str
    effective_from: str


class TaxRefundRulesOut(BaseModel):
    qualified_booths: list[str]
    rates: list[RefundRateOut]
    min_spend_cny: str
    cash_cap_cny: str
    version: int
    updated_at: str


class TaxRefundChange(BaseModel):
    at: str
    user: str | None
    changes: dict[str, t.Any]


class TaxRefundHistory(BaseModel):
    items: list[TaxRefundChange]


class FormattedMoneyOut(MoneyOut):
    formatted: str


class TaxRefundOut(BaseModel):
    """A product's refund for a departing foreign visitor; the amounts only when it qualifies."""

    eligible: bool
    refund_percent: str | None = None
    estimate: FormattedMoneyOut | None = None
    min_spend: FormattedMoneyOut | None = None
    cash_cap: FormattedMoneyOut | None = None
    note: str | None = None
