"""Shapes of search requests and answers."""

from __future__ import annotations

import typing as t

from pydantic import BaseModel
from pydantic import Field
from pydantic import StringConstraints

from catalog.schemas.common import MoneyOut
from catalog.schemas.queries import ListQuery
from catalog.schemas.queries import QueryBase
from catalog.schemas.queries import ReadingLocale

Decimalish = t.Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}(\.[0-9]{1,8})?$")]


class SearchParams(ListQuery):
    q: str = Field(default="", description="What the reader typed, in any language or script")
    origin_country: str | None = Field(default=None, description="Comma-separated ISO codes")
    category: str | None = Field(default=None, description="Comma-separated category paths")
    booth: str | None = Field(default=None, description="Comma-separated booth slugs")
    tax_refund: bool = Field(
        default=False, description="Only products a departing foreign visitor can claim a tax refund on today"
    )
    price_min: Decimalish | None = None
    price_max: Decimalish | None = None
    sort: str = Field(default="relevance", description="relevance | price_asc | price_desc | newest")
    facets: str | None = Field(
        default=None, description="Comma-separated: origin_country, category, booth, tax_refund"
    )


class SuggestParams(QueryBase):
    q: str = ""
    locale: ReadingLocale | None = None
    limit: int = Field(default=10, ge=1, le=20)


class SearchItem(BaseModel):
    id: int
    sku: str
    name: str
    locale: str
    highlight: str
    price: MoneyOut
    display_price: MoneyOut | None = None
    thumbnail: str | None


class FacetCount(BaseModel):
    value: str
    count: int


class SearchAnswer(BaseModel):
    total: int
    items: list[SearchItem]
    facets: dict[str, list[FacetCount]]
    next_cursor: str | None
    ignored_words: list[str] = Field(
        default=[], description="Words of q that match nothing and were left out"
    )
    corrected_query: str | None = Field(
        default=None, description="Did you mean: q corrected, when only typo corrections match"
    )


class SuggestionOut(BaseModel):
    text: str
    product_id: int


class SuggestAnswer(BaseModel):
    suggestions: list[SuggestionOut]
