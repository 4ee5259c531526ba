"""Writing a listener's frames straight to its socket, without waking the listener.

Under gunicorn's gevent workers every open event stream is a greenlet parked until its
stream has news. Waking thousands of them for one cursor move costs a greenlet switch, a
pass through the WSGI write path and a syscall each. Once a listener has had everything
so far, its greenlet hands its socket to the broadcaster's writer, which sends each new
frame to every such socket in one loop (one non-blocking ``send`` each) and gives a socket
back to its greenlet only when a write stalls (a slow reader) or fails.

The writer frames bytes as gunicorn would have: HTTP/1.1 responses are chunked. It is used
only where that is known to hold and where writes cannot interleave: gunicorn speaking plain
HTTP/1.x over TCP (its worker hook in ``gunicorn.conf.py`` calls :func:`allow`; not TLS, not
uwsgi, not HTTP/2), and gevent's cooperative scheduling. Anywhere else (the development
server, the test client, threads) listeners write their own frames.
"""

from __future__ import annotations

import os
import typing as t

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment


class Sink:
    """One listener's socket, written by the broadcaster's writer."""

    __slots__ = ("chunked", "fd", "socket")

    def __init__(self, sock: t.Any, chunked: bool) -> None:
        self.socket = sock
        self.fd: int = sock.fileno()
        self.chunked = chunked

    def send(self, data: bytes) -> int:
        """Write what the socket takes now, without waiting; the number of bytes written.

        Raises ``OSError`` when the connection is gone.
        """
        try:
            return os.write(self.fd, data)
        except BlockingIOError:
            return 0

    def send_all(self, data: bytes) -> None:
        """Write all of *data*, waiting for the reader (within the socket's own timeout)."""
        self.socket.sendall(data)


def chunk(payload: bytes) -> bytes:
    """*payload* as one chunk of an HTTP/1.1 chunked body (what gunicorn writes for a piece)."""
    return b"%X\r\n%b\r\n" % (len(payload), payload)


#: Whether the server said its framing is gunicorn's HTTP/1.x over plain TCP (see :func:`allow`).
_server_allows = False


def allow(enabled: bool) -> None:
    """Let listeners hand their sockets to the writer; the server's worker hook says so."""
    global _server_allows
    _server_allows = enabled


def framing(environ: WSGIEnvironment) -> bool | None:
    """Whether the writer chunks this request's frames (HTTP/1.1), or None if it may not write them.

    Only a GET over HTTP/1.0 or HTTP/1.1 on a plain socket from a server that allowed it: there
    gunicorn frames a streamed body as HTTP/1.1 chunks or as the bytes themselves.
    """
    sock = environ.get("gunicorn.socket")
    if not _server_allows or sock is None or hasattr(sock, "getpeercert"):
        return None
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    protocol = environ.get("SERVER_PROTOCOL")
    if protocol not in ("HTTP/1.0", "HTTP/1.1"):
        return None
    return bool(protocol == "HTTP/1.1")


def sink_for(environ: WSGIEnvironment) -> Sink | None:
    """A sink for this request's socket, or None where listeners must write their own frames."""
    chunked = framing(environ)
    if chunked is None or not _cooperative():
        return None
    return Sink(environ["gunicorn.socket"], chunked)


def _cooperative() -> bool:
    """Whether sockets and threads are gevent's (so a check and a write never interleave)."""
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return False
    return bool(monkey.is_module_patched("socket") and monkey.is_module_patched("threading"))
