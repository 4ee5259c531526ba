"""Viewers' "show me this" requests during a live show, and the host's queue of the recent ones."""

from __future__ import annotations

import datetime as dt
import typing as t

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import Invalid
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.models import Stream
from catalog.models import StreamStatus
from catalog.models import ViewerRequest
from catalog.presenting.products import localized
from catalog.services import stream_events
from catalog.services.streams import get_stream
from catalog.services.streams import lock_stream

#: How far back the host's queue counts requests.
WINDOW = dt.timedelta(minutes=5)
#: The most products the queue lists.
QUEUE_SIZE = 20


def check_request(session: Session, stream_id: int, product_id: int) -> Stream:
    """The live stream a viewer may ask *product_id* of: 404 for no such stream, 422 otherwise."""
    stream = get_stream(session, stream_id)
    if stream.status is not StreamStatus.LIVE:
        message = gettext("Stream %(id)s is not on air; ask for products during the show.", id=stream.id)
        raise Invalid(message, errors=[{"field": "stream_id", "message": message}])
    product = session.get(Product, product_id)
    if product is None or product.status is not ProductStatus.PUBLISHED:
        raise Invalid.field("product_id", gettext("There is no product %(id)s on sale.", id=product_id))
    return stream


def record_request(session: Session, stream: Stream, product_id: int, now: dt.datetime) -> ViewerRequest:
    """Count a request :func:`check_request` let through and tell the stream's listeners; the caller commits."""
    lock_stream(session, stream.id)  # events of one stream commit in order
    row = ViewerRequest(stream_id=stream.id, product_id=product_id, at=now)
    session.add(row)
    stream_events.record(session, stream.id, "requests", {"stream_id": stream.id, "product_id": product_id})
    return row


def request_queue(session: Session, stream: Stream, locale: str, now: dt.datetime) -> list[dict[str, t.Any]]:
    """The products asked for within :data:`WINDOW`, most asked first, named in *locale*."""
    count = sa.func.count(ViewerRequest.id)
    last = sa.func.max(ViewerRequest.at)
    rows = session.execute(
        sa.select(ViewerRequest.product_id, count, last)
        .where(ViewerRequest.stream_id == stream.id, ViewerRequest.at > now - WINDOW)
        .group_by(ViewerRequest.product_id)
        .order_by(count.desc(), last.desc(), ViewerRequest.product_id)
        .limit(QUEUE_SIZE)
    ).all()
    ids = [product_id for product_id, _count, _last in rows]
    products = (
        {p.id: p for p in session.scalars(sa.select(Product).where(Product.id.in_(ids)))} if ids else {}
    )
    on_sheet = {item.product_id for item in stream.items}
    return [
        {
            "product_id": product_id,
            "sku": products[product_id].sku,
            "name": localized(products[product_id], locale)["name"],
            "count": int(asked),
            "last_requested_at": latest.isoformat(),
            "on_run_sheet": product_id in on_sheet,
        }
        for product_id, asked, latest in rows
        if product_id in products
    ]
