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
