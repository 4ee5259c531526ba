"""The host console's queue of viewers' requests: what was asked for lately, for the console's script."""

from __future__ import annotations

from flask import Blueprint
from flask import jsonify
from flask.typing import ResponseReturnValue

from catalog.db import get_session
from catalog.models import Role
from catalog.models import utcnow
from catalog.services import streams as stream_service
from catalog.services import viewer_requests
from catalog.web.context import page_locale
from catalog.web.host import json_endpoint
from catalog.web.signin import staff_required

bp = Blueprint("host_requests", __name__, url_prefix="/host")


@bp.get("/streams/<int:stream_id>/requests")
@staff_required(Role.HOST)
@json_endpoint
def queue(stream_id: int) -> ResponseReturnValue:
    """The products viewers asked for in the last minutes, named in the host's language."""
    session = get_session()
    stream = stream_service.get_stream(session, stream_id)
    items = viewer_requests.request_queue(session, stream, page_locale(), utcnow())
    return jsonify({"items": items})
