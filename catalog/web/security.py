"""Protection of the pages: CSRF on every form, session cookies and security headers."""

from __future__ import annotations

import typing as t
import urllib.parse

from flask import Flask
from flask import Request
from flask import Response
from flask import current_app
from flask import request
from flask.sessions import SecureCookieSession
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError
from flask_wtf.csrf import CSRFProtect

from catalog.errors import BadRequest
from catalog.errors import error_response
from catalog.security.hosts import public_base_url
from catalog.web.context import _

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
#: Methods that change something, whose ``Origin`` must be this site.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: Scripts and styles come only from the app's own /static files; nothing inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
#: Path prefixes of pages that OBS or a studio tool may embed in a frame.
FRAMEABLE_PREFIXES = ("/overlay/",)

csrf = CSRFProtect()


def is_api_path(path: str) -> bool:
    """Whether *path* belongs to the JSON API (bearer tokens, no cookies, no CSRF)."""
    return path.startswith("/api/") or path == "/healthz"


class PageSessionInterface(SecureCookieSessionInterface):
    """Session cookies belong to the pages: the API neither reads nor sets them."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if is_api_path(request.path):
            return self.null_session_class()
        return super().open_session(app, request)


def accepts_upload(limit: t.Callable[[t.Mapping[str, t.Any]], int]) -> t.Callable[[F], F]:
    """Mark a page view as taking a file of up to ``limit(config)`` bytes.

    The limit is applied before the CSRF check reads the form, so a page takes the same sizes as
    the API rather than the JSON bodies' ``MAX_CONTENT_LENGTH``.
    """

    def decorator(view: F) -> F:
        view.upload_limit = limit  # type: ignore[attr-defined]
        return view

    return decorator


def init_app(app: Flask) -> None:
    """Pages-only sessions, CSRF protection for everything but the API, and page headers.

    The cookie flags and CSRF settings are ordinary settings (:data:`catalog.config.SETTINGS`);
    CSRF is checked below for every path outside the API.
    """
    app.session_interface = PageSessionInterface()
    csrf.init_app(app)
    app.before_request(_check_csrf)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.after_request(_page_headers)
    app.after_request(_api_headers)


def _check_csrf() -> None:
    if is_api_path(request.path):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "upload_limit", None)
    if limit is not None:
        request.max_content_length = int(limit(current_app.config))
    if request.method in UNSAFE_METHODS and not _same_origin(request.headers.get("Origin")):
        raise BadRequest(_("This form was not sent from this site."))
    csrf.protect()


def _same_origin(origin: str | None) -> bool:
    """Whether a browser's ``Origin`` header names this site (no header: an older browser, allowed)."""
    if origin is None:
        return True
    sent = urllib.parse.urlsplit(origin)
    ours = {urllib.parse.urlsplit(request.host_url).netloc, urllib.parse.urlsplit(public_base_url()).netloc}
    return bool(sent.scheme in ("http", "https") and sent.netloc in ours)


def _csrf_refused(_error: CSRFError) -> Response:
    message = _("This form has expired or was not sent from this site. Reload the page and send it again.")
    return error_response(BadRequest(message))


def _api_headers(response: Response) -> Response:
    """Headers of the API's answers: no sniffing, and nothing kept by caches when a token was sent."""
    if not is_api_path(request.path):
        return response
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if "Authorization" in request.headers:
        response.headers["Cache-Control"] = "no-store"
        response.headers.add("Vary", "Authorization")
    return response


def _page_headers(response: Response) -> Response:
    """Headers for every response outside the API: no sniffing, a strict CSP, no framing."""
    if is_api_path(request.path):
        return response
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.mimetype == "text/html":
        frameable = request.path.startswith(FRAMEABLE_PREFIXES)
        policy = CONTENT_SECURITY_POLICY + ("" if frameable else "; frame-ancestors 'none'")
        headers.setdefault("Content-Security-Policy", policy)
        if not frameable:
            headers.setdefault("X-Frame-Options", "DENY")
        if request.cookies or "Set-Cookie" in headers:
            headers.setdefault("Cache-Control", "private, no-store")
    return response
