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

from catalog.api.presenters import localized
from catalog.db import get_session
from catalog.errors import ApiError
from catalog.errors import BadRequest
from catalog.errors import Conflict
from catalog.errors import Unprocessable
from catalog.errors import problem_response
from catalog.http import parse_model
from catalog.live import get_live
from catalog.models import LineupItem
from catalog.models import Role
from catalog.models import Stream
from catalog.models import StreamCursor
from catalog.models import utcnow
from catalog.schemas.streams import CursorIn
from catalog.schemas.streams import FlashIn
from catalog.schemas.streams import LineupInsert
from catalog.schemas.streams import LineupItemIn
from catalog.schemas.streams import StreamCreate
from catalog.services import lineup as lineup_service
from catalog.services import pricing
from catalog.services import streams as stream_service
from catalog.services.cards import current_card
from catalog.services.cursor import move_cursor
from catalog.services.stream_json import title_for
from catalog.web.context import _
from catalog.web.context import money
from catalog.web.context import page_locale
from catalog.web.schedule import schedule_form
from catalog.web.showcase import ZONE_BY_LOCALE
from catalog.web.signin import signed_in_user
from catalog.web.signin import staff_required

bp = Blueprint("host", __name__, url_prefix="/host")
F = t.TypeVar("F", bound=t.Callable[..., t.Any])
#: How long a flash sale runs when the host switches it on and the run-sheet gave no end.
FLASH_MINUTES = 15


def json_endpoint(view: F) -> F:
    """Answer errors of a console call as problem documents, which the console's script shows."""

    @functools.wraps(view)
    def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
        try:
            return view(*args, **kwargs)
        except ApiError as exc:
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
    envelope = current_card(
        get_session(), stream.id, get_live().cards, now, int(current_app.config["LIVE_LOW_STOCK"])
    )
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
    page = render_template("host/index.html", shows=shows, values=values, errors=errors, zones=zones)
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
    except ApiError as exc:
        session.rollback()
        errors: dict[str, list[str]] = {}
        for error in exc.errors or [{"field": "form", "message": exc.detail}]:
            errors.setdefault(error["field"].split(".")[0], []).append(error["message"])
        return _index(values, errors, exc.status)
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
            "events": url_for("streams_api.events", stream_id=stream_id),
            "search": url_for("search_api.search"),
            "overlay": url_for("overlay.overlay", stream_id=stream_id),
        },
    )


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
    stream_service.check_control(session, stream_id, signed_in_user())
    move = move_cursor(
        session,
        stream_id,
        data.action,
        data.position,
        signed_in_user(),
        utcnow(),
        get_live().cards,
        int(current_app.config["LIVE_LOW_STOCK"]),
    )
    session.commit()
    return jsonify(_state(move.stream, move.cursor))


def _kept(item: LineupItem, flash: FlashIn | bool | None = True) -> LineupItemIn:
    """*item* as the run-sheet input that keeps it as it is (or with another *flash*)."""
    if flash is True:
        flash = None
        if item.flash_amount is not None and item.flash_starts_at and item.flash_ends_at:
            flash = FlashIn(
                amount=str(item.flash_amount.normalize()),
                starts_at=item.flash_starts_at,
                ends_at=item.flash_ends_at,
                per_viewer_limit=item.flash_per_viewer_limit,
            )
    return LineupItemIn(
        product_id=item.product_id,
        number=item.number,
        notes=item.notes,
        flash=flash if isinstance(flash, FlashIn) else None,
    )


def _changed(stream: Stream, cursor: StreamCursor) -> ResponseReturnValue:
    session = get_session()
    lineup_service.lineup_changed(
        session,
        stream,
        cursor,
        signed_in_user(),
        utcnow(),
        get_live().cards,
        int(current_app.config["LIVE_LOW_STOCK"]),
    )
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
    by_id = {item.id: item for item in stream.items}
    ids = body.get("item_ids")
    if not isinstance(ids, list) or any(type(i) is not int for i in ids) or sorted(ids) != sorted(by_id):
        raise BadRequest(_("Send every item of the run-sheet once, in the new order."))
    items = [_kept(by_id[i]) for i in ids]
    lineup_service.set_lineup(session, stream, cursor, items, "items.{i}.product_id")
    return _changed(stream, cursor)


@bp.post("/streams/<int:stream_id>/insert")
@staff_required(Role.HOST)
@json_endpoint
def insert(stream_id: int) -> ResponseReturnValue:
    """Insert a product after the card on air (or at ``at``)."""
    body = _body()
    session = get_session()
    stream, cursor = stream_service.control_stream(session, stream_id, signed_in_user())
    at = body.get("at") or min(cursor.position + 1, len(stream.items) + 1)
    data = parse_model(LineupInsert, {"product_id": body.get("product_id"), "at": at})
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
    item = next((i for i in stream.items if i.id == cursor.item_id), None)
    if item is None or item.flash_amount is None:
        raise Conflict(_("The card on air has no flash price in the run-sheet."))
    now = utcnow()
    amount = str(item.flash_amount.normalize())
    if body.get("on"):
        ends = item.flash_ends_at if item.flash_ends_at and item.flash_ends_at > now else None
        window = FlashIn(
            amount=amount,
            starts_at=now,
            ends_at=ends or now + dt.timedelta(minutes=FLASH_MINUTES),
            per_viewer_limit=item.flash_per_viewer_limit,
        )
    else:
        starts = item.flash_starts_at if item.flash_starts_at and item.flash_starts_at < now else None
        window = FlashIn(
            amount=amount,
            starts_at=starts or now - dt.timedelta(seconds=1),
            ends_at=now,
            per_viewer_limit=item.flash_per_viewer_limit,
        )
    items = [_kept(i, window if i.id == item.id else True) for i in stream.items]
    lineup_service.set_lineup(session, stream, cursor, items, "items.{i}.product_id")
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
        stream_service.start_stream(session, stream, signed_in_user(), utcnow())
    elif action == "end":
        stream_service.end_stream(session, stream, signed_in_user(), utcnow())
    else:
        raise BadRequest(_("The action is start or end."))
    session.commit()
    return jsonify(_state(stream, cursor))
