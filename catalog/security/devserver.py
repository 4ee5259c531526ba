"""The development server (``tianshan run``) says neither its nor Python's version in ``Server``."""

from __future__ import annotations

from werkzeug.serving import WSGIRequestHandler

#: The ``Server`` header of every answer, whichever server sends it.
SERVER_NAME = "Tianshan"


def _version_string(_handler: object) -> str:
    return SERVER_NAME


def quiet_development_server() -> None:
    """Make Werkzeug's request handler (behind ``tianshan run``) name the service without versions.

    The handler writes ``Server`` itself, before any header of the app, so only the handler can
    change it; gunicorn (``make serve``) already sends a bare ``gunicorn``.
    """
    WSGIRequestHandler.version_string = _version_string  # type: ignore[method-assign,assignment]
