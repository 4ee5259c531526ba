"""``/api/v1/streams/{id}/beacons`` and ``/analytics``: what viewers did with each product of a show."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask.typing import ResponseReturnValue

from catalog.analytics import admit_beacon
from catalog.analytics import beacon_session
from catalog.analytics import settled_session
from catalog.api.spec import operation
from catalog.caches import read_memo
from catalog.http import parse_body
from catalog.http import parse_query
from catalog.models import Role
from catalog.models import utcnow
from catalog.negotiation import reading_locale
from catalog.schemas.analytics import Accepted
from catalog.schemas.analytics import BeaconIn
from catalog.schemas.analytics import StreamAnalyticsOut
from catalog.schemas.queries import ReadQuery
from catalog.services import stream_analytics as service
from catalog.services import streams as streams_service

#: Mounted inside the streams blueprint, under ``/api/v1/streams``.
bp = Blueprint("stream_analytics", __name__)
#: The answer to every accepted beacon.
ACCEPTED = {"accepted": True}
STAFF = (Role.ADMIN, Role.HOST, Role.EDITOR)


@bp.post("/<int:stream_id>/beacons")
@operation(
    summary="Count a viewer's card view, product page opened from the show, or want tap (no personal data)",
    tag="streams",
    body=BeaconIn,
    responses={202: Accepted},
    errors=(404, 422, 429),
)
def beacon(stream_id: int) -> ResponseReturnValue:
    analytics = admit_beacon()
    data = parse_body(BeaconIn)
    # Until the stream or its run-sheet changes, its state comes from memory: a beacon reads nothing.
    target = read_memo().get(("beacon_target", stream_id), lambda: _beacon_target(stream_id))
    service.record_beacon(
        analytics.writer,
        target,
        stream_id=stream_id,
        kind=data.kind,
        product_id=data.product_id,
        locale=data.locale,
        now=utcnow(),
    )
    return ACCEPTED, 202


def _beacon_target(stream_id: int) -> service.BeaconTarget | None:
    with beacon_session() as session:
        return service.beacon_target(session, stream_id)


def _summary(stream_id: int) -> dict[str, object]:
    locale = reading_locale(parse_query(ReadQuery).locale)
    session = settled_session()
    stream = streams_service.get_stream(session, stream_id)
    return service.stream_analytics(session, stream, locale)


@bp.get("/<int:stream_id>/analytics")
@operation(
    summary="Views, product pages opened and wants per product, minute and viewer locale",
    tag="streams",
    query=ReadQuery,
    roles=STAFF,
    responses={200: StreamAnalyticsOut},
    errors=(404, 422),
)
def analytics(stream_id: int) -> ResponseReturnValue:
    return jsonify(_summary(stream_id))


@bp.get("/<int:stream_id>/analytics.csv")
@operation(
    summary="The show's analytics as CSV: one row per minute, product and viewer locale",
    tag="streams",
    query=ReadQuery,
    roles=STAFF,
    responses={200: "text/csv"},
    errors=(404, 422),
)
def analytics_csv(stream_id: int) -> ResponseReturnValue:
    response = Response(service.analytics_csv(_summary(stream_id)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="stream-{stream_id}-analytics.csv"'
    return response
