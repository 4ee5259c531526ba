"""Streams and run-sheets as the plain JSON that the API answers and listeners are pushed."""

from __future__ import annotations

import datetime as dt
import typing as t

from catalog.models import LineupItem
from catalog.models import ProductStatus
from catalog.models import Stream
from catalog.models import StreamCursor
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


def flash_json(item: LineupItem, now: dt.datetime) -> dict[str, t.Any] | None:
    """The item's flash price and whether it runs at *now*."""
    if item.flash_amount is None:
        return None
    currency = item.product.price_currency
    return {
        "amount": str(quantize(item.flash_amount, currency)),
        "currency": currency,
        "starts_at": iso(item.flash_starts_at),
        "ends_at": iso(item.flash_ends_at),
        "per_viewer_limit": item.flash_per_viewer_limit,
        "phase": item.flash_phase(now),
    }


def item_json(item: LineupItem, now: dt.datetime, *, with_notes: bool) -> dict[str, t.Any]:
    """One run-sheet item; archived (or unpublished) products are marked ``available: false``."""
    product = item.product
    body: dict[str, t.Any] = {
        "id": item.id,
        "position": item.position,
        "number": item.number,
        "product_id": product.id,
        "sku": product.sku,
        "product_status": product.status.value,
        "available": product.status is ProductStatus.PUBLISHED,
        "flash": flash_json(item, now),
    }
    if with_notes:
        body["notes"] = item.notes
    return body


def lineup_json(stream: Stream, now: dt.datetime, *, with_notes: bool = False) -> list[dict[str, t.Any]]:
    return [item_json(item, now, with_notes=with_notes) for item in stream.items]


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
    stream: Stream, cursor: StreamCursor | None, now: dt.datetime, *, with_notes: bool = False
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
        "locales": list(stream.locales),
        "currencies": list(stream.currencies),
        "status": stream.status.value,
        "display_delay_seconds": stream.display_delay_seconds,
        "started_at": iso(stream.started_at),
        "ended_at": iso(stream.ended_at),
        "version": stream.version,
        "lineup": lineup_json(stream, now, with_notes=with_notes),
        "cursor": cursor_json(cursor, stream),
    }
