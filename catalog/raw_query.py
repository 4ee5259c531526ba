"""Search words typed straight into a URL reach the development server intact.

Browsers send ``?q=мёд`` percent-encoded, but curl and some scripts send the UTF-8 bytes as
they are. WSGI hands the query string over as those bytes read as Latin-1; Werkzeug's
development server (``tianshan run``, ``make demo``) encodes that text once more, so ``мёд``
arrives as mojibake whose C1 characters the search refuses as control characters. This
middleware undoes the extra encoding under that server only; gunicorn refuses such a request
line with a 400 of its own.
"""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment


class RawQueryStrings:
    """WSGI middleware: a query string the development server encoded twice is restored."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        if str(environ.get("SERVER_SOFTWARE", "")).startswith("Werkzeug/"):
            environ["QUERY_STRING"] = restored(environ.get("QUERY_STRING", ""))
        return self.app(environ, start_response)


def restored(query: str) -> str:
    """*query* with one round of UTF-8-read-as-Latin-1 undone, or unchanged when it holds none."""
    if query.isascii():
        return query
    try:
        once = query.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return query
    # A WSGI string holds only code points below 256; anything else was not encoded twice.
    return once if all(ord(char) < 256 for char in once) else query
