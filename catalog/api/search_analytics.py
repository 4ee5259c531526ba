"""``/api/v1/search/clicks`` and ``/api/v1/search/analytics``: what viewers search for and open."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint
from flask import jsonify
from flask.typing import ResponseReturnValue

from catalog.analytics import admit_beacon
from catalog.analytics import beacon_session
from catalog.analytics import settled_session
from catalog.api.spec import operation
from catalog.http import parse_body
from catalog.http import parse_query
from catalog.models import Role
from catalog.models import utcnow
from catalog.schemas.analytics import Accepted
from catalog.schemas.analytics import ClickIn
from catalog.schemas.analytics import SearchAnalyticsOut
from catalog.schemas.analytics import SearchAnalyticsQuery
from catalog.services import search_analytics as service

bp = Blueprint("search_analytics_api", __name__, url_prefix="/api/v1/search")
STAFF = (Role.ADMIN, Role.EDITOR)
#: The period a report covers when ``from`` is not given.
DEFAULT_PERIOD = dt.timedelta(days=7)


@bp.post("/clicks")
@operation(
    summary="Count a click on a search result at a position (no personal data)",
    tag="search",
    body=ClickIn,
    responses={202: Accepted},
    errors=(422, 429),
)
def click() -> ResponseReturnValue:
    analytics = admit_beacon()
    data = parse_body(ClickIn)
    with beacon_session() as session:
        service.record_click(
            session,
            analytics.writer,
            text=data.q,
            locale=data.locale,
            position=data.position,
            product_id=data.product_id,
            now=utcnow(),
        )
    return jsonify({"accepted": True}), 202


@bp.get("/analytics")
@operation(
    summary="Top queries, queries that find nothing, and queries whose results are seldom opened",
    tag="search",
    query=SearchAnalyticsQuery,
    roles=STAFF,
    responses={200: SearchAnalyticsOut},
    errors=(422,),
)
def analytics() -> ResponseReturnValue:
    query = parse_query(SearchAnalyticsQuery)
    end = query.to or utcnow()
    start = query.from_ or end - DEFAULT_PERIOD
    report = service.report(
        settled_session(), start, end, query.locale, limit=query.limit, min_searches=query.min_searches
    )
    return jsonify(report)
