"""The in-process broadcaster: fans a stream's events out to its listeners' bounded queues.

The broadcaster never writes to a socket. Each listener's own thread (a greenlet under
gunicorn's gevent workers) takes events from its queue and writes them; a listener that
stops reading fills its queue and is dropped, so it never holds up the others. It can
reconnect with ``Last-Event-ID`` and get what it missed from the database.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable

from catalog.services.stream_events import Event


class Subscription:
    """One listener of one stream."""

    def __init__(self, stream_id: int, last_id: int, size: int) -> None:
        self.stream_id = stream_id
        self.last_id = last_id
        self.queue: queue.Queue[Event | bytes | None] = queue.Queue(maxsize=size)
        self.closed = False
        self.dropped = False

    def close(self) -> None:
        """Stop the listener: its generator ends at its next turn."""
        self.closed = True
        with contextlib.suppress(queue.Full):
            self.queue.put_nowait(None)


class Broadcaster:
    """Listeners by stream, and how far each stream's events have been read from the database."""

    def __init__(self, queue_size: int = 64) -> None:
        self.queue_size = queue_size
        self._lock = threading.Lock()
        self._listeners: dict[int, set[Subscription]] = {}
        self._marks: dict[int, int] = {}
        self.dropped = 0
        #: Told the number of listeners whenever it changes (a metrics gauge, say).
        self.on_count: Callable[[int], None] | None = None

    def _counted(self) -> None:
        """Report the number of listeners (called with the lock held)."""
        if self.on_count is not None:
            self.on_count(sum(len(s) for s in self._listeners.values()))

    def subscribe(self, stream_id: int, last_id: int) -> Subscription:
        """Listen to *stream_id* from after event *last_id*."""
        subscription = Subscription(stream_id, last_id, self.queue_size)
        with self._lock:
            self._listeners.setdefault(stream_id, set()).add(subscription)
            mark = self._marks.get(stream_id)
            self._marks[stream_id] = last_id if mark is None else min(mark, last_id)
            self._counted()
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            listeners = self._listeners.get(subscription.stream_id)
            if listeners is not None:
                listeners.discard(subscription)
                if not listeners:
                    del self._listeners[subscription.stream_id]
                    self._marks.pop(subscription.stream_id, None)
            self._counted()

    def marks(self) -> dict[int, int]:
        """For each stream with listeners, the newest event id already fanned out."""
        with self._lock:
            return dict(self._marks)

    def listener_count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._listeners.values())

    def has_listeners(self, stream_id: int) -> bool:
        with self._lock:
            return bool(self._listeners.get(stream_id))

    def announce(self, stream_id: int, frame: bytes) -> None:
        """Queue a frame that has no event id (nothing to catch up on) for a stream's listeners."""
        with self._lock:
            slow = []
            for subscription in self._listeners.get(stream_id, ()):
                try:
                    subscription.queue.put_nowait(frame)
                except queue.Full:
                    slow.append(subscription)
            self._drop(stream_id, slow)

    def _drop(self, stream_id: int, slow: list[Subscription]) -> None:
        for subscription in slow:
            subscription.closed = subscription.dropped = True
            self.dropped += 1
            listeners = self._listeners[stream_id]
            listeners.discard(subscription)
            if not listeners:
                del self._listeners[stream_id]
                self._marks.pop(stream_id, None)
        if slow:
            self._counted()

    def publish(self, events: list[Event]) -> None:
        """Queue each event for the listeners of its stream that have not had it."""
        with self._lock:
            for event in events:
                if event.id > self._marks.get(event.stream_id, event.id):
                    self._marks[event.stream_id] = event.id
                slow: list[Subscription] = []
                for subscription in self._listeners.get(event.stream_id, ()):
                    if event.id <= subscription.last_id or subscription.closed:
                        continue
                    try:
                        subscription.queue.put_nowait(event)
                        subscription.last_id = event.id
                    except queue.Full:
                        slow.append(subscription)
                self._drop(event.stream_id, slow)

    def close_all(self) -> None:
        with self._lock:
            listeners = [s for group in self._listeners.values() for s in group]
            self._listeners.clear()
            self._marks.clear()
            self._counted()
        for subscription in listeners:
            subscription.close()
