"""``/api/v1/search/synonyms`` and ``/api/v1/search/rules``: what staff tell search (editor, admin)."""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from catalog.api.spec import operation
from catalog.auth import current_user
from catalog.curating import get_curations
from catalog.db import get_session
from catalog.errors import BadRequest
from catalog.http import decode_cursor
from catalog.http import encode_cursor
from catalog.http import etag_for
from catalog.http import parse_body
from catalog.http import parse_query
from catalog.http import require_if_match
from catalog.models import Role
from catalog.models import SearchRule
from catalog.models import SearchSynonym
from catalog.models import utcnow
from catalog.schemas.search_curation import RuleIn
from catalog.schemas.search_curation import RuleList
from catalog.schemas.search_curation import RuleOut
from catalog.schemas.search_curation import RuleQuery
from catalog.schemas.search_curation import SynonymIn
from catalog.schemas.search_curation import SynonymList
from catalog.schemas.search_curation import SynonymOut
from catalog.schemas.search_curation import SynonymQuery
from catalog.services import search_rules as rules
from catalog.services import search_synonyms as synonyms

bp = Blueprint("search_curation_api", __name__, url_prefix="/api/v1/search")
STAFF = (Role.ADMIN, Role.EDITOR)
SYNONYMS_CURSOR = "search-synonyms"
RULES_CURSOR = "search-rules"


def _respond(body: dict[str, t.Any], etag: str, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["ETag"] = etag
    return response


def _synonym_etag(row: SearchSynonym) -> str:
    return etag_for("search-synonym", row.id, row.version)


def _rule_etag(row: SearchRule) -> str:
    return etag_for("search-rule", row.id, row.version)


def _after(cursor: str | None, kind: str, filters: t.Any) -> int | None:
    state = decode_cursor(cursor, kind)
    if state is None:
        return None
    if state.get("f") != filters or not isinstance(state.get("after"), int):
        raise BadRequest(gettext("This cursor was made for other filters; start from the first page."))
    return int(state["after"])


def _page(
    rows: list[t.Any], limit: int, kind: str, filters: t.Any, shape: t.Callable[[t.Any], t.Any]
) -> Response:
    more = len(rows) > limit
    shown = rows[:limit]
    cursor = encode_cursor({"k": kind, "after": shown[-1].id, "f": filters}) if more else None
    return jsonify({"items": [shape(row) for row in shown], "next_cursor": cursor})


def _changed() -> None:
    get_session().commit()
    get_curations().forget()


@bp.get("/synonyms")
@operation(
    summary="List the staff's synonyms",
    tag="search",
    roles=STAFF,
    query=SynonymQuery,
    responses={200: SynonymList},
    errors=(400,),
)
def list_synonyms() -> ResponseReturnValue:
    query = parse_query(SynonymQuery)
    after = _after(query.cursor, SYNONYMS_CURSOR, query.locale)
    rows = synonyms.list_synonyms(get_session(), query.locale, after, query.limit + 1)
    return _page(rows, query.limit, SYNONYMS_CURSOR, query.locale, synonyms.synonym_json)


@bp.post("/synonyms")
@operation(
    summary="Add a synonym entry",
    tag="search",
    roles=STAFF,
    body=SynonymIn,
    responses={201: SynonymOut},
    errors=(422,),
    etag=True,
    description="One way (`term` also finds each synonym) or both ways (`two_way`: each finds all "
    "the others). Phrases may have several words; search expands them one step, so cycles are harmless.",
)
def add_synonym() -> ResponseReturnValue:
    data = parse_body(SynonymIn)
    row = synonyms.add_synonym(get_session(), data, current_user())
    _changed()
    response = _respond(synonyms.synonym_json(row), _synonym_etag(row), 201)
    response.headers["Location"] = url_for(".read_synonym", synonym_id=row.id)
    return response


@bp.get("/synonyms/<int:synonym_id>")
@operation(
    summary="Read a synonym entry",
    tag="search",
    roles=STAFF,
    responses={200: SynonymOut},
    errors=(404,),
    etag=True,
)
def read_synonym(synonym_id: int) -> ResponseReturnValue:
    row = synonyms.get_synonym(get_session(), synonym_id)
    return _respond(synonyms.synonym_json(row), _synonym_etag(row))


@bp.put("/synonyms/<int:synonym_id>")
@operation(
    summary="Replace a synonym entry",
    tag="search",
    roles=STAFF,
    body=SynonymIn,
    if_match=True,
    responses={200: SynonymOut},
    errors=(404, 422),
    etag=True,
)
def replace_synonym(synonym_id: int) -> ResponseReturnValue:
    session = get_session()
    row = synonyms.get_synonym(session, synonym_id)
    require_if_match(_synonym_etag(row))
    synonyms.replace_synonym(session, row, parse_body(SynonymIn), current_user())
    _changed()
    return _respond(synonyms.synonym_json(row), _synonym_etag(row))


@bp.delete("/synonyms/<int:synonym_id>")
@operation(
    summary="Remove a synonym entry",
    tag="search",
    roles=STAFF,
    if_match=True,
    responses={204: None},
    errors=(404,),
)
def remove_synonym(synonym_id: int) -> ResponseReturnValue:
    session = get_session()
    row = synonyms.get_synonym(session, synonym_id)
    require_if_match(_synonym_etag(row))
    synonyms.remove_synonym(session, row, current_user())
    _changed()
    return Response(status=204)


@bp.get("/rules")
@operation(
    summary="List the query rules",
    tag="search",
    roles=STAFF,
    query=RuleQuery,
    responses={200: RuleList},
    errors=(400,),
)
def list_rules() -> ResponseReturnValue:
    query = parse_query(RuleQuery)
    after = _after(query.cursor, RULES_CURSOR, None)
    rows = rules.list_rules(get_session(), after, query.limit + 1)
    now = utcnow()
    return _page(rows, query.limit, RULES_CURSOR, None, lambda row: rules.rule_json(row, now))


@bp.post("/rules")
@operation(
    summary="Add a query rule",
    tag="search",
    roles=STAFF,
    body=RuleIn,
    responses={201: RuleOut},
    errors=(422,),
    etag=True,
    description="For one `query` (as search normalises it) or one `category`: pin products at "
    "positions, hide products, boost origin countries, categories or booths; optionally between "
    "`starts_at` and `ends_at`. A pinned or hidden product must exist and be published (422 names it).",
)
def add_rule() -> ResponseReturnValue:
    data = parse_body(RuleIn)
    row = rules.add_rule(get_session(), data, current_user())
    _changed()
    response = _respond(rules.rule_json(row, utcnow()), _rule_etag(row), 201)
    response.headers["Location"] = url_for(".read_rule", rule_id=row.id)
    return response


@bp.get("/rules/<int:rule_id>")
@operation(
    summary="Read a query rule", tag="search", roles=STAFF, responses={200: RuleOut}, errors=(404,), etag=True
)
def read_rule(rule_id: int) -> ResponseReturnValue:
    row = rules.get_rule(get_session(), rule_id)
    return _respond(rules.rule_json(row, utcnow()), _rule_etag(row))


@bp.put("/rules/<int:rule_id>")
@operation(
    summary="Replace a query rule",
    tag="search",
    roles=STAFF,
    body=RuleIn,
    if_match=True,
    responses={200: RuleOut},
    errors=(404, 422),
    etag=True,
)
def replace_rule(rule_id: int) -> ResponseReturnValue:
    session = get_session()
    row = rules.get_rule(session, rule_id)
    require_if_match(_rule_etag(row))
    rules.replace_rule(session, row, parse_body(RuleIn), current_user())
    _changed()
    return _respond(rules.rule_json(row, utcnow()), _rule_etag(row))


@bp.delete("/rules/<int:rule_id>")
@operation(
    summary="Remove a query rule",
    tag="search",
    roles=STAFF,
    if_match=True,
    responses={204: None},
    errors=(404,),
)
def remove_rule(rule_id: int) -> ResponseReturnValue:
    session = get_session()
    row = rules.get_rule(session, rule_id)
    require_if_match(_rule_etag(row))
    rules.remove_rule(session, row, current_user())
    _changed()
    return Response(status=204)
