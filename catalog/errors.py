"""Errors as HTTP: the request-only errors, and the one map from every error to RFC 9457 problem details."""

from __future__ import annotations

import logging
import typing as t

import sqlalchemy.exc
from flask import Flask
from flask import Response
from flask import current_app
from flask import has_request_context
from flask import json
from flask import render_template
from flask import request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from catalog.domain_errors import CatalogError as CatalogError
from catalog.domain_errors import Conflict as Conflict
from catalog.domain_errors import FieldError as FieldError
from catalog.domain_errors import Forbidden as Forbidden
from catalog.domain_errors import Invalid as Invalid
from catalog.domain_errors import Malformed as Malformed
from catalog.domain_errors import NotFound as NotFound
from catalog.domain_errors import PreconditionFailed as PreconditionFailed

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class RequestError(CatalogError):
    """An error only a request can cause (a body too large, a missing sign-in); may carry headers."""

    def __init__(
        self,
        detail: str,
        *,
        errors: t.Sequence[FieldError] = (),
        extra: t.Mapping[str, t.Any] | None = None,
        headers: t.Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail, errors=errors, extra=extra)
        self.headers = dict(headers or {})


class BadRequest(RequestError):
    """The request cannot be read as sent."""


class Unauthorized(RequestError):
    """No valid credentials came with the request."""


class RequestTimeout(RequestError):
    """The client stopped sending before the request was complete."""


class PayloadTooLarge(RequestError):
    """The body is larger than allowed."""


class UnsupportedMediaType(RequestError):
    """The body is not of a type this endpoint reads."""


class PreconditionRequired(RequestError):
    """A change came without ``If-Match``."""


class TooManyRequests(RequestError):
    """The client has to slow down."""


class ServiceUnavailable(RequestError):
    """A part the request needs is down for now; retry later."""


class MethodNotAllowed(RequestError):
    """The address exists, the method does not."""


class InternalError(RequestError):
    """Something broke that the client could not have caused."""


class InsufficientStorage(RequestError):
    """The media storage is full."""


#: The HTTP names of the domain's errors, for the views that raise them.
Unprocessable = Invalid


class Problem(t.NamedTuple):
    """How an error reads as HTTP: its status, its ``type`` slug and its title."""

    status: int
    slug: str
    title: t.Any


#: Every error's HTTP face: the one place that maps errors to problem details.
PROBLEMS: dict[type[CatalogError], Problem] = {
    CatalogError: Problem(400, "bad-request", _l("Bad request")),
    Malformed: Problem(400, "bad-request", _l("Bad request")),
    BadRequest: Problem(400, "bad-request", _l("Bad request")),
    Unauthorized: Problem(401, "unauthorized", _l("Authentication required")),
    Forbidden: Problem(403, "forbidden", _l("Not allowed")),
    NotFound: Problem(404, "not-found", _l("Not found")),
    # HTTP's own words, not a UI string: the client that gets this one has stopped sending.
    RequestTimeout: Problem(408, "request-timeout", "Request timeout"),
    Conflict: Problem(409, "conflict", _l("Conflict")),
    PreconditionFailed: Problem(412, "precondition-failed", _l("Changed by someone else")),
    PayloadTooLarge: Problem(413, "payload-too-large", _l("Too large")),
    UnsupportedMediaType: Problem(415, "unsupported-media-type", _l("Unsupported media type")),
    Invalid: Problem(422, "validation", _l("Invalid input")),
    PreconditionRequired: Problem(428, "precondition-required", _l("If-Match required")),
    TooManyRequests: Problem(429, "too-many-requests", _l("Too many requests")),
    ServiceUnavailable: Problem(503, "unavailable", _l("Temporarily unavailable")),
    MethodNotAllowed: Problem(405, "method-not-allowed", _l("Method not allowed")),
    InternalError: Problem(500, "internal", _l("Internal error")),
    InsufficientStorage: Problem(507, "insufficient-storage", _l("Storage full")),
}


def problem_of(error: CatalogError) -> Problem:
    """The HTTP face of *error*: that of its nearest class in :data:`PROBLEMS`."""
    for cls in type(error).__mro__:
        if cls in PROBLEMS:
            return PROBLEMS[cls]
    raise TypeError(f"{type(error).__name__} is not a CatalogError")  # pragma: no cover


def status_of(error: CatalogError) -> int:
    """The HTTP status *error* answers with."""
    return problem_of(error).status


def problem_body(error: CatalogError) -> dict[str, t.Any]:
    """The RFC 9457 problem document of *error*."""
    problem = problem_of(error)
    body: dict[str, t.Any] = {
        "type": f"/problems/{problem.slug}",
        "title": str(problem.title),
        "status": problem.status,
        "detail": error.detail,
    }
    if error.errors:
        body["errors"] = error.errors
    body.update(error.extra)
    return body


def _headers(error: CatalogError) -> dict[str, str]:
    return error.headers if isinstance(error, RequestError) else {}


def problem_response(error: CatalogError) -> Response:
    """The JSON problem document for *error*."""
    response = Response(json.dumps(problem_body(error)), status=status_of(error), mimetype=PROBLEM_JSON)
    response.headers.update(_headers(error))
    return response


def wants_html() -> bool:
    """Whether this request is for a page (HTML errors) rather than the JSON API."""
    if not has_request_context():
        return False
    path = request.path
    return not (path.startswith("/api/") or path in ("/healthz", "/metrics") or path.startswith("/media/"))


def error_response(error: CatalogError) -> Response:
    """An error page for page requests, the problem document for the API."""
    if not wants_html():
        return problem_response(error)
    try:
        page = render_template("error.html", error=problem_body(error))
    except Exception:  # the error page must not fail in turn; fall back to the JSON document
        log.exception("error page could not be rendered")
        return problem_response(error)
    response = Response(page, status=status_of(error), mimetype="text/html")
    response.headers.update(_headers(error))
    return response


_HTTP_ERRORS: dict[int, type[CatalogError]] = {
    problem.status: cls
    for cls, problem in PROBLEMS.items()
    if cls not in (CatalogError, Malformed, InternalError, InsufficientStorage)
}


def _from_http_exception(exc: HTTPException) -> Response:
    code = exc.code or 500
    if code == 413:
        error: CatalogError = PayloadTooLarge(gettext("The request body is larger than allowed."))
    elif code == 404 or (code == 405 and not _methods_that_match(getattr(exc, "valid_methods", None) or [])):
        error = NotFound(gettext("There is nothing at this address."))
    elif code == 405:
        allowed = ", ".join(getattr(exc, "valid_methods", None) or [])
        error = MethodNotAllowed(gettext("This method is not allowed here."), headers={"Allow": allowed})
    else:
        error = _HTTP_ERRORS.get(code, BadRequest)(exc.description or exc.name)
    return error_response(error)


def _methods_that_match(methods: t.Iterable[str]) -> list[str]:
    """Those of *methods* that really reach a view at this path.

    Werkzeug offers the methods of every rule whose pattern matched, even when the rule's
    converter then refused the value (an id out of range): for such a path there is nothing.
    """
    if not has_request_context():
        return list(methods)
    adapter = current_app.url_map.bind_to_environ(request.environ)
    found = []
    for method in methods:
        try:
            adapter.match(method=method)
        except HTTPException:
            continue
        found.append(method)
    return found


def _database_unavailable(exc: sqlalchemy.exc.OperationalError | sqlalchemy.exc.TimeoutError) -> Response:
    log.warning("database unavailable: %s", exc)
    return error_response(
        ServiceUnavailable(
            gettext("The database is busy or unavailable; nothing was changed. Try again shortly."),
            headers={"Retry-After": "2"},
        )
    )


def _unexpected(exc: Exception) -> Response:
    log.exception("unhandled error")
    return error_response(InternalError(gettext("An unexpected error occurred; it has been logged.")))


def init_app(app: Flask) -> None:
    """Register the handlers that turn errors into problem documents."""
    app.register_error_handler(CatalogError, error_response)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(sqlalchemy.exc.OperationalError, _database_unavailable)
    # Every pooled connection busy for the whole wait (a crowd of requests at once).
    app.register_error_handler(sqlalchemy.exc.TimeoutError, _database_unavailable)
    app.register_error_handler(Exception, _unexpected)
