"""Shapes of analytics beacons and reports."""

from __future__ import annotations

import datetime as dt
import typing as t

from pydantic import AfterValidator
from pydantic import BaseModel
from pydantic import Field
from pydantic import StrictInt

from catalog.schemas.common import Strict
from catalog.schemas.queries import QueryBase
from catalog.schemas.queries import ReadingLocale

#: What a viewer did: saw the card on the show page, opened the product page from the show or
#: its QR code, or tapped "I want this".
BeaconKind = t.Literal["seen", "opened", "want"]


def _utc(moment: dt.datetime) -> dt.datetime:
    """A moment without an offset is read as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


Moment = t.Annotated[dt.datetime, AfterValidator(_utc)]


class ClickIn(Strict):
    q: str = Field(min_length=1, max_length=200, description="The query whose results were shown")
    locale: ReadingLocale = Field(description="The reading locale of the search page")
    position: StrictInt = Field(ge=1, le=500, description="1-based position of the clicked result")
    product_id: StrictInt = Field(ge=1, description="The product clicked")


class SearchAnalyticsQuery(QueryBase):
    from_: Moment | None = Field(
        default=None, alias="from", description="Start (ISO 8601 date or time; default: 7 days before `to`)"
    )
    to: Moment | None = Field(default=None, description="End, exclusive (ISO 8601; default: now)")
    locale: ReadingLocale | None = Field(default=None, description="Only searches in this reading locale")
    limit: int = Field(default=20, ge=1, le=100, description="Queries listed per group")
    min_searches: int = Field(
        default=5,
        ge=1,
        le=100_000,
        description="Answered searches a query needs to be judged on click-through",
    )


class QueryStatsOut(BaseModel):
    query: str
    locale: str
    script: str
    searches: int
    zero_results: int
    clicks: int
    click_through: float | None
    average_results: float
    average_engine_ms: float


class SearchAnalyticsOut(BaseModel):
    from_: str = Field(alias="from")
    to: str
    locale: str | None
    searches: int
    clicks: int
    top_queries: list[QueryStatsOut]
    zero_result_queries: list[QueryStatsOut]
    low_click_through_queries: list[QueryStatsOut]


class BeaconIn(Strict):
    kind: BeaconKind
    product_id: StrictInt = Field(ge=1, description="A product of the show's run-sheet")
    locale: ReadingLocale = Field(description="The viewer's page locale")


class Accepted(BaseModel):
    accepted: bool = True


class CountsOut(BaseModel):
    seen: int
    opened: int
    wants: int


class ProductAnalyticsOut(CountsOut):
    product_id: int
    sku: str
    name: str
    by_locale: dict[str, CountsOut]


class MinuteCountsOut(CountsOut):
    minute: str
    product_id: int
    locale: str


class StreamAnalyticsOut(BaseModel):
    stream_id: int
    totals: CountsOut
    products: list[ProductAnalyticsOut]
    minutes: list[MinuteCountsOut]
