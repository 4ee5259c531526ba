"""Shapes of exchange rates."""

from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime
from pydantic import BaseModel
from pydantic import Field

from catalog.schemas.common import AmountString
from catalog.schemas.common import Strict


class RateIn(Strict):
    """``PUT /api/v1/rates/{currency}``: how many units of the currency one yuan buys."""

    per_cny: AmountString = Field(examples=["68.5"])
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
