"""The host console: the run-sheet of a show, moved on air from the keyboard.

The console's script calls the JSON endpoints below with the page's session and CSRF token
(the ``/api/v1`` endpoints take bearer tokens, which a browser page does not hold); each one
calls the same stream services as the API, so every listener gets the same events.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing as t

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from catalog.db import get_session
from catalog.errors import BadRequest
from catalog.errors import CatalogError
from catalog.errors import Conflict
from catalog.errors import Unprocessable
from catalog.errors import problem_response
from catalog.errors import status_of
from catalog.http import parse_model
from catalog.live import actions
from catalog.models import Role
from catalog.models import Stream
from catalog.models import StreamCursor
from catalog.models import StreamStatus
from catalog.models import utcnow
from catalog.presenting.products import localized
from catalog.presenting.streams import title_for
from catalog.schemas.streams import CursorIn
from catalog.schemas.streams import LineupInsert
from catalog.schemas.streams import LineupOrder
from catalog.schemas.streams import StreamCreate
from catalog.services import lineup as lineup_service
from catalog.services import pricing
from catalog.services import readiness as readiness_service
from catalog.services import streams as stream_service
from catalog.web.context import _
from catalog.web.context import money
from catalog.web.context import page_locale
from catalog.web.schedule import schedule_form
from catalog.web.showcase import ZONE_BY_LOCALE
from catalog.web.signin import signed_in_user
from catalog.web.signin import staff_required
from translations.locales import content_options

bp = Blueprint("host", __name__, url_prefix="/host")
F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def json_endpoint(view: F) -> F:
    """Answer errors of a console call as problem documents, which the console's script shows."""

    @functools.wraps(view)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        try:
            return view(*args, **kwargs)
        except CatalogError as exc:
            get_session().rollback()
            return problem_response(exc)

    return t.cast(F, wrapper)


def _body() -> dict[str, t.Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest(_("Send a JSON object."))
    return body


def lineup_rows(stream: Stream, now: dt.datetime) -> list[dict[str, t.Any]]:
    """The run-sheet as the console lists it: number, name in the host's language, price, flash."""
    locale = page_locale()
    rates = pricing.all_rates(get_session())
    rows = []
    for item in stream.items:
        product = item.product
        flash = None
        if item.flash_amount is not None:
            flash = {
                "price": money(item.flash_amount, product.price_currency, product.price_currency, rates),
                "phase": item.flash_phase(now),
            }
        rows.append(
            {
                "id": item.id,
                "position": item.position,
                "number": item.number,
                "product_id": product.id,
                "sku": product.sku,
                "name": localized(product, locale)["name"],
                "price": money(product.price_amount, product.price_currency, product.price_currency, rates),
                "stock": product.stock,
                "available": product.status.value == "published",
                "notes": item.notes,
                "flash": flash,
            }
        )
    return rows


def _state(stream: Stream, cursor: StreamCursor | None) -> dict[str, t.Any]:
    now = utcnow()
    envelope = actions.card_on_air(get_session(), stream.id)
    return {
        "status": stream.status.value,
        "version": stream.version,
        "position": cursor.position if cursor else 0,
        "pinned": cursor.pinned if cursor else False,
        "lineup": lineup_rows(stream, now),
        "envelope": envelope,
    }


def _clocks(stream: Stream) -> list[dict[str, str]]:
    clocks = [{"label": _("Studio"), "zone": stream.time_zone}]
    seen = {stream.time_zone}
    for locale in stream.locales:
        zone = ZONE_BY_LOCALE.get(locale)
        if zone and zone not in seen:
            seen.add(zone)
            clocks.append({"label": zone.rsplit("/", 1)[-1].replace("_", " "), "zone": zone})
    return clocks


def _index(values: dict[str, t.Any], errors: dict[str, list[str]], status: int = 200) -> ResponseReturnValue:
    locale = page_locale()
    shows = [
        {
            "id": s.id,
            "title": title_for(s, locale),
            "status": s.status.value,
            "starts_at": s.starts_at.isoformat(),
        }
        for s in stream_service.upcoming(get_session(), utcnow(), None, 50)
    ]
    zones = sorted(set(ZONE_BY_LOCALE.values()) | {current_app.config["STREAMS_TIME_ZONE"]})
    page = render_template(
        "host/index.html", shows=shows, values=values, errors=errors, zones=zones, audiences=content_options()
    )
    return page, status


@bp.route("/streams", methods=["GET", "POST"])
@staff_required(Role.HOST)
def console_index() -> ResponseReturnValue:
    """The shows, and a form to schedule one (its run-sheet is then filled from the console)."""
    studio = current_app.config["STREAMS_TIME_ZONE"]
    if request.method == "GET":
        defaults = {
            "time_zone": studio,
            "duration_minutes": "180",
            "locales": ["ru", "kk"],
            "currencies": "KZT, CNY",
        }
        return _index(defaults, {})
    values, payload, problems = schedule_form(request.form, studio)
    session = get_session()
    try:
        if problems:
            raise Unprocessable(_("The show cannot be scheduled as it is."), errors=problems)
        data = parse_model(StreamCreate, payload)
        stream = stream_service.create_stream(session, data, signed_in_user(), studio)
        session.commit()
    except CatalogError as exc:
        session.rollback()
        errors: dict[str, list[str]] = {}
        for error in exc.errors or [{"field": "form", "message": exc.detail}]:
            errors.setdefault(error["field"].split(".")[0], []).append(error["message"])
        return _index(values, errors, status_of(exc))
    return redirect(url_for(".console", stream_id=stream.id))


@bp.get("/streams/<int:stream_id>")
@staff_required(Role.HOST)
def console(stream_id: int) -> ResponseReturnValue:
    session = get_session()
    stream = stream_service.get_stream(session, stream_id)
    cursor = stream_service.get_cursor(session, stream_id)
    state = _state(stream, cursor)
    locale = page_locale()
    locales = [loc for loc in stream.locales]
    return render_template(
        "host/console.html",
        stream=stream,
        title=title_for(stream, locale),
        state=state,
        readiness=_readiness(stream),
        clocks=_clocks(stream),
        card_locale=locale if locale in locales else (locales[0] if locales else locale),
        card_currency=(stream.currencies or ["CNY"])[0],
        urls={
            "state": url_for(".state", stream_id=stream_id),
            "cursor": url_for(".cursor", stream_id=stream_id),
            "order": url_for(".order", stream_id=stream_id),
            "insert": url_for(".insert", stream_id=stream_id),
            "flash": url_for(".flash", stream_id=stream_id),
            "status": url_for(".status", stream_id=stream_id),
            "readiness": url_for(".readiness", stream_id=stream_id),
            "events": url_for("streams_api.events", stream_id=stream_id),
            "search": url_for("search_api.search"),
            "overlay": url_for("overlay.overlay", stream_id=stream_id),
        },
    )


def _rate_max_age() -> dt.timedelta:
    return dt.timedelta(hours=float(current_app.config["READINESS_RATE_MAX_AGE_HOURS"]))


def _readiness(stream: Stream) -> dict[str, t.Any] | None:
    """The go-live report a host reads before Start (none once live, or for an empty run-sheet)."""
    if stream.status is not StreamStatus.SCHEDULED or not stream.items:
        return None
    return readiness_service.readiness(get_session(), stream, utcnow(), _rate_max_age())


@bp.get("/streams/<int:stream_id>/readiness")
@staff_required(Role.HOST)
def readiness(stream_id: int) -> ResponseReturnValue:
    """The readiness section alone, which the console swaps in when a ``readiness`` event arrives."""
    report = _readiness(stream_service.get_stream(get_session(), stream_id))
    return render_template("host/_readiness.html", readiness=report) if report else ("", 204)


@bp.get("/streams/<int:stream_id>/state")
@staff_required(Role.HOST)
@json_endpoint
def state(stream_id: int) -> ResponseReturnValue:
    session = get_session()
    stream = stream_service.get_stream(session, stream_id)
    return jsonify(_state(stream, stream_service.get_cursor(session, stream_id)))


@bp.post("/streams/<int:stream_id>/cursor")
@staff_required(Role.HOST)
@json_endpoint
def cursor(stream_id: int) -> ResponseReturnValue:
    data = parse_model(CursorIn, _body())
    session = get_session()
    move = actions.move(session, stream_id, data.action, data.position, signed_in_user())
    session.commit()
    return jsonify(_state(move.stream, move.cursor))


def _changed(stream: Stream, cursor: StreamCursor) -> ResponseReturnValue:
    session = get_session()
    actions.lineup_changed(session, stream, cursor, signed_in_user())
    session.commit()
    return jsonify(_state(stream, cursor))


def _check_version(stream: Stream, body: t.Mapping[str, t.Any]) -> None:
    if body.get("version") != stream.version:
        raise Conflict(_("The run-sheet changed meanwhile (another console?); it has been reloaded."))


@bp.post("/streams/<int:stream_id>/order")
@staff_required(Role.HOST)
@json_endpoint
def order(stream_id: int) -> ResponseReturnValue:
    """Put the run-sheet in the order of ``item_ids`` (each item keeps its number, notes and flash)."""
    body = _body()
    session = get_session()
    stream, cursor = stream_service.control_stream(session, stream_id, signed_in_user())
    _check_version(stream, body)
    data = parse_model(LineupOrder, {"item_ids": body.get("item_ids")})
    lineup_service.reorder(session, stream, cursor, data.item_ids)
    return _changed(stream, cursor)


@bp.post("/streams/<int:stream_id>/insert")
@staff_required(Role.HOST)
@json_endpoint
def insert(stream_id: int) -> ResponseReturnValue:
    """Insert a product after the card on air (or at ``at``)."""
    body = _body()
    session = get_session()
    stream, cursor = stream_service.control_stream(session, stream_id, signed_in_user())
    data = parse_model(LineupInsert, {"product_id": body.get("product_id"), "at": body.get("at")})
    if data.at is None:
        lineup_service.insert_up_next(session, stream, cursor, data.product_id)
    else:
        lineup_service.insert_item(session, stream, data, data.at)
    return _changed(stream, cursor)


@bp.post("/streams/<int:stream_id>/flash")
@staff_required(Role.HOST)
@json_endpoint
def flash(stream_id: int) -> ResponseReturnValue:
    """Switch the flash price of the card on air on (``{"on": true}``) or off."""
    body = _body()
    session = get_session()
    stream, cursor = stream_service.control_stream(session, stream_id, signed_in_user())
    lineup_service.switch_flash(session, stream, cursor, bool(body.get("on")), utcnow())
    return _changed(stream, cursor)


@bp.post("/streams/<int:stream_id>/status")
@staff_required(Role.HOST)
@json_endpoint
def status(stream_id: int) -> ResponseReturnValue:
    """Start (``{"action": "start"}``) or end the show."""
    action = _body().get("action")
    session = get_session()
    stream, cursor = stream_service.control_stream(session, stream_id, signed_in_user())
    if action == "start":
        now, force = utcnow(), _body().get("force") is True
        readiness_service.gate_start(session, stream, signed_in_user(), now, _rate_max_age(), force)
        stream_service.start_stream(session, stream, signed_in_user(), now)
    elif action == "end":
        stream_service.end_stream(session, stream, signed_in_user(), utcnow())
    else:
        raise BadRequest(_("The action is start or end."))
    session.commit()
    return jsonify(_state(stream, cursor))
