"""Request parsing and the HTTP mechanics shared by every API view: bodies, ETags, cursors."""

from __future__ import annotations

import typing as t

import orjson
import pydantic
from flask import current_app
from flask import request
from flask_babel import gettext
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer

from catalog.errors import BadRequest
from catalog.errors import PayloadTooLarge
from catalog.errors import PreconditionFailed
from catalog.errors import PreconditionRequired
from catalog.errors import Unprocessable
from catalog.errors import UnsupportedMediaType
from catalog.presenting.etags import etag_for as etag_for
from catalog.schemas.parse import invalid as invalid
from catalog.schemas.parse import parse_model as parse_model

M = t.TypeVar("M", bound=pydantic.BaseModel)
#: Distinct valid query strings remembered per process.
_REMEMBERED_QUERIES = 4096


def json_body() -> t.Any:
    """The request body as JSON: 415 if it is not JSON, 413 if too large, 400 if malformed."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(
            gettext(
                "Send the body as JSON with Content-Type: application/json (got %(type)s).",
                type=request.mimetype or gettext("none"),
            )
        )
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    # A chunked body has no length to check first, and Werkzeug stops reading one at the limit
    # without a word: read a byte past it to tell a body that fits from one cut short.
    request.max_content_length = limit + 1
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise _too_large(limit)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(gettext("The body is not valid JSON: %(error)s", error=str(exc))) from exc


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(gettext("The body is larger than %(limit)d bytes.", limit=limit))


def parse_body(model: type[M]) -> M:
    """Parse and validate the JSON body as *model*."""
    return parse_model(model, json_body())


def require_if_match(current: str) -> None:
    """Demand an ``If-Match`` header that names *current*: 428 without one, 412 when stale."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired(
            gettext("Send If-Match with the ETag you last read, so that no change is overwritten.")
        )
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed(
        gettext("Someone changed this since you read it; reload it and apply your change again."),
        extra={"current_etag": current},
    )


def _cursor_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cursor")


def encode_cursor(state: t.Mapping[str, t.Any]) -> str:
    """An opaque, signed cursor holding *state*."""
    return str(_cursor_serializer().dumps(dict(state)))


def decode_cursor(cursor: str | None, kind: str) -> dict[str, t.Any] | None:
    """The state inside *cursor*, or 400 if it was not made by this server for *kind*."""
    if not cursor:
        return None
    serializer = _cursor_serializer()
    try:
        state = serializer.loads(cursor)
        # Only the exact text this server made: base64 reading leniently must not let other
        # spellings of the same signature through.
        altered = serializer.dumps(state) != cursor
    except (BadSignature, UnicodeError):
        altered = True
    if altered:
        raise BadRequest(gettext("The cursor is invalid or was altered; start from the first page."))
    if not isinstance(state, dict) or state.get("k") != kind:
        raise BadRequest(gettext("This cursor belongs to another list; start from the first page."))
    return state


def query_limit(default: int = 20, maximum: int = 100) -> int:
    """The ``limit`` query parameter, 1..*maximum*."""
    raw = request.args.get("limit")
    if raw is None or raw == "":
        return default
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= maximum:
        raise Unprocessable(
            gettext("limit must be a whole number from 1 to %(max)d.", max=maximum),
            errors=[{"field": "limit", "message": gettext("Must be 1..%(max)d.", max=maximum)}],
        )
    return limit


def parse_query(model: type[M]) -> M:
    """Validate the query string as *model* (unknown parameters are ignored).

    Valid answers are remembered per query string (hot reads repeat a few), so treat the
    result as read-only.
    """
    known: dict[tuple[type[pydantic.BaseModel], bytes], pydantic.BaseModel] = (
        current_app.extensions.setdefault("queries", {})
    )
    key = (model, request.query_string)
    parsed = known.get(key)
    if parsed is None:
        data = {name: value for name, value in request.args.items() if value != ""}
        parsed = parse_model(model, data)
        if len(known) < _REMEMBERED_QUERIES:
            known[key] = parsed
    return t.cast(M, parsed)
