"""Shoppable replays for viewers: the recording of a show with its chapters and products, and where a
product was seen on air."""

from __future__ import annotations

import re
import typing as t
import urllib.parse

import sqlalchemy as sa
from flask import Blueprint
from flask import make_response
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from catalog.db import get_session
from catalog.models import Product
from catalog.models import Stream
from catalog.models import utcnow
from catalog.presenting.products import localized
from catalog.presenting.streams import title_for
from catalog.services import chapters as chapters_service
from catalog.services import streams as stream_service
from catalog.web.context import page_locale
from catalog.web.security import CONTENT_SECURITY_POLICY

bp = Blueprint("replay", __name__)
#: An origin that may stand in a Content-Security-Policy source list as it is.
_PLAIN_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def media_policy(replay_url: str | None) -> str:
    """The pages' policy, letting the player load media from the recording's own origin too."""
    sources = "'self'"
    if replay_url:
        parts = urllib.parse.urlsplit(replay_url)
        origin = f"{parts.scheme.lower()}://{parts.netloc}"
        if _PLAIN_ORIGIN.match(origin):
            sources += f" {origin}"
    return f"{CONTENT_SECURITY_POLICY}; media-src {sources}; frame-ancestors 'none'"


def _product_rows(
    session: Session, found: t.Sequence[t.Mapping[str, t.Any]], locale: str
) -> list[dict[str, t.Any]]:
    """Each product of the chapters once, in the order it first went on air."""
    first: dict[int, float] = {}
    for chapter in found:
        if chapter["product_id"] is not None:
            first.setdefault(chapter["product_id"], chapter["start"])
    products = (
        {p.id: p for p in session.scalars(sa.select(Product).where(Product.id.in_(first)))} if first else {}
    )
    return [
        {
            "id": product_id,
            "name": localized(products[product_id], locale)["name"],
            "start": start,
            "clock": chapters_service.clock(start),
        }
        for product_id, start in first.items()
        if product_id in products
    ]


@bp.get("/shows/<int:stream_id>/replay")
def replay(stream_id: int) -> ResponseReturnValue:
    """The recording of a show with its chapters; a click on a chapter or product seeks the player."""
    session = get_session()
    stream = stream_service.get_stream(session, stream_id)
    locale = page_locale()
    found = chapters_service.chapters(session, stream, locale, utcnow()) if stream.started_at else []
    page = render_template(
        "viewer/replay.html",
        stream=stream,
        title=title_for(stream, locale),
        chapters=[{**chapter, "clock": chapters_service.clock(chapter["start"])} for chapter in found],
        products=_product_rows(session, found, locale),
        locale=locale,
    )
    response = make_response(page)
    response.headers["Content-Security-Policy"] = media_policy(stream.replay_url)
    return response


def seen_in(session: Session, product_id: int, locale: str) -> list[dict[str, t.Any]]:
    """The shows a product was on air in, each with the moment and a link to the replay there."""
    return [
        {
            "title": title_for(stream, locale),
            "clock": chapters_service.clock(start),
            "href": replay_link(stream, start),
        }
        for stream, start in chapters_service.appearances(session, product_id)
    ]


def replay_link(stream: Stream, start: float) -> str:
    """The replay page of *stream*, opening at *start* seconds."""
    return f"{url_for('replay.replay', stream_id=stream.id)}#t={int(start)}"
