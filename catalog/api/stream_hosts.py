"""``/api/v1/streams/{id}/hosts``: the co-hosts who control a stream beside its host."""

from __future__ import annotations

from flask import Blueprint
from flask import jsonify
from flask.typing import ResponseReturnValue

from catalog.api.spec import operation
from catalog.auth import require_user
from catalog.db import get_session
from catalog.http import etag_for
from catalog.http import parse_body
from catalog.http import require_if_match
from catalog.models import Role
from catalog.models import utcnow
from catalog.presenting.streams import stream_json
from catalog.schemas.streams import CoHostsIn
from catalog.schemas.streams import StreamOut
from catalog.services import streams as service
from catalog.services.stream_hosts import set_co_hosts

#: Mounted inside the streams blueprint, under ``/api/v1/streams``.
bp = Blueprint("stream_hosts", __name__)
HOSTS = (Role.ADMIN, Role.HOST)


@bp.put("/<int:stream_id>/hosts")
@operation(
    summary="Set the co-hosts who control the stream beside its host (its host or an admin)",
    tag="streams",
    body=CoHostsIn,
    roles=HOSTS,
    if_match=True,
    responses={200: StreamOut},
    errors=(403, 404, 422),
    etag=True,
)
def put_hosts(stream_id: int) -> ResponseReturnValue:
    user = require_user(*HOSTS)
    session = get_session()
    stream, cursor = service.control_stream(session, stream_id, user)
    require_if_match(etag_for("stream", stream.id, stream.version))
    set_co_hosts(session, stream, parse_body(CoHostsIn).co_hosts, user)
    session.commit()
    response = jsonify(stream_json(session, stream, cursor, utcnow(), with_notes=True))
    response.headers["ETag"] = etag_for("stream", stream.id, stream.version)
    return response
