"""``/api/v1/streams/{id}/requests``: viewers ask the host to show a product; the host's queue of asks."""

from __future__ import annotations

import dataclasses
import time
import typing as t

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import request
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from catalog.api.spec import operation
from catalog.auth import current_user
from catalog.db import get_session
from catalog.errors import TooManyRequests
from catalog.http import etag_for
from catalog.http import parse_body
from catalog.http import parse_query
from catalog.http import require_if_match
from catalog.live import actions
from catalog.live.throttle import SlidingWindow
from catalog.live.throttle import client_key
from catalog.models import Role
from catalog.models import utcnow
from catalog.negotiation import reading_locale
from catalog.presenting.streams import stream_json
from catalog.schemas.streams import StreamOut
from catalog.schemas.viewer_requests import RequestQueueOut
from catalog.schemas.viewer_requests import RequestQueueQuery
from catalog.schemas.viewer_requests import UpNextIn
from catalog.schemas.viewer_requests import ViewerRequestIn
from catalog.schemas.viewer_requests import ViewerRequestOut
from catalog.services import lineup as lineup_service
from catalog.services import streams as stream_service
from catalog.services import viewer_requests as service

#: Mounted inside the streams blueprint, under ``/api/v1/streams``.
bp = Blueprint("viewer_requests", __name__)
HOSTS = (Role.ADMIN, Role.HOST)
EXTENSION = "viewer_requests"


@dataclasses.dataclass(frozen=True)
class RequestLimits:
    """This process's memory of who asked lately: a rate per client and show, and repeats per product."""

    rate: SlidingWindow
    repeats: SlidingWindow


@bp.record_once
def _set_up(state: BlueprintSetupState) -> None:
    per_minute = int(state.app.config["LIVE_REQUESTS_PER_MINUTE"])
    state.app.extensions[EXTENSION] = RequestLimits(
        rate=SlidingWindow(per_minute, 60.0), repeats=SlidingWindow(1, service.WINDOW.total_seconds())
    )


def _client() -> str:
    return client_key(current_app.config["SECRET_KEY"], request.remote_addr)


def _limits() -> RequestLimits:
    return t.cast(RequestLimits, current_app.extensions[EXTENSION])


def _check_rate(stream_id: int, now: float) -> None:
    """429 for a client over its rate, before any database work."""
    wait = _limits().rate.hit(f"{stream_id}|{_client()}", now)
    if wait:
        raise TooManyRequests(
            gettext("Too many requests; ask again in %(seconds)d seconds.", seconds=wait),
            headers={"Retry-After": str(wait)},
        )


@bp.post("/<int:stream_id>/requests")
@operation(
    summary="A viewer asks the host to show a product (live shows only; limited per client)",
    tag="streams",
    body=ViewerRequestIn,
    responses={202: ViewerRequestOut},
    errors=(404, 422, 429),
)
def ask(stream_id: int) -> ResponseReturnValue:
    data = parse_body(ViewerRequestIn)
    now = time.monotonic()
    _check_rate(stream_id, now)
    session = get_session()
    stream = service.check_request(session, stream_id, data.product_id)
    # the same client asking for the same product again within the window is not counted twice
    counted = _limits().repeats.hit(f"{stream_id}|{data.product_id}|{_client()}", now) == 0
    if counted:
        service.record_request(session, stream, data.product_id, utcnow())
        session.commit()
    body = {"stream_id": stream_id, "product_id": data.product_id, "counted": counted}
    return jsonify(body), 202


@bp.get("/<int:stream_id>/requests")
@operation(
    summary="The products viewers asked for in the last 5 minutes, most asked first",
    tag="streams",
    query=RequestQueueQuery,
    roles=HOSTS,
    responses={200: RequestQueueOut},
    errors=(404, 422),
)
def queue(stream_id: int) -> ResponseReturnValue:
    locale = reading_locale(parse_query(RequestQueueQuery).locale)
    session = get_session()
    stream = stream_service.get_stream(session, stream_id)
    items = service.request_queue(session, stream, locale, utcnow())
    return jsonify(
        {"stream_id": stream.id, "window_seconds": int(service.WINDOW.total_seconds()), "items": items}
    )


@bp.post("/<int:stream_id>/lineup/up-next")
@operation(
    summary="Insert a product into the run-sheet right after the card on air",
    tag="streams",
    body=UpNextIn,
    roles=HOSTS,
    if_match=True,
    responses={201: StreamOut},
    errors=(404,),
    etag=True,
)
def up_next(stream_id: int) -> ResponseReturnValue:
    session = get_session()
    stream, cursor = stream_service.control_stream(session, stream_id, current_user())
    require_if_match(etag_for("stream", stream.id, stream.version))
    lineup_service.insert_up_next(session, stream, cursor, parse_body(UpNextIn).product_id)
    actions.lineup_changed(session, stream, cursor, current_user())
    session.commit()
    response = jsonify(stream_json(session, stream, cursor, utcnow(), with_notes=True))
    response.status_code = 201
    response.headers["ETag"] = etag_for("stream", stream.id, stream.version)
    return response
