"""Sending webhook deliveries from a background thread (a greenlet under gevent).

The worker wakes when a commit queued deliveries (or at the next retry time), claims due
rows for one attempt each in a short transaction, sends them outside any transaction on a
small pool of threads (so one dead subscriber delays nobody), and records each result. It
stops when nothing is pending. ``tianshan webhooks deliver`` runs the same loop as a
separate worker process instead.

Each request goes to an address checked just before sending: the host name is resolved
again and every address must still be public, and the connection is made to that checked
address (no second lookup), so a host name rebound to an internal address is refused.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import http.client
import logging
import socket
import ssl
import threading
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from catalog.models import DeliveryStatus
from catalog.models import WebhookDelivery
from catalog.models import utcnow
from catalog.services import webhooks
from catalog.services.webhooks import BadWebhookUrl
from catalog.services.webhooks import Claimed
from catalog.services.webhooks import Target

log = logging.getLogger(__name__)
USER_AGENT = "TianshanCatalog-Webhooks/1"


@dataclasses.dataclass(frozen=True)
class DeliverySettings:
    timeout_seconds: float = 5.0
    max_attempts: int = 8
    backoff_seconds: float = 10.0
    lease_seconds: float = 60.0
    allow_loopback: bool = False
    senders: int = 4


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an already checked address, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(target: Target, body: bytes, headers: t.Mapping[str, str], timeout: float) -> int:
    """POST *body* to the checked *target*; the response status (redirects are not followed)."""
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = cls(target.host, target.port, target.addresses[0], timeout)
    try:
        connection.request("POST", target.path, body=body, headers=dict(headers))
        response = connection.getresponse()
        response.read(65536)
        return int(response.status)
    finally:
        connection.close()


def send(claimed: Claimed, settings: DeliverySettings) -> tuple[int | None, str | None]:
    """One attempt: ``(status code, None)`` or ``(None, why it failed)``."""
    try:
        target = webhooks.check_url(claimed.url, allow_loopback=settings.allow_loopback)
    except BadWebhookUrl as exc:
        return None, str(exc)
    timestamp = str(int(utcnow().timestamp()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        webhooks.EVENT_HEADER: claimed.event,
        webhooks.DELIVERY_HEADER: str(claimed.id),
        webhooks.TIMESTAMP_HEADER: timestamp,
        webhooks.SIGNATURE_HEADER: webhooks.sign(claimed.secret, timestamp, claimed.body),
    }
    try:
        status = post(target, claimed.body, headers, settings.timeout_seconds)
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    return status, None if 200 <= status < 300 else f"HTTP {status}"


def deliver_due(
    sessions: sessionmaker[t.Any], settings: DeliverySettings, pool: concurrent.futures.Executor
) -> int:
    """Claim, send and record one batch of due deliveries; how many were attempted."""
    lease = dt.timedelta(seconds=settings.lease_seconds)
    with sessions() as session, session.begin():
        claimed = webhooks.claim_due(session, utcnow(), lease)
    if not claimed:
        return 0
    results = list(pool.map(lambda c: send(c, settings), claimed))
    with sessions() as session, session.begin():
        for item, (status, error) in zip(claimed, results, strict=True):
            outcome = webhooks.record_result(
                session,
                item.id,
                utcnow(),
                status_code=status,
                error=error,
                max_attempts=settings.max_attempts,
                backoff_seconds=settings.backoff_seconds,
            )
            if outcome is not DeliveryStatus.PENDING or error:
                log.info("webhook delivery %s attempt %s: %s", item.id, item.attempt, error or outcome.value)
    return len(claimed)


def next_due(sessions: sessionmaker[t.Any]) -> dt.datetime | None:
    """When the earliest pending delivery is due, or ``None`` when none is pending."""
    with sessions() as session:
        return t.cast(
            dt.datetime | None,
            session.scalar(
                sa.select(sa.func.min(WebhookDelivery.next_attempt_at)).where(
                    WebhookDelivery.status == DeliveryStatus.PENDING
                )
            ),
        )


class Deliverer:
    """The background worker of one process; it runs while deliveries are pending."""

    def __init__(self, sessions: sessionmaker[t.Any], settings: DeliverySettings) -> None:
        self._sessions = sessions
        self.settings = settings
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        """Deliveries were queued: send them now."""
        self._wake.set()
        with self._lock:
            if self._stopping.is_set() or self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="webhook-delivery", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=10)

    def run_due(self) -> int:
        """Deliver what is due now (one attempt each); how many were attempted."""
        total = 0
        with concurrent.futures.ThreadPoolExecutor(self.settings.senders) as pool:
            while count := deliver_due(self._sessions, self.settings, pool):
                total += count
        return total

    def wait(self, seconds: float) -> None:
        """Sleep until woken or *seconds* have passed."""
        self._wake.wait(timeout=seconds)
        self._wake.clear()

    def run_until_idle(self) -> None:
        """Deliver until nothing is pending (retries included), or until stopped."""
        with concurrent.futures.ThreadPoolExecutor(self.settings.senders) as pool:
            while not self._stopping.is_set():
                self._wake.clear()
                try:
                    if deliver_due(self._sessions, self.settings, pool):
                        continue
                    due = next_due(self._sessions)
                except sa.exc.SQLAlchemyError as exc:
                    log.warning("webhook delivery: %s", exc)
                    self._stopping.wait(1.0)
                    continue
                if due is None:
                    return
                wait = max(0.0, (due - utcnow()).total_seconds())
                self._wake.wait(timeout=min(wait, 30.0) + 0.01)

    def _run(self) -> None:
        while True:
            self.run_until_idle()
            with self._lock:
                # a commit may have queued work after the last check: then go on
                if self._stopping.is_set() or not self._wake.is_set():
                    self._thread = None
                    return
