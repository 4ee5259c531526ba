"""Production server: gunicorn with gevent workers (``make serve``).

Each worker is one process running many greenlets, so an open event stream (an OBS overlay or
a viewer's page) costs a greenlet and a socket, not a thread: two workers hold thousands of
listeners while the API keeps answering. Every worker has its own broadcaster; moves made in
another worker reach it through PostgreSQL ``LISTEN/NOTIFY`` (or a short poll of the events
table on SQLite), see ``catalog/live/feed.py``.

Settings come from the environment: ``TIANSHAN_BIND`` (default ``127.0.0.1:5000``),
``TIANSHAN_WORKERS`` (default: one per core), ``TIANSHAN_WORKER_CONNECTIONS`` (default 2000),
``TIANSHAN_ACCESS_LOG`` (a path or ``-``; default off), ``TIANSHAN_KEEPALIVE`` (default 15).

A client gets ``keepalive`` seconds to send a request line and its headers (so a slowloris
connection is dropped), and the app's ``CLIENT_IDLE_TIMEOUT`` bounds a body that stops arriving
or a response nobody reads (``catalog/client_timeouts.py``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import typing as t
from pathlib import Path

bind = os.environ.get("TIANSHAN_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("TIANSHAN_WORKERS") or os.cpu_count() or 2)
worker_class = "gevent"
worker_connections = int(os.environ.get("TIANSHAN_WORKER_CONNECTIONS", "2000"))
# The app is built in each worker, after gevent has patched the standard library, so its
# database connections, locks and background threads are cooperative.
preload_app = False
timeout = 30
graceful_timeout = 10
keepalive = int(os.environ.get("TIANSHAN_KEEPALIVE", "15"))
# Requests are small: the longest URL is a search or a signed cursor. Set explicitly, so the
# limits are ours and not whatever the next gunicorn release defaults to; past them a client
# gets 414 (request line) or 431 (header fields) before the app sees anything.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("TIANSHAN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("TIANSHAN_LOG_LEVEL", "info").lower()  # shared with the app
proc_name = "tianshan"

#: The metrics folder this server made for itself (removed when it exits).
_own_metrics_folder: list[str] = []


def on_starting(server: object) -> None:
    """One ``/metrics`` for every worker: prometheus_client's multiprocess mode.

    Each worker writes its counters to files in ``PROMETHEUS_MULTIPROC_DIR`` (a fresh folder
    unless one is given; a given one is emptied of an earlier run's files), and whichever
    worker answers ``/metrics`` adds them all up.
    """
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        for stale in Path(folder).glob("*.db"):
            stale.unlink()
    else:
        folder = tempfile.mkdtemp(prefix="tianshan-metrics-")
        _own_metrics_folder.append(folder)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder


def post_worker_init(worker: t.Any) -> None:
    """Plain HTTP/1.x over TCP, framed as ``catalog.live.direct`` frames it: event streams may
    share the worker's writer. Connections take turns (:func:`_taking_turns`)."""
    from catalog.live import direct

    direct.allow(getattr(worker.cfg, "protocol", "http") == "http" and not worker.cfg.is_ssl)
    worker.wsgi = _taking_turns(worker.wsgi)


#: The pause before a request while others are under way. A timer lets the event loop look
#: for input before the request goes on (libev waits at least a millisecond when nothing is
#: ready), where a zero sleep only lets greenlets already running have their turn: gevent
#: looks for input after every fifty or so of those.
TURN_PAUSE = 0.0001


def _taking_turns(app: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    """*app*, letting the worker's other connections run before each request.

    A greenlet runs until it has to wait. A connection whose next request is already in its
    socket would be served again and again, while requests on other connections, and new
    connections, wait behind it: under load that made tails of seconds. Each request first
    yields; while other requests are under way it pauses for :data:`TURN_PAUSE`, so waiting
    connections are read and served in turn. A request on a quiet worker only yields.
    """
    import gevent

    under_way = 0

    def in_turn(environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]) -> t.Any:
        nonlocal under_way
        pause = TURN_PAUSE if under_way else 0
        under_way += 1
        try:
            gevent.sleep(pause)
            return app(environ, start_response)
        finally:
            under_way -= 1

    return in_turn


def child_exit(server: object, worker: t.Any) -> None:
    """A worker's live gauges (event-stream listeners) leave the sums when it exits."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def on_exit(server: object) -> None:
    for folder in _own_metrics_folder:
        shutil.rmtree(folder, ignore_errors=True)
