"""The in-process broadcaster: each stream's recent frames, shared by all of its listeners.

The broadcaster never writes to a socket. A published event is stored once in its stream's
channel (a bounded window of the latest frames) and one bell wakes every listener of the
stream; each listener's own thread (a greenlet under gunicorn's gevent workers) then takes
what it has not had yet and writes it. Publishing costs the same for one listener as for
thousands. A listener that stops reading falls out of the window and is dropped, so it never
holds up the others; it can reconnect with ``Last-Event-ID`` and get what it missed from the
database.
"""

from __future__ import annotations

import collections
import itertools
import threading
from collections.abc import Callable

from catalog.services.stream_events import Event

#: A frame in a stream's window: an event with its id, or a frame without one.
Item = Event | bytes


class Channel:
    """One stream: its listeners, its latest frames, and the bell rung when frames are added."""

    def __init__(self, size: int) -> None:
        self.listeners: set[Subscription] = set()
        self.items: collections.deque[Item] = collections.deque(maxlen=size)
        self.end = 0  #: the position after the newest frame (positions count every frame added)
        self.bell = threading.Event()

    def add(self, item: Item) -> None:
        self.items.append(item)
        self.end += 1

    def ring(self) -> None:
        """Wake every listener waiting on this channel; later waits wait for the next ring."""
        bell, self.bell = self.bell, threading.Event()
        bell.set()


class Subscription:
    """One listener of one stream, reading its stream's channel from *position* on."""

    def __init__(self, stream_id: int, last_id: int, channel: Channel) -> None:
        self.stream_id = stream_id
        self.last_id = last_id
        self.channel = channel
        self.position = channel.end
        self.closed = False
        self.dropped = False


class Broadcaster:
    """Channels by stream, and how far each stream's events have been read from the database."""

    def __init__(self, queue_size: int = 64) -> None:
        self.queue_size = queue_size
        self._lock = threading.Lock()
        self._channels: dict[int, Channel] = {}
        self._marks: dict[int, int] = {}
        self._count = 0
        self.dropped = 0
        #: Told the number of listeners whenever it changes (a metrics gauge, say).
        self.on_count: Callable[[int], None] | None = None

    def _counted(self, change: int) -> None:
        """Change and report the number of listeners (called with the lock held)."""
        self._count += change
        if self.on_count is not None:
            self.on_count(self._count)

    def subscribe(self, stream_id: int, last_id: int) -> Subscription:
        """Listen to *stream_id* from after event *last_id*."""
        with self._lock:
            channel = self._channels.get(stream_id)
            if channel is None:
                channel = self._channels[stream_id] = Channel(self.queue_size)
            subscription = Subscription(stream_id, last_id, channel)
            channel.listeners.add(subscription)
            mark = self._marks.get(stream_id)
            self._marks[stream_id] = last_id if mark is None else min(mark, last_id)
            self._counted(1)
        return subscription

    def _leave(self, subscription: Subscription) -> None:
        """Take *subscription* off its channel (called with the lock held)."""
        channel = subscription.channel
        if subscription not in channel.listeners:
            return
        channel.listeners.discard(subscription)
        if not channel.listeners and self._channels.get(subscription.stream_id) is channel:
            del self._channels[subscription.stream_id]
            self._marks.pop(subscription.stream_id, None)
        self._counted(-1)

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._leave(subscription)

    def take(self, subscription: Subscription) -> tuple[list[Item], threading.Event]:
        """The frames *subscription* has not had yet, and the bell to wait on when there are none.

        A listener that has fallen further behind than the window is dropped: it gets nothing
        and is closed.
        """
        with self._lock:
            channel = subscription.channel
            start = channel.end - len(channel.items)
            if subscription.position < start and not subscription.closed:
                subscription.closed = subscription.dropped = True
                self.dropped += 1
                self._leave(subscription)
            if subscription.closed:
                return [], channel.bell
            items = list(itertools.islice(channel.items, subscription.position - start, None))
            subscription.position = channel.end
            return items, channel.bell

    def marks(self) -> dict[int, int]:
        """For each stream with listeners, the newest event id already fanned out."""
        with self._lock:
            return dict(self._marks)

    def listener_count(self) -> int:
        with self._lock:
            return self._count

    def has_listeners(self, stream_id: int) -> bool:
        with self._lock:
            return stream_id in self._channels

    def announce(self, stream_id: int, frame: bytes) -> None:
        """Send a frame that has no event id (nothing to catch up on) to a stream's listeners."""
        with self._lock:
            channel = self._channels.get(stream_id)
            if channel is not None:
                channel.add(frame)
                channel.ring()

    def beat(self, frame: bytes) -> None:
        """Send *frame* (a heartbeat comment) to every listener of every stream."""
        with self._lock:
            for channel in self._channels.values():
                channel.add(frame)
                channel.ring()

    def publish(self, events: list[Event]) -> None:
        """Add each event to its stream's channel and wake the channels' listeners once.

        Each listener skips what it already had (an event read again after a listener with an
        older mark joined).
        """
        with self._lock:
            rung: dict[int, Channel] = {}
            for event in events:
                if event.id > self._marks.get(event.stream_id, event.id):
                    self._marks[event.stream_id] = event.id
                channel = self._channels.get(event.stream_id)
                if channel is not None:
                    channel.add(event)
                    rung[event.stream_id] = channel
            for channel in rung.values():
                channel.ring()

    def close_all(self) -> None:
        """End every listener's stream at its next turn."""
        with self._lock:
            channels = list(self._channels.values())
            self._channels.clear()
            self._marks.clear()
            for channel in channels:
                for subscription in channel.listeners:
                    subscription.closed = True
                channel.listeners.clear()
                channel.ring()
            self._counted(-self._count)
