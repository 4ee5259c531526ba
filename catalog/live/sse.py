"""Server-sent events for one stream: catch-up from ``Last-Event-ID``, then live events.

All database work happens before the response starts; the generator only reads its
stream's channel in the broadcaster, so an open event stream holds no connection or transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import typing as t

import orjson
from sqlalchemy.orm import Session

from catalog.live.broadcaster import Broadcaster
from catalog.live.broadcaster import Subscription
from catalog.live.broadcaster import render
from catalog.live.direct import Sink
from catalog.live.flash import next_change
from catalog.models import Stream
from catalog.presenting.streams import lineup_json
from catalog.presenting.streams import status_json
from catalog.services import stream_events
from catalog.services.cards import CardCache
from catalog.services.cards import current_card
from catalog.services.stream_events import Event

HEARTBEAT = b": heartbeat\n\n"


def frame(event_id: int | None, kind: str, data: t.Any) -> bytes:
    """An event frame; without *event_id* it leaves the listener's last event id as it was."""
    text = orjson.dumps(data, default=str).decode()
    if event_id is None:
        return f"event: {kind}\ndata: {text}\n\n".encode()
    return Event(event_id, 0, kind, text).encode()


def snapshot(
    session: Session, stream: Stream, event_id: int, cache: CardCache, now: dt.datetime, low_stock: int
) -> list[bytes]:
    """The stream as it stands: ``status``, ``lineup`` and ``card`` events, all with *event_id*."""
    card = current_card(session, stream.id, cache, now, low_stock)
    return [
        frame(event_id, "status", status_json(stream)),
        frame(
            event_id,
            "lineup",
            {
                "stream_id": stream.id,
                "version": stream.version,
                "lineup": lineup_json(session, stream.id, now),
            },
        ),
        frame(event_id, "card", card),
    ]


@dataclasses.dataclass(frozen=True)
class Opening:
    """What a new listener of a stream gets first: a snapshot at event *mark*, and the card in it."""

    mark: int
    frames: list[bytes]
    card: dict[str, t.Any] | None

    def current(self, now: dt.datetime) -> bool:
        """Whether the card's flash price is still in the phase it was read in."""
        change = next_change(self.card)
        return change is None or change > now


def opening(session: Session, stream: Stream, cache: CardCache, now: dt.datetime, low_stock: int) -> Opening:
    """The snapshot every listener connecting without ``Last-Event-ID`` starts from (one per change
    of the database, however many listeners connect: it holds no one's state)."""
    mark = stream_events.latest_id(session, stream.id)
    frames = snapshot(session, stream, mark, cache, now, low_stock)
    return Opening(mark, frames, current_card(session, stream.id, cache, now, low_stock))


def catch_up(
    session: Session,
    stream: Stream,
    last_event_id: int | None,
    mark: int,
    cache: CardCache,
    now: dt.datetime,
    low_stock: int,
) -> tuple[list[bytes], int]:
    """The frames a new listener gets first, and the id of the newest event they cover.

    With a ``Last-Event-ID`` whose successors are still kept, the missed events; otherwise
    (first connection, or too long away) a snapshot of the current state.
    """
    if last_event_id is not None and last_event_id <= mark:  # a later id was not made here
        missed = stream_events.events_after(session, stream.id, last_event_id)
        oldest = stream_events.oldest_kept(session, stream.id)
        # fewer kept than the limit: nothing was ever pruned, so nothing can be missing
        pruned = stream_events.kept_count(session, stream.id) >= stream_events.KEEP_PER_STREAM
        complete = not pruned or (oldest is not None and last_event_id >= oldest)
        if complete:
            newest = max([last_event_id, *(e.id for e in missed)])
            return [e.encode() for e in missed], newest
    return snapshot(session, stream, mark, cache, now, low_stock), mark


def generate(
    subscription: Subscription,
    broadcaster: Broadcaster,
    initial: list[bytes],
    retry_ms: int = 2000,
) -> t.Iterator[bytes]:
    """The event stream: the catch-up frames, then live events and heartbeat comments.

    Whatever arrived together is written in one piece; events up to the subscription's
    ``sent`` are skipped. Once the listener has had everything, it hands its socket to the
    broadcaster's writer where the server allows it, and waits until the writer gives it back.
    """
    try:
        yield f"retry: {retry_ms}\n\n".encode()
        yield from initial
        while True:
            items, bell = broadcaster.take(subscription)
            if subscription.closed:
                return
            if items:
                payload, subscription.sent = render(items, subscription.sent)
                if payload:
                    yield payload
                continue
            handed_back = broadcaster.hand_over(subscription)
            if handed_back is not None:
                handed_back.wait()
                unsent, subscription.unsent = subscription.unsent, b""
                if unsent:  # the rest of a frame already on the wire, framed: finish it first
                    t.cast(Sink, subscription.sink).send_all(unsent)
                if subscription.closed:
                    return
                continue
            bell.wait()
            # Everyone woken by the bell takes a turn after the others, so under gevent the
            # worker answers other requests between listeners rather than after all of them.
            time.sleep(0)
    finally:
        broadcaster.unsubscribe(subscription)
