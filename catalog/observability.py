"""Request ids, structured JSON logs and Prometheus metrics."""

from __future__ import annotations

import functools
import hmac
import json
import logging
import os
import re
import secrets
import time
import typing as t

import sqlalchemy as sa
from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import has_request_context
from flask import request
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client import CollectorRegistry
from prometheus_client import Counter
from prometheus_client import Gauge
from prometheus_client import Histogram
from prometheus_client import generate_latest
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from catalog.auth import require_user
from catalog.db import get_db
from catalog.models import OutboxEntry
from catalog.models import Role
from catalog.models import utcnow

log = logging.getLogger("catalog.requests")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

REQUESTS = Counter("tianshan_http_requests_total", "HTTP requests", ["endpoint", "method", "status"])
#: Set by each worker whenever its listeners change; /metrics sums the living workers.
LISTENERS = Gauge(
    "tianshan_sse_listeners", "Connected server-sent-event listeners", multiprocess_mode="livesum"
)
#: Event-stream socket writes made by the broadcaster's shared writer, by HTTP framing.
DIRECT_WRITES = Counter(
    "tianshan_sse_direct_writes_total",
    "Event-stream writes sent by the shared writer, not the listener",
    ["framing"],
)
LATENCY = Histogram(
    "tianshan_http_request_seconds", "HTTP request latency", ["endpoint", "method"], buckets=_BUCKETS
)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, t.Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Send log records to stderr as JSON: the catalog's at *level*, other libraries' warnings."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("catalog").setLevel(str(level).upper())


def _start() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    started = g.get("request_started")
    response.headers["X-Request-ID"] = g.get("request_id", "")
    endpoint = request.endpoint or "unmatched"
    if started is None or endpoint == "observability.metrics":
        return response
    elapsed = time.perf_counter() - started
    method, status = request.method, response.status_code
    count, latency = _series(endpoint, method, status)
    count.inc()
    latency.observe(elapsed)
    if log.isEnabledFor(logging.INFO):
        fields = {
            "method": method,
            "path": request.path,
            "status": status,
            "duration_ms": round(elapsed * 1000, 2),
            "endpoint": endpoint,
        }
        log.info("%s %s %s", method, request.path, status, extra={"fields": fields})
    return response


@functools.cache
def _series(endpoint: str, method: str, status: int) -> tuple[t.Any, t.Any]:
    """The counter and histogram of one (endpoint, method, status); a finite set, looked up once."""
    return REQUESTS.labels(endpoint, method, str(status)), LATENCY.labels(endpoint, method)


def _registry() -> CollectorRegistry:
    """The default registry, or one that merges every gunicorn worker's files in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    from prometheus_client import REGISTRY

    return REGISTRY


def require_metrics_reader() -> None:
    """Let this request read ``/metrics`` only with ``METRICS_TOKEN`` or an admin's API token.

    Anything else is refused as every API operation refuses it: 401 (no token, or one that is
    wrong or ended), 403 (the token of a user who is not an admin).
    """
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    expected = current_app.config["METRICS_TOKEN"]
    if (
        scheme.lower() == "bearer"
        and expected
        and hmac.compare_digest(sent.strip().encode(), str(expected).encode())
    ):
        return
    require_user(Role.ADMIN)


def metrics() -> Response:
    """Prometheus text: requests, latencies, SSE listeners (every worker), outbox length and lag.

    Only for operators: the ``METRICS_TOKEN`` or an admin's token as a bearer token.
    """
    require_metrics_reader()
    with get_db().sessions() as session:
        waiting = session.scalar(sa.select(sa.func.count(OutboxEntry.id))) or 0
        oldest = session.scalar(sa.select(sa.func.min(OutboxEntry.created_at)))
    lag = (utcnow() - oldest).total_seconds() if oldest else 0.0
    registry = CollectorRegistry()
    registry.register(
        _Read(
            [
                GaugeMetricFamily(
                    "tianshan_search_outbox_length", "Changes waiting for the search index", value=waiting
                ),
                GaugeMetricFamily(
                    "tianshan_search_indexer_lag_seconds", "Age of the oldest waiting change", value=lag
                ),
            ]
        )
    )
    body = generate_latest(_registry()) + generate_latest(registry)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


class _Read:
    """A collector of values read at scrape time from the database (the same for every worker)."""

    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self._families = families

    def collect(self) -> t.Iterator[GaugeMetricFamily]:
        yield from self._families


def _count_direct_writes(framing: str, count: int) -> None:
    DIRECT_WRITES.labels(framing).inc(count)


def init_app(app: Flask) -> None:
    """Tag requests with ids, log them as JSON and serve ``/metrics``."""
    if app.config["LOG_JSON"]:
        configure_logging(app.config["LOG_LEVEL"])
    app.before_request(_start)
    app.after_request(_finish)
    app.add_url_rule("/metrics", "observability.metrics", metrics)
    live = app.extensions.get("live")
    if live is not None:
        live.broadcaster.on_count = LISTENERS.set
        live.broadcaster.on_written = _count_direct_writes
