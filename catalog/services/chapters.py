"""Shoppable replay chapters: the cursor timeline of a show (moves, pins, flash sales) timed from
its start, with the display delay applied, as JSON and as WebVTT chapters."""

from __future__ import annotations

import datetime as dt
import typing as t

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import Conflict
from catalog.models import Product
from catalog.models import Stream
from catalog.models import StreamMove
from catalog.presenting.products import localized

#: Cursor moves that put a card on air (``unpin`` leaves the same card on air).
ON_AIR_ACTIONS = ("next", "prev", "goto", "pin")


def _offset(stream: Stream, moment: dt.datetime) -> float:
    assert stream.started_at is not None
    return max(0.0, (moment - stream.started_at).total_seconds() + stream.display_delay_seconds)


def chapters(session: Session, stream: Stream, locale: str, now: dt.datetime) -> list[dict[str, t.Any]]:
    """The chapters of *stream* in order, titled in *locale*; 409 before it has started."""
    if stream.started_at is None:
        raise Conflict(gettext("Stream %(id)s has not started; it has no chapters yet.", id=stream.id))
    until = stream.ended_at or now
    marks: list[tuple[dt.datetime, str, int | None, int | None]] = [
        (move.at, move.action, move.product_id, move.number)
        for move in session.scalars(
            sa.select(StreamMove)
            .where(StreamMove.stream_id == stream.id, StreamMove.action.in_(ON_AIR_ACTIONS))
            .order_by(StreamMove.id)
        )
    ]
    for item in stream.items:
        for moment, kind in ((item.flash_starts_at, "flash_start"), (item.flash_ends_at, "flash_end")):
            if item.flash_amount is not None and moment is not None and stream.started_at <= moment <= until:
                marks.append((moment, kind, item.product_id, item.number))
    marks.sort(key=lambda mark: mark[0])
    ids = {product_id for _, _, product_id, _ in marks if product_id is not None}
    products = (
        {p.id: p for p in session.scalars(sa.select(Product).where(Product.id.in_(ids)))} if ids else {}
    )
    end = _offset(stream, until)
    found: list[dict[str, t.Any]] = []
    for at, kind, product_id, number in marks:
        product = products.get(product_id) if product_id is not None else None
        name = localized(product, locale)["name"] if product is not None else ""
        found.append(
            {
                "start": round(_offset(stream, at), 3),
                "kind": kind,
                "product_id": product_id,
                "sku": product.sku if product is not None else None,
                "number": number,
                "title": _title(kind, number, name),
            }
        )
    for index, chapter in enumerate(found):
        following = found[index + 1]["start"] if index + 1 < len(found) else round(end, 3)
        chapter["end"] = max(following, chapter["start"])
    return found


def _title(kind: str, number: int | None, name: str) -> str:
    label = f"#{number} {name}".strip() if number is not None else name
    if kind == "flash_start":
        return str(gettext("Flash price: %(product)s", product=label))
    if kind == "flash_end":
        return str(gettext("Flash price over: %(product)s", product=label))
    return label


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(found: t.Sequence[t.Mapping[str, t.Any]]) -> str:
    """*found* chapters as a WebVTT file (one cue per chapter, titles on one line)."""
    cues = ["WEBVTT", ""]
    for number, chapter in enumerate(found, start=1):
        title = " ".join(str(chapter["title"]).split()).replace("-->", "->")
        cues += [str(number), f"{_timestamp(chapter['start'])} --> {_timestamp(chapter['end'])}", title, ""]
    return "\n".join(cues)


def appearances(session: Session, product_id: int, limit: int = 5) -> list[tuple[Stream, float]]:
    """The shows *product_id* went on air in, newest first, each with the second of its first chapter."""
    first = (
        sa.select(StreamMove.stream_id, sa.func.min(StreamMove.at).label("at"))
        .where(StreamMove.product_id == product_id, StreamMove.action.in_(ON_AIR_ACTIONS))
        .group_by(StreamMove.stream_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(Stream, first.c.at)
        .join(first, first.c.stream_id == Stream.id)
        .where(Stream.started_at.is_not(None))
        .order_by(Stream.started_at.desc(), Stream.id.desc())
        .limit(limit)
    ).all()
    return [(stream, round(_offset(stream, at), 3)) for stream, at in rows]


def clock(seconds: float) -> str:
    """*seconds* into a recording as a player shows it: ``12:34``, or ``1:02:03`` past an hour."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
