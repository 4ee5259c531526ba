"""Shapes of staff synonyms and query rules (``/api/v1/search/synonyms`` and ``/rules``)."""

from __future__ import annotations

import typing as t

from pydantic import AwareDatetime
from pydantic import BaseModel
from pydantic import Field
from pydantic import StringConstraints

from catalog import validation
from catalog.schemas.common import CountryCode
from catalog.schemas.common import Plain
from catalog.schemas.common import StoredNumber
from catalog.schemas.common import Strict
from catalog.schemas.queries import QueryBase
from catalog.schemas.queries import ReadingLocale

#: Most synonyms in one entry, and most pins, hides and boosts in one rule.
MAX_SYNONYMS = 20
MAX_PINS = 20
MAX_HIDES = 100
MAX_BOOSTS = 20

Phrase = t.Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    Plain,
    Field(examples=["шарап"]),
]
CategoryPath = t.Annotated[
    str,
    StringConstraints(pattern=validation.CATEGORY_RE.pattern, max_length=200),
    Field(examples=["drinks.wine"]),
]
BoothSlug = t.Annotated[str, StringConstraints(pattern=validation.SLUG_RE.pattern, max_length=60)]
ProductId = StoredNumber


class SynonymIn(Strict):
    """A synonym entry: in *locale*, *term* also means each of *synonyms* (with *two_way*, all alike)."""

    locale: ReadingLocale
    term: Phrase
    synonyms: list[Phrase] = Field(min_length=1, max_length=MAX_SYNONYMS)
    two_way: bool = False


class SynonymOut(BaseModel):
    id: int
    locale: str
    term: str
    synonyms: list[str]
    two_way: bool
    version: int
    updated_at: str


class SynonymList(BaseModel):
    items: list[SynonymOut]
    next_cursor: str | None


class SynonymQuery(QueryBase):
    locale: ReadingLocale | None = Field(default=None, description="Only this locale's synonyms")
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = None


class PinIn(Strict):
    """Show product *product_id* at *position* (1 is the first result)."""

    product_id: ProductId
    position: int = Field(ge=1, le=100)


class BoostsIn(Strict):
    """Rank products of these origin countries, categories or booths above equal matches."""

    countries: list[CountryCode] = Field(default_factory=list, max_length=MAX_BOOSTS)
    categories: list[CategoryPath] = Field(default_factory=list, max_length=MAX_BOOSTS)
    booths: list[BoothSlug] = Field(default_factory=list, max_length=MAX_BOOSTS)


class RuleIn(Strict):
    """A rule for one query or one category, optionally limited to a time window."""

    query: t.Annotated[str, StringConstraints(max_length=200), Plain] | None = Field(
        default=None, description="The query it applies to (compared as search normalises it)"
    )
    category: CategoryPath | None = Field(default=None, description="Or the category it applies to")
    pins: list[PinIn] = Field(default_factory=list, max_length=MAX_PINS)
    hides: list[ProductId] = Field(default_factory=list, max_length=MAX_HIDES)
    boosts: BoostsIn = Field(default_factory=BoostsIn)
    starts_at: AwareDatetime | None = Field(default=None, description="From (with an offset)")
    ends_at: AwareDatetime | None = Field(default=None, description="Until (with an offset), after starts_at")
    note: t.Annotated[str, StringConstraints(max_length=200), Plain] = ""


class PinOut(BaseModel):
    product_id: int
    position: int


class BoostsOut(BaseModel):
    countries: list[str]
    categories: list[str]
    booths: list[str]


class RuleOut(BaseModel):
    id: int
    query: str | None
    category: str | None
    pins: list[PinOut]
    hides: list[int]
    boosts: BoostsOut
    starts_at: str | None
    ends_at: str | None
    note: str
    active: bool
    version: int
    updated_at: str


class RuleList(BaseModel):
    items: list[RuleOut]
    next_cursor: str | None


class RuleQuery(QueryBase):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = None
