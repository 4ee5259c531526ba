"""The recap after a show: what was on air, from when to when, as JSON and as CSV for clip cutting."""

from __future__ import annotations

import csv
import datetime as dt
import io
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import Product
from catalog.models import Stream
from catalog.models import StreamMove
from catalog.presenting.sheets import CSV_BOM
from catalog.presenting.streams import title_for
from catalog.security.cells import neutralised_row
from catalog.services.stream_analytics import funnel
from translations.locales import content_locale
from translations.timezones import to_zone

CSV_COLUMNS = (
    "number",
    "sku",
    "name",
    "from_local",
    "to_local",
    "duration_seconds",
    "clip_start",
    "clip_end",
)


def _clock(delta: dt.timedelta) -> str:
    """``H:MM:SS`` from the start of the show (negative before it)."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _name(product: Product | None, locale: str) -> str:
    if product is None:
        return ""
    content = product.content_for(locale) or product.content_for(product.source_locale)
    return content.name if content else product.sku


def recap(session: Session, stream: Stream, zone: str, now: dt.datetime) -> dict[str, t.Any]:
    """Segments of the show, each item on air from one move to the next (or the end)."""
    moves = list(
        session.scalars(
            sa.select(StreamMove).where(StreamMove.stream_id == stream.id).order_by(StreamMove.id)
        )
    )
    ids = {m.product_id for m in moves if m.product_id is not None}
    products = (
        {p.id: p for p in session.scalars(sa.select(Product).where(Product.id.in_(ids)))} if ids else {}
    )
    locale = stream.locales[0] if stream.locales else "zh"
    content = content_locale(locale)
    origin = stream.started_at or stream.starts_at
    finish = stream.ended_at or now
    segments: list[dict[str, t.Any]] = []
    for i, move in enumerate(moves):
        if segments and segments[-1]["item_id"] == move.item_id:
            continue  # a pin or unpin: the same item stays on air
        until = next((m.at for m in moves[i + 1 :] if m.item_id != move.item_id), finish)
        product = products.get(move.product_id) if move.product_id else None
        segments.append(
            {
                "position": move.position,
                "number": move.number,
                "item_id": move.item_id,
                "product_id": move.product_id,
                "sku": product.sku if product else None,
                "name": _name(product, content),
                "from": move.at.isoformat(),
                "to": until.isoformat(),
                "from_local": to_zone(move.at, zone).replace(microsecond=0).isoformat(),
                "to_local": to_zone(until, zone).replace(microsecond=0).isoformat(),
                "duration_seconds": int((until - move.at).total_seconds()),
                "clip_start": _clock(move.at - origin),
                "clip_end": _clock(until - origin),
            }
        )
    return {
        "stream_id": stream.id,
        "title": title_for(stream, locale),
        "status": stream.status.value,
        "time_zone": zone,
        "started_at": to_zone(stream.started_at, zone).isoformat() if stream.started_at else None,
        "ended_at": to_zone(stream.ended_at, zone).isoformat() if stream.ended_at else None,
        "moves": len(moves),
        "segments": segments,
        "analytics": funnel(session, stream, content, now),
    }


def recap_csv(summary: t.Mapping[str, t.Any]) -> str:
    """The recap's segments as CSV (UTF-8 with a BOM for Excel, a header row, one row per segment)."""
    out = io.StringIO(CSV_BOM)
    out.seek(0, io.SEEK_END)
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for segment in summary["segments"]:
        writer.writerow(neutralised_row(segment))
    return out.getvalue()
