"""Streams and run-sheets as the plain JSON that the API answers and listeners are pushed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import LineupItem
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.models import Stream
from catalog.models import StreamCursor
from catalog.models.streams import flash_phase
from translations.formatting import quantize_money as quantize
from translations.locales import fallback_chain
from translations.locales import render_text


def iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def title_for(stream: Stream, locale: str) -> str:
    """The stream's title for a reader of *locale*, falling back along the default chain."""
    chain = fallback_chain(locale)
    used = chain.pick(stream.title) or next(iter(stream.title), "")
    return render_text(stream.title.get(used, ""), chain, used)


@dataclasses.dataclass(frozen=True)
class Slot:
    """One run-sheet item as cursor moves and listings need it, read without products' text."""

    item_id: int
    position: int
    number: int
    notes: str
    flash_amount: Decimal | None
    flash_starts_at: dt.datetime | None
    flash_ends_at: dt.datetime | None
    flash_per_viewer_limit: int | None
    product_id: int
    sku: str
    status: ProductStatus
    product_version: int
    price_currency: str

    @property
    def available(self) -> bool:
        return self.status is ProductStatus.PUBLISHED

    def flash_phase(self, now: dt.datetime) -> str:
        return flash_phase(self.flash_amount, self.flash_starts_at, self.flash_ends_at, now)


_SLOTS = (
    sa.select(
        LineupItem.id,
        LineupItem.position,
        LineupItem.number,
        LineupItem.notes,
        LineupItem.flash_amount,
        LineupItem.flash_starts_at,
        LineupItem.flash_ends_at,
        LineupItem.flash_per_viewer_limit,
        Product.id,
        Product.sku,
        Product.status,
        Product.version,
        Product.price_currency,
    )
    .join(Product, Product.id == LineupItem.product_id)
    .order_by(LineupItem.position)
)


def slots(session: Session, stream_id: int) -> list[Slot]:
    """The stream's run-sheet in order, in one query."""
    rows = session.execute(_SLOTS.where(LineupItem.stream_id == stream_id))
    return [Slot(*t.cast(tuple[t.Any, ...], row)) for row in rows]


def slot_where(
    session: Session, stream_id: int, *conditions: sa.ColumnElement[bool], last: bool = False
) -> Slot | None:
    """The first run-sheet item (the last, with *last*) that meets *conditions*, in one query."""
    order = LineupItem.position.desc() if last else LineupItem.position
    query = _SLOTS.where(LineupItem.stream_id == stream_id, *conditions).order_by(None).order_by(order)
    row = session.execute(query.limit(1)).one_or_none()
    return Slot(*t.cast(tuple[t.Any, ...], row)) if row is not None else None


def flash_json(item: LineupItem | Slot, now: dt.datetime) -> dict[str, t.Any] | None:
    """The item's flash price and where the sale stands at *now*."""
    if item.flash_amount is None:
        return None
    currency = item.price_currency if isinstance(item, Slot) else item.product.price_currency
    return {
        "amount": str(quantize(item.flash_amount, currency)),
        "currency": currency,
        "starts_at": iso(item.flash_starts_at),
        "ends_at": iso(item.flash_ends_at),
        "per_viewer_limit": item.flash_per_viewer_limit,
        "phase": item.flash_phase(now),
    }


def slot_json(slot: Slot, now: dt.datetime, *, with_notes: bool) -> dict[str, t.Any]:
    """One run-sheet item; archived (or unpublished) products are marked ``available: false``."""
    body: dict[str, t.Any] = {
        "id": slot.item_id,
        "position": slot.position,
        "number": slot.number,
        "product_id": slot.product_id,
        "sku": slot.sku,
        "product_status": slot.status.value,
        "available": slot.available,
        "flash": flash_json(slot, now),
    }
    if with_notes:
        body["notes"] = slot.notes
    return body


def lineup_json(
    session: Session, stream_id: int, now: dt.datetime, *, with_notes: bool = False
) -> list[dict[str, t.Any]]:
    """The run-sheet as listeners and the API show it."""
    return [slot_json(slot, now, with_notes=with_notes) for slot in slots(session, stream_id)]


def cursor_json(cursor: StreamCursor | None, stream: Stream) -> dict[str, t.Any]:
    """Where the cursor stands; ``show_at`` is when viewers' pages (not the host's) show the card."""
    moved_at = cursor.moved_at if cursor else None
    delay = dt.timedelta(seconds=stream.display_delay_seconds)
    return {
        "position": cursor.position if cursor else 0,
        "item_id": cursor.item_id if cursor else None,
        "pinned": cursor.pinned if cursor else False,
        "moves": cursor.moves if cursor else 0,
        "moved_at": iso(moved_at),
        "show_at": iso(moved_at + delay) if moved_at else None,
        "display_delay_seconds": stream.display_delay_seconds,
    }


def status_json(stream: Stream) -> dict[str, t.Any]:
    return {
        "stream_id": stream.id,
        "status": stream.status.value,
        "started_at": iso(stream.started_at),
        "ended_at": iso(stream.ended_at),
        "version": stream.version,
    }


def stream_json(
    session: Session,
    stream: Stream,
    cursor: StreamCursor | None,
    now: dt.datetime,
    *,
    with_notes: bool = False,
) -> dict[str, t.Any]:
    """The stream with its run-sheet, status and cursor."""
    return {
        "id": stream.id,
        "title": dict(stream.title),
        "starts_at": stream.starts_at.isoformat(),
        "ends_at": stream.ends_at.isoformat(),
        "duration_minutes": stream.duration_minutes,
        "time_zone": stream.time_zone,
        "host": stream.host.name if stream.host else None,
        "co_hosts": sorted(u.name for u in stream.co_hosts),
        "locales": list(stream.locales),
        "currencies": list(stream.currencies),
        "status": stream.status.value,
        "display_delay_seconds": stream.display_delay_seconds,
        "started_at": iso(stream.started_at),
        "ended_at": iso(stream.ended_at),
        "replay_url": stream.replay_url,
        "version": stream.version,
        "lineup": lineup_json(session, stream.id, now, with_notes=with_notes),
        "cursor": cursor_json(cursor, stream),
    }
