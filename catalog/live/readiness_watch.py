"""Tell the consoles of scheduled streams that their go-live readiness changed: a ``readiness``
event for each stream whose run-sheet holds a product whose text, review, picture, stock or
price changed in a commit (every scheduled stream with run-sheet items when a rate changed)."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import ContentReview
from catalog.models import ContentRevision
from catalog.models import ExchangeRate
from catalog.models import LineupItem
from catalog.models import Product
from catalog.models import ProductContent
from catalog.models import ProductImage
from catalog.models import Stream
from catalog.models import StreamStatus
from catalog.services import stream_events
from catalog.services.streams import lock_stream

#: Marks a change that may touch every product (an exchange rate).
EVERY_PRODUCT = -1
KEY = "readiness_products"


def _product_of(session: Session, row: object) -> int | None:
    if isinstance(row, Product):
        return row.id
    if isinstance(row, (ProductContent, ProductImage, ContentRevision)):
        return row.product_id
    if isinstance(row, ContentReview):
        revision = session.get(ContentRevision, row.revision_id)
        return revision.product_id if revision is not None else None
    if isinstance(row, ExchangeRate):
        return EVERY_PRODUCT
    return None


def note_changes(session: Session, _context: t.Any) -> None:
    """After a flush: remember the products whose readiness may have changed."""
    changed: set[int] = session.info.setdefault(KEY, set())
    for row in (*session.new, *session.dirty, *session.deleted):
        product_id = _product_of(session, row)
        if product_id is not None:
            changed.add(product_id)


def announce(session: Session) -> None:
    """Before commit: one ``readiness`` event per scheduled stream that holds a changed product."""
    changed: set[int] = session.info.pop(KEY, set())
    if not changed:
        return
    query = (
        sa.select(LineupItem.stream_id, LineupItem.product_id)
        .join(Stream, Stream.id == LineupItem.stream_id)
        .where(Stream.status == StreamStatus.SCHEDULED)
    )
    if EVERY_PRODUCT not in changed:
        query = query.where(LineupItem.product_id.in_(changed))
    touched: dict[int, set[int]] = {}
    for stream_id, product_id in session.execute(query):
        touched.setdefault(stream_id, set()).add(product_id)
    for stream_id in sorted(touched):
        lock_stream(session, stream_id)  # events of one stream commit in order
        stream_events.record(
            session, stream_id, "readiness", {"stream_id": stream_id, "products": sorted(touched[stream_id])}
        )
    session.info.pop(KEY, None)  # the events' own flush noted nothing of interest
