"""The per-stream event log: what listeners were sent, kept so that they can catch up.

Every change a listener must hear (``card``, ``lineup``, ``status``) is written here in the
same transaction as the change. Its id is the server-sent event id. On PostgreSQL the
transaction also sends ``NOTIFY`` on :data:`CHANNEL` (delivered at commit), so the
broadcaster of every worker process hears it; on SQLite the broadcasters poll this table.
All changes of one stream hold the lock on its cursor row, so one stream's events commit in
id order and "everything after id N" never skips one.
"""

from __future__ import annotations

import dataclasses
import functools
import typing as t

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.freshness import notify_at_commit
from catalog.models import StreamEvent

#: The PostgreSQL notification channel (no payload: a listener reads what is new).
CHANNEL = "tianshan_stream_events"
#: Events kept per stream for reconnecting listeners.
KEEP_PER_STREAM = 500


@dataclasses.dataclass(frozen=True)
class Event:
    """An event as listeners get it: ``id:``, ``event:`` and ``data:`` lines."""

    id: int
    stream_id: int
    kind: str
    data: str

    @functools.cached_property
    def frame(self) -> bytes:
        """The server-sent event frame, encoded once however many listeners get it."""
        return f"id: {self.id}\nevent: {self.kind}\ndata: {self.data}\n\n".encode()

    def encode(self) -> bytes:
        return self.frame


def _dumps(data: t.Any) -> str:
    return orjson.dumps(data, default=str).decode()


def record(session: Session, stream_id: int, kind: str, data: t.Mapping[str, t.Any]) -> Event:
    """Add an event in the caller's transaction (the caller holds the stream's cursor lock)."""
    row = StreamEvent(stream_id=stream_id, kind=kind, data=_dumps(data))
    session.add(row)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        notify_at_commit(session.connection(), CHANNEL)
    if row.id % 50 == 0:
        prune(session, stream_id)
    event = Event(row.id, stream_id, kind, row.data)
    session.info.setdefault("stream_events", []).append(event)  # fanned out in this process at commit
    return event


def prune(session: Session, stream_id: int, keep: int = KEEP_PER_STREAM) -> None:
    """Forget all but the newest *keep* events of a stream."""
    cutoff = session.scalar(
        sa.select(StreamEvent.id)
        .where(StreamEvent.stream_id == stream_id)
        .order_by(StreamEvent.id.desc())
        .offset(keep)
        .limit(1)
    )
    if cutoff is not None:
        session.execute(
            sa.delete(StreamEvent).where(StreamEvent.stream_id == stream_id, StreamEvent.id <= cutoff)
        )


def _event(row: StreamEvent) -> Event:
    return Event(row.id, row.stream_id, row.kind, row.data)


def events_after(
    session: Session, stream_id: int, after_id: int, limit: int = KEEP_PER_STREAM
) -> list[Event]:
    """The stream's events newer than *after_id*, oldest first."""
    rows = session.scalars(
        sa.select(StreamEvent)
        .where(StreamEvent.stream_id == stream_id, StreamEvent.id > after_id)
        .order_by(StreamEvent.id)
        .limit(limit)
    )
    return [_event(row) for row in rows]


def oldest_kept(session: Session, stream_id: int) -> int | None:
    """The id of the oldest event still kept for the stream."""
    return session.scalar(sa.select(sa.func.min(StreamEvent.id)).where(StreamEvent.stream_id == stream_id))


def kept_count(session: Session, stream_id: int) -> int:
    """How many events of the stream are kept."""
    return int(session.scalar(sa.select(sa.func.count()).where(StreamEvent.stream_id == stream_id)) or 0)


def latest_id(session: Session, stream_id: int) -> int:
    """The id of the stream's newest event (0 before the first)."""
    found = session.scalar(sa.select(sa.func.max(StreamEvent.id)).where(StreamEvent.stream_id == stream_id))
    return int(found or 0)


def events_for_streams(session: Session, after: t.Mapping[int, int], limit: int = 1000) -> list[Event]:
    """Events of the streams in *after* newer than each stream's id there, oldest first."""
    if not after:
        return []
    rows = session.scalars(
        sa.select(StreamEvent)
        .where(StreamEvent.stream_id.in_(list(after)), StreamEvent.id > min(after.values()))
        .order_by(StreamEvent.id)
        .limit(limit)
    )
    return [_event(row) for row in rows if row.id > after[row.stream_id]]
