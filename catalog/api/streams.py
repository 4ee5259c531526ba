"""``/api/v1/streams``: schedule, run-sheet, on-air cursor, card, pushed events, recap, webhooks."""

from __future__ import annotations

import datetime as dt
import typing as t

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from catalog.analytics import settled_session
from catalog.api import stream_analytics
from catalog.api import stream_hosts
from catalog.api import stream_webhooks
from catalog.api import viewer_requests
from catalog.api.spec import operation
from catalog.auth import current_reader
from catalog.auth import current_user
from catalog.caches import read_memo
from catalog.db import get_db
from catalog.db import get_session
from catalog.errors import BadRequest
from catalog.errors import NotFound
from catalog.errors import ServiceUnavailable
from catalog.errors import Unprocessable
from catalog.http import decode_cursor
from catalog.http import encode_cursor
from catalog.http import etag_for
from catalog.http import parse_body
from catalog.http import parse_query
from catalog.http import require_if_match
from catalog.live import actions
from catalog.live import direct
from catalog.live import get_live
from catalog.live import sse
from catalog.models import Role
from catalog.models import Stream
from catalog.models import StreamCursor
from catalog.models import utcnow
from catalog.negotiation import reading_locale
from catalog.presenting.streams import stream_json
from catalog.schemas.streams import CalendarQuery
from catalog.schemas.streams import CardOut
from catalog.schemas.streams import ChapterList
from catalog.schemas.streams import ChaptersQuery
from catalog.schemas.streams import CursorIn
from catalog.schemas.streams import FlashSwitch
from catalog.schemas.streams import LineupInsert
from catalog.schemas.streams import LineupOrder
from catalog.schemas.streams import LineupPut
from catalog.schemas.streams import ReadinessOut
from catalog.schemas.streams import RecapOut
from catalog.schemas.streams import StartQuery
from catalog.schemas.streams import StreamCreate
from catalog.schemas.streams import StreamList
from catalog.schemas.streams import StreamListQuery
from catalog.schemas.streams import StreamOut
from catalog.schemas.streams import StreamPatch
from catalog.schemas.streams import ZoneQuery
from catalog.security.hosts import public_base_url
from catalog.services import chapters as chapters_service
from catalog.services import lineup as lineup_service
from catalog.services import readiness as readiness_service
from catalog.services import recap as recap_service
from catalog.services import stream_events
from catalog.services import streams as service
from catalog.services.cards import current_card
from translations.timezones import UnknownTimeZone
from translations.timezones import check_zone_name

bp = Blueprint("streams_api", __name__, url_prefix="/api/v1/streams")
bp.register_blueprint(stream_webhooks.bp)
bp.register_blueprint(stream_hosts.bp)
bp.register_blueprint(viewer_requests.bp)
bp.register_blueprint(stream_analytics.bp)
HOSTS = (Role.ADMIN, Role.HOST)
#: The largest id an event row can have (a signed 64-bit key).
MAX_EVENT_ID = 2**63 - 1
STAFF = (Role.ADMIN, Role.HOST, Role.EDITOR)


def _etag(stream: Stream) -> str:
    return etag_for("stream", stream.id, stream.version)


def _respond(stream: Stream, cursor: StreamCursor | None, status: int = 200) -> Response:
    user = current_reader()
    body = stream_json(
        get_session(), stream, cursor, utcnow(), with_notes=user is not None and user.role in STAFF
    )
    response = jsonify(body)
    response.status_code = status
    response.headers["ETag"] = _etag(stream)
    return response


def _zone(name: str | None, field: str = "tz") -> str | None:
    if name is None:
        return None
    try:
        return check_zone_name(name)
    except UnknownTimeZone as exc:
        raise Unprocessable(str(exc), errors=[{"field": field, "message": str(exc)}]) from exc


@bp.post("")
@operation(
    summary="Schedule a stream",
    tag="streams",
    body=StreamCreate,
    roles=HOSTS,
    responses={201: StreamOut},
    etag=True,
)
def create() -> ResponseReturnValue:
    data = parse_body(StreamCreate)
    session = get_session()
    stream = service.create_stream(session, data, current_user(), current_app.config["STREAMS_TIME_ZONE"])
    session.commit()
    response = _respond(stream, service.get_cursor(session, stream.id), 201)
    response.headers["Location"] = url_for(".read", stream_id=stream.id)
    return response


@bp.get("")
@operation(
    summary="Upcoming and live streams, with times in the reader's zone and locale",
    tag="streams",
    query=StreamListQuery,
    responses={200: StreamList},
    errors=(422,),
)
def index() -> ResponseReturnValue:
    query = parse_query(StreamListQuery)
    zone = _zone(query.tz) or "UTC"
    locale = reading_locale(query.locale)
    state = decode_cursor(query.cursor, "streams")
    now = utcnow()
    page = service.upcoming(get_session(), now, tuple(state["after"]) if state else None, query.limit + 1)
    items = [service.schedule_json(s, zone, locale, now) for s in page[: query.limit]]
    next_cursor = None
    if len(page) > query.limit:
        last = page[query.limit - 1]
        next_cursor = encode_cursor({"k": "streams", "after": [last.starts_at.isoformat(), last.id]})
    return jsonify({"items": items, "next_cursor": next_cursor})


@bp.get("/calendar.ics")
@operation(
    summary="Upcoming streams as an iCalendar feed",
    tag="streams",
    query=CalendarQuery,
    responses={200: "text/calendar"},
    errors=(422,),
)
def calendar() -> ResponseReturnValue:
    locale = reading_locale(parse_query(CalendarQuery).locale)
    text = service.calendar(get_session(), locale, utcnow(), public_base_url())
    response = Response(text, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="tianshan-streams-{locale}.ics"'
    return response


@bp.get("/<int:stream_id>")
@operation(
    summary="A stream with its run-sheet, status and cursor",
    tag="streams",
    responses={200: StreamOut},
    errors=(404,),
    etag=True,
)
def read(stream_id: int) -> ResponseReturnValue:
    session = get_session()
    stream = service.get_stream(session, stream_id)
    return _respond(stream, service.get_cursor(session, stream_id))


@bp.patch("/<int:stream_id>")
@operation(
    summary="Change a stream's title, time, audience or display delay",
    tag="streams",
    body=StreamPatch,
    roles=HOSTS,
    if_match=True,
    responses={200: StreamOut},
    errors=(404,),
    etag=True,
)
def patch(stream_id: int) -> ResponseReturnValue:
    session = get_session()
    stream, cursor = service.control_stream(session, stream_id, current_user())
    require_if_match(_etag(stream))
    service.update_stream(session, stream, parse_body(StreamPatch), current_user())
    session.commit()
    return _respond(stream, cursor)


def _lineup_change(stream: Stream, cursor: StreamCursor, status: int = 200) -> Response:
    session = get_session()
    actions.lineup_changed(session, stream, cursor, current_user())
    session.commit()
    return _respond(stream, cursor, status)


@bp.put("/<int:stream_id>/lineup")
@operation(
    summary="Set the ordered run-sheet (product ids, or items with numbers, notes and flash prices)",
    tag="streams",
    body=LineupPut,
    roles=HOSTS,
    if_match=True,
    responses={200: StreamOut},
    errors=(404,),
    etag=True,
)
def put_lineup(stream_id: int) -> ResponseReturnValue:
    session = get_session()
    stream, cursor = service.control_stream(session, stream_id, current_user())
    require_if_match(_etag(stream))
    data = parse_body(LineupPut)
    field = "product_ids.{i}" if data.product_ids is not None else "items.{i}.product_id"
    lineup_service.set_lineup(session, stream, cursor, data.as_items(), field)
    return _lineup_change(stream, cursor)


@bp.post("/<int:stream_id>/lineup/items")
@operation(
    summary="Insert one item into the run-sheet",
    tag="streams",
    body=LineupInsert,
    roles=HOSTS,
    if_match=True,
    responses={201: StreamOut},
    errors=(404,),
    etag=True,
)
def insert_item(stream_id: int) -> ResponseReturnValue:
    session = get_session()
    stream, cursor = service.control_stream(session, stream_id, current_user())
    require_if_match(_etag(stream))
    data = parse_body(LineupInsert)
    lineup_service.insert_item(session, stream, data, data.at)
    return _lineup_change(stream, cursor, 201)


@bp.post("/<int:stream_id>/lineup/order")
@operation(
    summary="Reorder the run-sheet (every item once; each keeps its number, notes and flash price)",
    tag="streams",
    body=LineupOrder,
    roles=HOSTS,
    if_match=True,
    responses={200: StreamOut},
    errors=(404,),
    etag=True,
)
def reorder(stream_id: int) -> ResponseReturnValue:
    session = get_session()
    stream, cursor = service.control_stream(session, stream_id, current_user())
    require_if_match(_etag(stream))
    lineup_service.reorder(session, stream, cursor, parse_body(LineupOrder).item_ids)
    return _lineup_change(stream, cursor)


@bp.post("/<int:stream_id>/flash")
@operation(
    summary="Start or stop the flash sale of the card on air",
    tag="streams",
    body=FlashSwitch,
    roles=HOSTS,
    responses={200: StreamOut},
    errors=(404, 409),
    etag=True,
)
def flash(stream_id: int) -> ResponseReturnValue:
    data = parse_body(FlashSwitch)
    session = get_session()
    stream, cursor = service.control_stream(session, stream_id, current_user())
    lineup_service.switch_flash(session, stream, cursor, data.on, utcnow())
    return _lineup_change(stream, cursor)


@bp.delete("/<int:stream_id>/lineup/items/<int:item_id>")
@operation(
    summary="Remove one item from the run-sheet",
    tag="streams",
    roles=HOSTS,
    if_match=True,
    responses={200: StreamOut},
    errors=(404,),
    etag=True,
)
def remove_item(stream_id: int, item_id: int) -> ResponseReturnValue:
    session = get_session()
    stream, cursor = service.control_stream(session, stream_id, current_user())
    require_if_match(_etag(stream))
    lineup_service.remove_item(session, stream, item_id)
    return _lineup_change(stream, cursor)


def _rate_max_age() -> dt.timedelta:
    return dt.timedelta(hours=float(current_app.config["READINESS_RATE_MAX_AGE_HOURS"]))


@bp.get("/<int:stream_id>/readiness")
@operation(
    summary="Go-live readiness of each run-sheet item and of the stream (409 for an empty run-sheet)",
    tag="streams",
    roles=STAFF,
    responses={200: ReadinessOut},
    errors=(404, 409),
)
def readiness(stream_id: int) -> ResponseReturnValue:
    session = get_session()
    stream = service.get_stream(session, stream_id)
    return jsonify(readiness_service.readiness(session, stream, utcnow(), _rate_max_age()))


@bp.post("/<int:stream_id>/start")
@operation(
    summary="Go live; 409 with the readiness report when it is blocked, unless force=true",
    tag="streams",
    query=StartQuery,
    roles=HOSTS,
    responses={200: StreamOut},
    errors=(404, 409, 422),
    etag=True,
)
def start(stream_id: int) -> ResponseReturnValue:
    query = parse_query(StartQuery)
    session = get_session()
    stream, cursor = service.control_stream(session, stream_id, current_user())
    now = utcnow()
    readiness_service.gate_start(session, stream, current_user(), now, _rate_max_age(), query.force)
    service.start_stream(session, stream, current_user(), now)
    session.commit()
    return _respond(stream, cursor)


@bp.post("/<int:stream_id>/end")
@operation(
    summary="End the show",
    tag="streams",
    roles=HOSTS,
    responses={200: StreamOut},
    errors=(404, 409),
    etag=True,
)
def end(stream_id: int) -> ResponseReturnValue:
    session = get_session()
    stream, cursor = service.control_stream(session, stream_id, current_user())
    service.end_stream(session, stream, current_user(), utcnow())
    session.commit()
    return _respond(stream, cursor)


@bp.post("/<int:stream_id>/cursor")
@operation(
    summary="Move what is on air: next, prev, goto, pin, unpin",
    tag="streams",
    body=CursorIn,
    roles=HOSTS,
    responses={200: CardOut},
    errors=(404, 409),
)
def cursor(stream_id: int) -> ResponseReturnValue:
    data = parse_body(CursorIn)
    session = get_session()
    move = actions.move(session, stream_id, data.action, data.position, current_user())
    session.commit()
    return jsonify(move.body)


@bp.get("/<int:stream_id>/card")
@operation(
    summary="The card on air, in every locale and currency of the stream",
    tag="streams",
    responses={200: CardOut},
    errors=(404,),
)
def card(stream_id: int) -> ResponseReturnValue:
    body = actions.card_on_air(get_session(), stream_id, read_memo())
    if body is None:
        raise NotFound(gettext("There is no stream %(id)s.", id=stream_id))
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _last_event_id() -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.args.get("last_event_id")
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_EVENT_ID:
        raise BadRequest(gettext("Last-Event-ID must be an event id this server sent (a whole number)."))
    return value


#: One event of the stream, as an event-stream reader sees it (``data`` is a JSON object).
SSE_EVENT: dict[str, t.Any] = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"enum": ["status", "lineup", "card", "readiness", "requests"]},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": {"type": "object"},
        },
        "id": {"type": "string", "pattern": "^[0-9]+$"},
        "retry": {"type": "integer"},
    },
}


def _chapters(stream_id: int) -> tuple[Stream, list[dict[str, t.Any]]]:
    locale = reading_locale(parse_query(ChaptersQuery).locale)
    session = get_session()
    stream = service.get_stream(session, stream_id)
    return stream, chapters_service.chapters(session, stream, locale, utcnow())


@bp.get("/<int:stream_id>/chapters")
@operation(
    summary="Replay chapters: each card on air and flash sale, in seconds from the recording's start",
    tag="streams",
    query=ChaptersQuery,
    responses={200: ChapterList},
    errors=(404, 409, 422),
)
def chapters(stream_id: int) -> ResponseReturnValue:
    stream, found = _chapters(stream_id)
    return jsonify({"stream_id": stream.id, "replay_url": stream.replay_url, "items": found})


@bp.get("/<int:stream_id>/chapters.vtt")
@operation(
    summary="Replay chapters as WebVTT (kind=chapters) for the player",
    tag="streams",
    query=ChaptersQuery,
    responses={200: "text/vtt"},
    errors=(404, 409, 422),
)
def chapters_vtt(stream_id: int) -> ResponseReturnValue:
    _stream, found = _chapters(stream_id)
    return Response(chapters_service.webvtt(found), mimetype="text/vtt")


def _admit_listener() -> None:
    """503 with Retry-After when this process holds as many listeners as it may."""
    if get_live().broadcaster.listener_count() >= current_app.config["LIVE_MAX_LISTENERS"]:
        raise ServiceUnavailable(
            gettext("Too many listeners on this server; try again shortly."), headers={"Retry-After": "5"}
        )


def _opening(stream_id: int) -> sse.Opening:
    """The snapshot a new listener starts from, read in a session of its own (404 for no such stream)."""
    live = get_live()
    with get_db().sessions() as session:
        stream = service.get_stream(session, stream_id)
        return sse.opening(session, stream, live.cards, utcnow(), live.low_stock)


@bp.get("/<int:stream_id>/events")
@operation(
    summary="Server-sent events: card, lineup and status, with ids; Last-Event-ID catches up",
    tag="streams",
    responses={200: {"text/event-stream": SSE_EVENT}},
    errors=(404, 503),
)
def events(stream_id: int) -> ResponseReturnValue:
    last_event_id = _last_event_id()
    live = get_live()
    sink = direct.sink_for(request.environ)
    if last_event_id is None:
        # A crowd connecting at once shares one snapshot until a table it was read from changes; the feed,
        # woken below, brings whatever was committed after it.
        opening = read_memo().get(("sse_opening", stream_id), lambda: _opening(stream_id))
        if not opening.current(utcnow()):
            opening = _opening(stream_id)
        _admit_listener()
        subscription = live.broadcaster.subscribe(stream_id, opening.mark, sink)
        initial = opening.frames
        live.flash.note(stream_id, opening.card)
    else:
        session = get_session()
        stream = service.get_stream(session, stream_id)
        _admit_listener()
        mark = stream_events.latest_id(session, stream_id)
        subscription = live.broadcaster.subscribe(stream_id, mark, sink)
        try:
            now = utcnow()
            initial, subscription.sent = sse.catch_up(
                session, stream, last_event_id, mark, live.cards, now, live.low_stock
            )
            live.flash.note(stream_id, current_card(session, stream_id, live.cards, now, live.low_stock))
        except BaseException:
            live.broadcaster.unsubscribe(subscription)
            raise
        session.close()
    live.feed.ensure_running()
    live.feed.wake()
    body = sse.generate(subscription, live.broadcaster, initial)
    response = Response(body, mimetype="text/event-stream")
    # The stream ends the subscription; this also ends it when the body never runs (HEAD).
    response.call_on_close(lambda: live.broadcaster.unsubscribe(subscription))
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"
    return response


def _recap(stream_id: int) -> dict[str, t.Any]:
    session = settled_session()
    stream = service.get_stream(session, stream_id)
    zone = _zone(parse_query(ZoneQuery).tz) or stream.time_zone
    return recap_service.recap(session, stream, zone, utcnow())


@bp.get("/<int:stream_id>/recap")
@operation(
    summary="What was on air, from when to when, in the host's time zone",
    tag="streams",
    query=ZoneQuery,
    roles=STAFF,
    responses={200: RecapOut},
    errors=(404, 422),
)
def recap(stream_id: int) -> ResponseReturnValue:
    return jsonify(_recap(stream_id))


@bp.get("/<int:stream_id>/recap.csv")
@operation(
    summary="The recap as CSV, for cutting clips",
    tag="streams",
    query=ZoneQuery,
    roles=STAFF,
    responses={200: "text/csv"},
    errors=(404, 422),
)
def recap_csv(stream_id: int) -> ResponseReturnValue:
    response = Response(recap_service.recap_csv(_recap(stream_id)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="stream-{stream_id}-recap.csv"'
    return response
