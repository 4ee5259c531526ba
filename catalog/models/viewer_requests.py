"""Viewers' "show me this" requests: which product was asked for on which show, and when (no one's identity)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from catalog.models.base import Base
from catalog.models.base import UTCDateTime
from catalog.models.base import intpk
from catalog.models.base import utcnow


class ViewerRequest(Base):
    """One viewer's ask for a product during a live show; the host's queue counts the recent ones."""

    __tablename__ = "viewer_requests"
    __table_args__ = (sa.Index("ix_viewer_requests_stream_id_at", "stream_id", "at"),)

    id: Mapped[intpk]
    stream_id: Mapped[int] = mapped_column(sa.ForeignKey("streams.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
