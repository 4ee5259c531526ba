"""The in-process broadcaster: each stream's recent frames, shared by all of its listeners.

A published event is stored once in its stream's channel (a bounded window of the latest
frames) and one bell wakes every listener of the stream; each listener's own thread (a
greenlet under gunicorn's gevent workers) then takes what it has not had yet and writes it.
Publishing costs the same for one listener as for thousands. A listener that stops reading
falls out of the window and is dropped, so it never holds up the others; it can reconnect
with ``Last-Event-ID`` and get what it missed from the database.

Where the server allows it (see :mod:`catalog.live.direct`), a listener that has had
everything hands its socket to the broadcaster's writer instead of waiting on the bell, and
the writer sends new frames to all such sockets in one loop.
"""

from __future__ import annotations

import collections
import itertools
import logging
import threading
import time
import typing as t
from collections.abc import Callable

from catalog.live.direct import Sink
from catalog.live.direct import chunk
from catalog.services.stream_events import Event

#: A frame in a stream's window: an event with its id, or a frame without one.
Item = Event | bytes

#: Seconds the writer waits for news, with no socket handed over, before it ends.
WRITER_IDLE_SECONDS = 5.0
#: Writes the writer makes before letting the worker's other requests take a turn.
WRITES_PER_TURN = 64

log = logging.getLogger(__name__)


def render(items: list[Item], sent: int) -> tuple[bytes, int]:
    """The bytes of *items* for a listener that has had events up to *sent*, and its new *sent*.

    Frames without an id (a heartbeat, a flash sale starting) always go out; an event goes out
    once, however often it was published.
    """
    frames = []
    for item in items:
        if isinstance(item, bytes):
            frames.append(item)
        elif item.id > sent:
            sent = item.id
            frames.append(item.frame)
    return b"".join(frames), sent


class Channel:
    """One stream: its listeners, its latest frames, and the bell rung when frames are added."""

    def __init__(self, size: int) -> None:
        self.listeners: set[Subscription] = set()
        #: Listeners whose socket the writer writes (a subset of ``listeners``).
        self.direct: set[Subscription] = set()
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
    """One listener of one stream, reading its stream's channel from *position* on.

    *sent* is the newest event id the listener has had: an event published again (read back
    after a listener with an older mark joined) is not sent twice.
    """

    def __init__(self, stream_id: int, last_id: int, channel: Channel, sink: Sink | None = None) -> None:
        self.stream_id = stream_id
        self.channel = channel
        self.position = channel.end
        self.sent = last_id
        self.closed = False
        self.dropped = False
        #: The socket the writer may write for this listener, when the server allows it.
        self.sink = sink
        #: Bytes the writer could not send (the reader is slow); the listener sends them itself.
        self.unsent = b""
        #: Whether the writer writes this listener's socket now.
        self.direct = False
        #: Set when the writer hands the socket back (a stalled or failed write, or closing).
        self.handed_back = threading.Event()


class Broadcaster:
    """Channels by stream, and how far each stream's events have been read from the database."""

    def __init__(self, queue_size: int = 64) -> None:
        self.queue_size = queue_size
        self._lock = threading.Lock()
        self._channels: dict[int, Channel] = {}
        self._marks: dict[int, int] = {}
        self._count = 0
        self.dropped = 0
        self._news = threading.Event()  # a channel with direct listeners has new frames
        self._writer: threading.Thread | None = None
        #: Sockets the writer wrote, and writes it handed back to their listener unfinished.
        self.direct_writes = 0
        self.stalls = 0
        #: Told the number of listeners whenever it changes (a metrics gauge, say).
        self.on_count: Callable[[int], None] | None = None
        #: Told, after each pass of the writer, how many sockets it wrote with each framing
        #: (``"chunked"`` or ``"plain"``; a metrics counter, say).
        self.on_written: Callable[[str, int], None] | None = None

    def _counted(self, change: int) -> None:
        """Change and report the number of listeners (called with the lock held)."""
        self._count += change
        if self.on_count is not None:
            self.on_count(self._count)

    def subscribe(self, stream_id: int, last_id: int, sink: Sink | None = None) -> Subscription:
        """Listen to *stream_id* from after event *last_id* (the writer may write *sink*)."""
        with self._lock:
            channel = self._channels.get(stream_id)
            if channel is None:
                channel = self._channels[stream_id] = Channel(self.queue_size)
            subscription = Subscription(stream_id, last_id, channel, sink)
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
        self._hand_back(subscription)
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

    def hand_over(self, subscription: Subscription) -> threading.Event | None:
        """Let the writer write *subscription*'s socket from now on, if it has had everything.

        Returns the event set when the writer hands the socket back, or None when the
        listener must go on writing itself (no sink, closed, or frames arrived meanwhile).
        """
        with self._lock:
            channel = subscription.channel
            if subscription.sink is None or subscription.closed or subscription.position != channel.end:
                return None
            if subscription not in channel.listeners:
                return None
            subscription.handed_back.clear()
            subscription.direct = True
            channel.direct.add(subscription)
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_loop, name="sse-writer", daemon=True)
                self._writer.start()
            return subscription.handed_back

    def _hand_back(self, subscription: Subscription) -> None:
        """Give *subscription*'s socket back to its listener (called with the lock held)."""
        if subscription.direct:
            subscription.direct = False
            subscription.channel.direct.discard(subscription)
        subscription.handed_back.set()

    def _ring(self, channel: Channel) -> None:
        """Wake the channel's waiting listeners, and the writer when it has sockets to write."""
        channel.ring()
        if channel.direct:
            self._news.set()

    def _write_loop(self) -> None:
        """Write whenever there is news; end when no socket has been handed over for a while.

        A pass that fails gives every socket back to its listener, which then writes its own
        frames; a writer that dies does the same, so no listener waits on a writer that is gone.
        """
        try:
            while True:
                if not self._news.wait(timeout=WRITER_IDLE_SECONDS):
                    with self._lock:
                        if not any(channel.direct for channel in self._channels.values()):
                            self._writer = None  # the next hand-over starts another
                            return
                    continue
                self._news.clear()
                try:
                    self.write_direct()
                except Exception:
                    log.exception("event stream writer failed; its listeners write their own frames")
                    with self._lock:
                        self._hand_back_all()
        finally:
            with self._lock:
                if self._writer is threading.current_thread():
                    self._writer = None
                    self._hand_back_all()

    def _hand_back_all(self) -> None:
        """Give every socket the writer holds back to its listener (called with the lock held)."""
        for channel in self._channels.values():
            for subscription in list(channel.direct):
                self._hand_back(subscription)

    def write_direct(self) -> int:
        """Send every direct listener what it has not had; the number of sockets written.

        Frames are rendered once per group of listeners that had the same, then sent with one
        non-blocking write per socket. A socket that does not take everything goes back to its
        listener with the rest; one that fails is closed.
        """
        with self._lock:
            batches = []
            for channel in self._channels.values():
                if not channel.direct:
                    continue
                start = channel.end - len(channel.items)
                rendered: dict[tuple[int, int], tuple[bytes, bytes, int]] = {}
                targets = []
                for subscription in list(channel.direct):
                    if subscription.position == channel.end:
                        continue
                    if subscription.position < start:  # cannot happen while written; take() drops it
                        self._hand_back(subscription)
                        continue
                    key = (subscription.position, subscription.sent)
                    if key not in rendered:
                        payload, sent = render(
                            list(itertools.islice(channel.items, subscription.position - start, None)),
                            subscription.sent,
                        )
                        rendered[key] = (payload, chunk(payload), sent)
                    targets.append((subscription, *rendered[key]))
                batches.append((channel.end, targets))
        written = chunked_written = 0
        for end, targets in batches:
            for subscription, payload, chunked, sent in targets:
                # No switch between this check and the write: the listener is still ours.
                if not subscription.direct:
                    continue
                if not payload:
                    subscription.position, subscription.sent = end, sent
                    continue
                sink = t.cast(Sink, subscription.sink)
                data = chunked if sink.chunked else payload
                try:
                    done = sink.send(data)
                except OSError:
                    subscription.closed = True
                    done = len(data)
                subscription.position, subscription.sent = end, sent  # sent, or the rest is unsent
                if done < len(data) or subscription.closed:
                    subscription.unsent = data[done:]
                    self.stalls += not subscription.closed
                    with self._lock:
                        self._hand_back(subscription)
                written += 1
                chunked_written += sink.chunked
                if written % WRITES_PER_TURN == 0:
                    time.sleep(0)  # the worker's other requests take a turn
        self.direct_writes += written
        if written and self.on_written is not None:
            for framing, count in (("chunked", chunked_written), ("plain", written - chunked_written)):
                if count:
                    self.on_written(framing, count)
        return written

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
                self._ring(channel)

    def beat(self, frame: bytes) -> None:
        """Send *frame* (a heartbeat comment) to every listener of every stream."""
        with self._lock:
            for channel in self._channels.values():
                channel.add(frame)
                self._ring(channel)

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
                self._ring(channel)

    def close_all(self) -> None:
        """End every listener's stream at its next turn."""
        with self._lock:
            channels = list(self._channels.values())
            self._channels.clear()
            self._marks.clear()
            for channel in channels:
                for subscription in channel.listeners:
                    subscription.closed = True
                    self._hand_back(subscription)
                channel.listeners.clear()
                channel.ring()
            self._counted(-self._count)
