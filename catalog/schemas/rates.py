"""Shapes of exchange rates."""

from __future__ import annotations

import datetime as dt
import typing as t
from decimal import Decimal

from pydantic import AfterValidator
from pydantic import AwareDatetime
from pydantic import BaseModel
from pydantic import Field

from catalog.schemas.common import AmountString
from catalog.schemas.common import Strict

#: No currency trades anywhere near a billion units per yuan; larger figures are typing slips
#: (and would not fit the stored column).
MAX_PER_CNY = Decimal(10) ** 9


def _below_max(text: str) -> str:
    if Decimal(text) >= MAX_PER_CNY:
        raise ValueError(f"A rate must be below {MAX_PER_CNY:,} units per yuan.")
    return text


class RateIn(Strict):
    """``PUT /api/v1/rates/{currency}``: how many units of the currency one yuan buys."""

    per_cny: t.Annotated[AmountString, AfterValidator(_below_max)] = Field(examples=["68.5"])
    as_of: AwareDatetime | None = Field(default=None, description="When the rate was fixed (with offset)")

    def as_of_or_now(self) -> dt.datetime:
        return self.as_of or dt.datetime.now(dt.UTC)


class RateOut(BaseModel):
    currency: str
    per_cny: str
    as_of: str
    version: int


class RateList(BaseModel):
    items: list[RateOut]
