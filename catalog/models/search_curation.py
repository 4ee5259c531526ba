"""What staff tell search: synonyms per locale, and rules that pin, hide or boost products."""

from __future__ import annotations

import datetime as dt
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from catalog.models.base import Base
from catalog.models.base import UTCDateTime
from catalog.models.base import created_at
from catalog.models.base import intpk
from catalog.models.base import updated_at


class SearchSynonym(Base):
    """In one locale, *term* also means each of *synonyms*; with *two_way*, each means all others."""

    __tablename__ = "search_synonyms"
    __table_args__ = (sa.Index("ix_search_synonyms_locale_id", "locale", "id"),)

    id: Mapped[intpk]
    locale: Mapped[str] = mapped_column(sa.String(16))
    term: Mapped[str] = mapped_column(sa.String(100))
    synonyms: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    two_way: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]


class SearchRule(Base):
    """For one query or one category: products pinned at positions, hidden, and what is boosted."""

    __tablename__ = "search_rules"

    id: Mapped[intpk]
    #: The query as search normalises it, or ``None`` for a category's rule.
    query: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    category: Mapped[str | None] = mapped_column(sa.String(200))
    #: ``[{"product_id": 1, "position": 1}, ...]``
    pins: Mapped[list[dict[str, int]]] = mapped_column(sa.JSON, default=list)
    hides: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    #: ``{"countries": [...], "categories": [...], "booths": [...]}``
    boosts: Mapped[dict[str, t.Any]] = mapped_column(sa.JSON, default=dict)
    starts_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]
