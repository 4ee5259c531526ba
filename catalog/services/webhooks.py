"""Outgoing webhooks: subscriptions, signed payloads, and the delivery queue with backoff.

Deliveries are rows written in the same transaction as the change they announce; a
background worker (see :mod:`catalog.live.delivery`) sends them, so a slow or dead
subscriber never slows the host down.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
import socket
import typing as t
import urllib.parse

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import DeliveryStatus
from catalog.models import User
from catalog.models import Webhook
from catalog.models import WebhookDelivery
from catalog.security.addresses import refusal

SIGNATURE_HEADER = "X-Tianshan-Signature"
TIMESTAMP_HEADER = "X-Tianshan-Timestamp"
EVENT_HEADER = "X-Tianshan-Event"
DELIVERY_HEADER = "X-Tianshan-Delivery"


class BadWebhookUrl(ValueError):
    """A webhook URL the service refuses to call (not http(s), or an internal address)."""


@dataclasses.dataclass(frozen=True)
class Target:
    """A checked URL and the addresses it may be reached at."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def check_url(
    url: str,
    *,
    allow_loopback: bool = False,
    resolve: t.Callable[[str, int], list[str]] | None = None,
) -> Target:
    """Check that *url* is http(s) and that every address its host resolves to is public.

    Loopback addresses pass only with *allow_loopback* (the test configuration).
    """
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https"):
        raise BadWebhookUrl(f"{url!r}: only http:// and https:// webhook URLs are allowed.")
    if not parsed.hostname:
        raise BadWebhookUrl(f"{url!r} has no host name.")
    if parsed.username or parsed.password:
        raise BadWebhookUrl(f"{url!r}: put no user name or password in the URL; the payload is signed.")
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
    except ValueError:
        raise BadWebhookUrl(f"{url!r} has an invalid port.") from None
    try:
        addresses = (resolve or _resolve)(parsed.hostname, port)
    except OSError as exc:
        raise BadWebhookUrl(f"The host {parsed.hostname!r} cannot be resolved ({exc}).") from None
    if not addresses:
        raise BadWebhookUrl(f"The host {parsed.hostname!r} has no address.")
    for text in addresses:
        reason = refusal(ipaddress.ip_address(text.split("%")[0]), allow_loopback=allow_loopback)
        if reason:
            raise BadWebhookUrl(
                f"{url!r} points at {text}, {reason}; webhooks may only call public addresses."
            )
    path = parsed.path or "/"
    if parsed.query:
        path += "?" + parsed.query
    return Target(url, parsed.scheme, parsed.hostname, port, path, tuple(addresses))


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value: ``sha256=`` HMAC of ``"<timestamp>.<body>"``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def create_webhook(
    session: Session,
    url: str,
    events: t.Sequence[str],
    secret: str | None,
    user: User | None,
    *,
    allow_loopback: bool,
) -> Webhook:
    """Subscribe *url* to *events*; :class:`BadWebhookUrl` when it may not be called."""
    check_url(url, allow_loopback=allow_loopback)
    hook = Webhook(
        url=url,
        events=sorted(set(events)),
        secret=secret or secrets.token_urlsafe(32),
        created_by=user.id if user else None,
    )
    session.add(hook)
    session.flush()
    return hook


def enqueue(session: Session, event: str, payload: t.Mapping[str, t.Any], now: dt.datetime) -> int:
    """Queue *event* for every active subscriber of it, in the caller's transaction."""
    hooks = session.execute(sa.select(Webhook.id, Webhook.events).where(Webhook.active.is_(True))).all()
    count = 0
    body = {"event": event, "sent_at": None, "data": dict(payload)}
    for hook_id, events in hooks:
        if event in events:
            session.add(WebhookDelivery(webhook_id=hook_id, event=event, payload=body, next_attempt_at=now))
            count += 1
    if count:
        session.info["webhooks_queued"] = True
    return count


@dataclasses.dataclass(frozen=True)
class Claimed:
    """A delivery taken by one worker for one attempt."""

    id: int
    url: str
    secret: str
    event: str
    body: bytes
    attempt: int


def claim_due(session: Session, now: dt.datetime, lease: dt.timedelta, limit: int = 20) -> list[Claimed]:
    """Take due deliveries for one attempt each (pushing their next attempt out by *lease*)."""
    rows = session.scalars(
        sa.select(WebhookDelivery)
        .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    ).all()
    claimed = []
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + lease
        payload = dict(row.payload)
        payload["sent_at"] = now.isoformat()
        payload["delivery_id"] = row.id
        body = orjson.dumps(payload)
        claimed.append(Claimed(row.id, row.webhook.url, row.webhook.secret, row.event, body, row.attempts))
    return claimed


def backoff(attempt: int, base_seconds: float, cap_seconds: float = 3600.0) -> dt.timedelta:
    """The wait after failed attempt number *attempt*: base, 4×base, 16×base, ... (capped)."""
    return dt.timedelta(seconds=min(cap_seconds, base_seconds * 4 ** (attempt - 1)))


def record_result(
    session: Session,
    delivery_id: int,
    now: dt.datetime,
    *,
    status_code: int | None,
    error: str | None,
    max_attempts: int,
    backoff_seconds: float,
) -> DeliveryStatus:
    """Record one attempt: delivered on a 2xx, else retried later or, at last, failed."""
    row = session.get(WebhookDelivery, delivery_id)
    if row is None:
        return DeliveryStatus.FAILED
    row.last_status_code, row.last_error = status_code, error
    if status_code is not None and 200 <= status_code < 300:
        row.status, row.delivered_at = DeliveryStatus.DELIVERED, now
    elif row.attempts >= max_attempts:
        row.status = DeliveryStatus.FAILED
    else:
        row.next_attempt_at = now + backoff(row.attempts, backoff_seconds)
    return row.status


def delivery_json(row: WebhookDelivery) -> dict[str, t.Any]:
    return {
        "id": row.id,
        "webhook_id": row.webhook_id,
        "event": row.event,
        "status": row.status.value,
        "attempts": row.attempts,
        "last_status_code": row.last_status_code,
        "last_error": row.last_error,
        "next_attempt_at": row.next_attempt_at.isoformat(),
        "created_at": row.created_at.isoformat(),
        "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
    }


def webhook_json(hook: Webhook, *, with_secret: bool = False) -> dict[str, t.Any]:
    body: dict[str, t.Any] = {
        "id": hook.id,
        "url": hook.url,
        "events": list(hook.events),
        "active": hook.active,
    }
    if with_secret:
        body["secret"] = hook.secret
    return body


def deliveries(session: Session, webhook_id: int, limit: int = 100) -> list[WebhookDelivery]:
    """The newest deliveries to one subscriber."""
    return list(
        session.scalars(
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )
