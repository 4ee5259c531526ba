"""A client that goes quiet mid-request cannot hold its connection open for ever.

Under gunicorn's gevent workers nothing else bounds a request that waits on its client: the
worker ``timeout`` only watches that the worker is alive, and ``keepalive`` covers the request
line and headers, not a body that stops arriving halfway or a response nobody reads. This
middleware puts an idle timeout on the connection's socket for the rest of the request, so a
read or a write that makes no progress for that long fails: a body that stops arriving is
answered ``408 Request Timeout`` and a reader that stops reading loses the connection.

It needs the socket gunicorn puts in the environment (``gunicorn.socket``); under any other
server (the development server, the test client) it does nothing.
"""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import RequestTimeout

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment


class ClientTimeouts:
    """WSGI middleware: *seconds* without progress reading or writing ends the request."""

    def __init__(self, app: WSGIApplication, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        if sock is None or self.seconds <= 0:
            return self.app(environ, start_response)
        sock.settimeout(self.seconds)
        environ["wsgi.input"] = _TimedInput(environ["wsgi.input"])
        return self.app(environ, start_response)


class _TimedInput:
    """The request body, turning a read that timed out into ``408 Request Timeout``.

    Werkzeug reads any other ``OSError`` as a client that disconnected (400), which is not
    what happened: the client is there, it stopped sending.
    """

    def __init__(self, stream: t.BinaryIO) -> None:
        self._stream = stream

    def read(self, size: int | None = -1) -> bytes:
        try:
            return self._stream.read(-1 if size is None else size)
        except TimeoutError as exc:
            raise _timed_out() from exc

    def readline(self, size: int | None = -1) -> bytes:
        try:
            return self._stream.readline(-1 if size is None else size)
        except TimeoutError as exc:
            raise _timed_out() from exc

    def readlines(self, hint: int = -1) -> list[bytes]:
        try:
            return self._stream.readlines(hint)
        except TimeoutError as exc:
            raise _timed_out() from exc

    def __iter__(self) -> t.Iterator[bytes]:
        return iter(self.readline, b"")


def _timed_out() -> RequestTimeout:
    return RequestTimeout("The request body stopped arriving before it was complete; send it again.")
