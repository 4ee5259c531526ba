"""Live streams: the show, its run-sheet, the on-air cursor, its log, pushed events and webhooks."""

from __future__ import annotations

import datetime as dt
import enum
import typing as t
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from catalog.models.base import Base
from catalog.models.base import ScaledDecimal
from catalog.models.base import UTCDateTime
from catalog.models.base import created_at
from catalog.models.base import intpk
from catalog.models.base import updated_at
from catalog.models.base import utcnow
from catalog.models.products import Product
from catalog.models.users import User


def _enum(cls: type[enum.Enum]) -> sa.Enum:
    return sa.Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


def flash_phase(
    amount: Decimal | None, starts_at: dt.datetime | None, ends_at: dt.datetime | None, now: dt.datetime
) -> str:
    """``none``, ``before``, ``running`` or ``over``: where a flash sale stands at *now*."""
    if amount is None or starts_at is None or ends_at is None:
        return "none"
    if now < starts_at:
        return "before"
    return "running" if now < ends_at else "over"


class StreamStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


class Stream(Base):
    """A show: when, who hosts it, and for which audience (locales and currencies)."""

    __tablename__ = "streams"
    __table_args__ = (sa.Index("ix_streams_status_starts_at", "status", "starts_at"),)

    id: Mapped[intpk]
    title: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int]
    time_zone: Mapped[str] = mapped_column(sa.String(64))
    host_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    locales: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    currencies: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status: Mapped[StreamStatus] = mapped_column(_enum(StreamStatus), default=StreamStatus.SCHEDULED)
    display_delay_seconds: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    replay_url: Mapped[str | None] = mapped_column(sa.String(2000))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]

    host: Mapped[User | None] = relationship(lazy="joined")
    co_hosts: Mapped[list[User]] = relationship(secondary="stream_hosts", lazy="selectin")
    # loaded when read: a cursor move reads only the slim columns it needs (see services.cursor)
    items: Mapped[list[LineupItem]] = relationship(
        back_populates="stream",
        cascade="all, delete-orphan",
        order_by="LineupItem.position",
    )

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    def __repr__(self) -> str:
        return f"Stream({self.id!r}, {self.status.value})"


class StreamHost(Base):
    """A co-host: a member of staff who controls a stream beside its host."""

    __tablename__ = "stream_hosts"

    stream_id: Mapped[int] = mapped_column(sa.ForeignKey("streams.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class LineupItem(Base):
    """One product of a run-sheet: its place, the number said on air, notes and a flash price."""

    __tablename__ = "stream_lineup_items"
    __table_args__ = (sa.Index("ix_stream_lineup_items_stream_position", "stream_id", "position"),)

    id: Mapped[intpk]
    stream_id: Mapped[int] = mapped_column(sa.ForeignKey("streams.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    position: Mapped[int]
    number: Mapped[int]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    flash_amount: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    flash_starts_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    flash_ends_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    flash_per_viewer_limit: Mapped[int | None]

    stream: Mapped[Stream] = relationship(back_populates="items")
    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)

    def flash_phase(self, now: dt.datetime) -> str:
        """Where this item's flash sale stands at *now* (see :func:`flash_phase`)."""
        return flash_phase(self.flash_amount, self.flash_starts_at, self.flash_ends_at, now)


class StreamCursor(Base):
    """What is on air: one small row per stream, moved in one short locked transaction."""

    __tablename__ = "stream_cursors"

    stream_id: Mapped[int] = mapped_column(sa.ForeignKey("streams.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)  # 1-based; 0 before the first move
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stream_lineup_items.id", ondelete="SET NULL"))
    pinned: Mapped[bool] = mapped_column(default=False)
    moves: Mapped[int] = mapped_column(default=0)
    moved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class StreamMove(Base):
    """One move of the cursor, kept for the recap after the show."""

    __tablename__ = "stream_moves"
    __table_args__ = (sa.Index("ix_stream_moves_stream_id_id", "stream_id", "id"),)

    id: Mapped[intpk]
    stream_id: Mapped[int] = mapped_column(sa.ForeignKey("streams.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(sa.String(16))
    position: Mapped[int]
    item_id: Mapped[int | None]
    product_id: Mapped[int | None]
    number: Mapped[int | None]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class StreamEvent(Base):
    """A pushed update (``card``, ``lineup``, ``status``); its id is the server-sent event id.

    Recent events are kept per stream so that a reconnecting listener gets what it missed,
    and so that every worker process can pick up moves made in another.
    """

    __tablename__ = "stream_events"
    __table_args__ = (sa.Index("ix_stream_events_stream_id_id", "stream_id", "id"),)

    id: Mapped[intpk]
    stream_id: Mapped[int] = mapped_column(sa.ForeignKey("streams.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    data: Mapped[str] = mapped_column(sa.Text)  # the JSON text sent to listeners
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Webhook(Base):
    """A subscriber that receives stream events as signed JSON."""

    __tablename__ = "webhooks"

    id: Mapped[intpk]
    url: Mapped[str] = mapped_column(sa.String(2000))
    secret: Mapped[str] = mapped_column(sa.String(128))
    events: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[created_at]


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookDelivery(Base):
    """One event for one subscriber: written with the change, sent later, retried with backoff."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        sa.Index("ix_webhook_deliveries_webhook_id_id", "webhook_id", "id"),
    )

    id: Mapped[intpk]
    webhook_id: Mapped[int] = mapped_column(sa.ForeignKey("webhooks.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[dict[str, t.Any]] = mapped_column(sa.JSON)
    status: Mapped[DeliveryStatus] = mapped_column(_enum(DeliveryStatus), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[created_at]
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    webhook: Mapped[Webhook] = relationship(lazy="joined")
