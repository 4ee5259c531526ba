"""The OBS overlay: a transparent 1920×1080 or 1080×1920 page showing the card on air."""

from __future__ import annotations

from flask import Blueprint
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from catalog.db import get_session
from catalog.errors import Unprocessable
from catalog.services import streams as stream_service
from catalog.web.context import _
from translations.locales import normalize_locale

bp = Blueprint("overlay", __name__, url_prefix="/overlay")
LAYOUTS = ("landscape", "portrait")


@bp.get("/streams/<int:stream_id>")
def overlay(stream_id: int) -> ResponseReturnValue:
    """The overlay page; its script follows the stream's events and keeps the display delay."""
    layout = request.args.get("layout", "landscape")
    if layout not in LAYOUTS:
        message = _("The layout is landscape or portrait.")
        raise Unprocessable(message, errors=[{"field": "layout", "message": message}])
    stream = stream_service.get_stream(get_session(), stream_id)
    asked = normalize_locale(request.args.get("locale", "") or "")
    locales = list(stream.locales) or ["zh"]
    locale = asked if asked in locales else locales[0]
    currency = request.args.get("currency") or ""
    if currency not in stream.currencies:
        currency = (stream.currencies or ["CNY"])[0]
    return render_template(
        "overlay.html",
        stream=stream,
        layout=layout,
        card_locale=locale,
        card_currency=currency,
        events_url=url_for("streams_api.events", stream_id=stream_id),
        card_url=url_for("streams_api.card", stream_id=stream_id),
    )
