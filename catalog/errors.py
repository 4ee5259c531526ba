"""Errors a client can cause, as RFC 9457 problem details, mapped to HTTP in one place."""

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

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class FieldError(t.TypedDict):
    field: str
    message: str


class ApiError(Exception):
    """Base of every error a request can cause; subclasses set the status and title."""

    status: t.ClassVar[int] = 400
    slug: t.ClassVar[str] = "bad-request"
    title: t.ClassVar[t.Any] = _l("Bad request")

    def __init__(
        self,
        detail: str,
        *,
        errors: t.Sequence[FieldError] = (),
        extra: t.Mapping[str, t.Any] | None = None,
        headers: t.Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    def to_dict(self) -> dict[str, t.Any]:
        body: dict[str, t.Any] = {
            "type": f"/problems/{self.slug}",
            "title": str(self.title),
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class BadRequest(ApiError):
    status, slug, title = 400, "bad-request", _l("Bad request")


class Unauthorized(ApiError):
    status, slug, title = 401, "unauthorized", _l("Authentication required")


class Forbidden(ApiError):
    status, slug, title = 403, "forbidden", _l("Not allowed")


class NotFound(ApiError):
    status, slug, title = 404, "not-found", _l("Not found")


class RequestTimeout(ApiError):
    # HTTP's own words, not a UI string: the client that gets this one has stopped sending.
    status, slug, title = 408, "request-timeout", "Request timeout"


class Conflict(ApiError):
    status, slug, title = 409, "conflict", _l("Conflict")


class PreconditionFailed(ApiError):
    status, slug, title = 412, "precondition-failed", _l("Changed by someone else")


class PayloadTooLarge(ApiError):
    status, slug, title = 413, "payload-too-large", _l("Too large")


class UnsupportedMediaType(ApiError):
    status, slug, title = 415, "unsupported-media-type", _l("Unsupported media type")


class Unprocessable(ApiError):
    status, slug, title = 422, "validation", _l("Invalid input")


class PreconditionRequired(ApiError):
    status, slug, title = 428, "precondition-required", _l("If-Match required")


class TooManyRequests(ApiError):
    status, slug, title = 429, "too-many-requests", _l("Too many requests")


class ServiceUnavailable(ApiError):
    status, slug, title = 503, "unavailable", _l("Temporarily unavailable")


class MethodNotAllowed(ApiError):
    status, slug, title = 405, "method-not-allowed", _l("Method not allowed")


class InternalError(ApiError):
    status, slug, title = 500, "internal", _l("Internal error")


def problem_response(error: ApiError) -> Response:
    """The JSON problem document for *error*."""
    response = Response(json.dumps(error.to_dict()), status=error.status, mimetype=PROBLEM_JSON)
    response.headers.update(error.headers)
    return response


def wants_html() -> bool:
    """Whether this request is for a page (HTML errors) rather than the JSON API."""
    if not has_request_context():
        return False
    path = request.path
    return not (path.startswith("/api/") or path == "/healthz" or path.startswith("/media/"))


def error_response(error: ApiError) -> Response:
    """An error page for page requests, the problem document for the API."""
    if not wants_html():
        return problem_response(error)
    try:
        page = render_template("error.html", error=error)
    except Exception:  # the error page must not fail in turn; fall back to the JSON document
        log.exception("error page could not be rendered")
        return problem_response(error)
    response = Response(page, status=error.status, mimetype="text/html")
    response.headers.update(error.headers)
    return response


_HTTP_ERRORS: dict[int, type[ApiError]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        RequestTimeout,
        Conflict,
        PreconditionFailed,
        PayloadTooLarge,
        UnsupportedMediaType,
        Unprocessable,
        PreconditionRequired,
        TooManyRequests,
        ServiceUnavailable,
    )
}


def _from_http_exception(exc: HTTPException) -> Response:
    code = exc.code or 500
    if code == 413:
        error: ApiError = PayloadTooLarge(gettext("The request body is larger than allowed."))
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


def _database_unavailable(exc: sqlalchemy.exc.OperationalError) -> Response:
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
    app.register_error_handler(ApiError, error_response)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(sqlalchemy.exc.OperationalError, _database_unavailable)
    app.register_error_handler(Exception, _unexpected)
