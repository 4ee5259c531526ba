"""The search outbox: changes waiting to reach the search index."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from catalog.models.base import Base
from catalog.models.base import UTCDateTime
from catalog.models.base import intpk
from catalog.models.base import utcnow


class OutboxEntry(Base):
    """A product whose search document must be rewritten (or removed).

    Written in the same transaction as the change; the indexer deletes it once the engine
    has the change, and counts attempts with a growing delay when the engine refuses.
    """

    __tablename__ = "search_outbox"
    __table_args__ = (sa.Index("ix_search_outbox_due", "next_attempt_at", "id"),)

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
