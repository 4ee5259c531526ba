"""The host console's live analytics panel: the card on air by viewer locale, and what is most wanted."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint
from flask import jsonify
from flask.typing import ResponseReturnValue

from catalog.analytics import settled_session
from catalog.models import LineupItem
from catalog.models import Role
from catalog.models import utcnow
from catalog.services import stream_analytics
from catalog.services import streams as stream_service
from catalog.web.context import page_locale
from catalog.web.host import json_endpoint
from catalog.web.signin import staff_required

bp = Blueprint("host_analytics", __name__, url_prefix="/host")


@bp.get("/streams/<int:stream_id>/analytics")
@staff_required(Role.HOST)
@json_endpoint
def panel(stream_id: int) -> ResponseReturnValue:
    """Views and wants per minute of the card on air by locale; the most wanted of the last 5 minutes."""
    session = settled_session()
    stream_service.get_stream(session, stream_id)
    cursor = stream_service.get_cursor(session, stream_id)
    on_air = None
    if cursor is not None and cursor.item_id is not None:
        on_air = session.scalar(sa.select(LineupItem.product_id).where(LineupItem.id == cursor.item_id))
    return jsonify(stream_analytics.live_panel(session, stream_id, on_air, page_locale(), utcnow()))
