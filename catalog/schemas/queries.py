"""Query-string shapes."""

from __future__ import annotations

import typing as t

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import StringConstraints

from translations.locales import CONTENT_LOCALES
from translations.locales import READING_LOCALES

if t.TYPE_CHECKING:
    ReadingLocale = str
    ContentLocaleCode = str
else:
    #: A locale a reader may ask for, from the locale registry.
    ReadingLocale = t.Literal[READING_LOCALES]
    #: A locale content is written in, from the locale registry.
    ContentLocaleCode = t.Literal[CONTENT_LOCALES]
Currency3 = t.Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class QueryBase(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ReadQuery(QueryBase):
    locale: ReadingLocale | None = Field(
        default=None, description="Reading locale; falls back along the chain"
    )
    currency: Currency3 | None = Field(default=None, description="Show prices in this currency")


class ListQuery(ReadQuery):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = None


class ProductListQuery(ListQuery):
    category: t.Annotated[str, StringConstraints(max_length=200)] | None = None
    origin_country: t.Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    status: t.Literal["draft", "published", "archived"] | None = None
    booth: t.Annotated[str, StringConstraints(max_length=60)] | None = None
