"""The broadcaster's writer: frames sent straight to listeners' sockets.

Each test serves an event stream over a socket pair the way gunicorn does (every piece the
generator yields is framed and written), reads the other end as a client would, and checks
the bytes on the wire: the framing, every event once and in order, nothing lost when the
reader is slow.
"""

from __future__ import annotations

import re
import socket
import threading
import time
import typing as t

import pytest

from catalog.live.broadcaster import Broadcaster
from catalog.live.direct import Sink
from catalog.live.sse import HEARTBEAT
from catalog.live.sse import generate
from catalog.services.stream_events import Event

STREAM = 1


class Wire:
    """A listener's connection: the server end wrapped in a sink, the client end read here."""

    def __init__(self, chunked: bool, rcvbuf: int = 0) -> None:
        self.server, self.client = socket.socketpair()
        if rcvbuf:
            self.client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            self.server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, rcvbuf)
        self.server.settimeout(10)  # non-blocking underneath, as the server's sockets are
        self.client.settimeout(10)
        self.sink = Sink(self.server, chunked)
        self.raw = b""
        self.pieces = 0  # what the listener wrote itself, as the server would

    def serve(self, pieces: t.Iterator[bytes]) -> threading.Thread:
        """Write what the generator yields as the server would, in a thread of its own."""

        def run() -> None:
            try:
                for piece in pieces:
                    self.pieces += 1
                    self.sink.send_all(self.sink.framed(piece))
            except OSError:
                pass

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def read_until(self, wanted: bytes, timeout: float = 10) -> bytes:
        """Read until the decoded body holds *wanted*; the decoded body."""
        deadline = time.monotonic() + timeout
        while wanted not in self.body():
            assert time.monotonic() < deadline, f"{wanted!r} never arrived"
            self.raw += self.client.recv(1 << 16)
        return self.body()

    def body(self) -> bytes:
        """The body decoded from its framing; chunk framing must be exact."""
        if not self.sink.chunked:
            return self.raw
        body, rest = b"", self.raw
        while rest:
            size_line, crlf, after = rest.partition(b"\r\n")
            if not crlf:
                break
            assert re.fullmatch(rb"[0-9A-F]+", size_line), size_line
            size = int(size_line, 16)
            assert size > 0, "an empty chunk ends the body"
            if len(after) < size + 2:
                break
            assert after[size : size + 2] == b"\r\n", "a chunk must end with CRLF"
            body, rest = body + after[:size], after[size + 2 :]
        return body


def event_ids(body: bytes) -> list[int]:
    return [int(found) for found in re.findall(rb"^id: (\d+)$", body, re.MULTILINE)]


def card(event_id: int, size: int = 10) -> Event:
    return Event(event_id, STREAM, "card", '{"pad": "%s"}' % ("x" * size))


def listen(broadcaster: Broadcaster, wire: Wire, last_id: int = 0) -> threading.Thread:
    subscription = broadcaster.subscribe(STREAM, last_id, wire.sink)
    thread = wire.serve(generate(subscription, broadcaster, [b": hello\n\n"]))
    wire.read_until(b": hello")
    wait_for(lambda: subscription.direct)
    return thread


def wait_for(condition: t.Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.005)


@pytest.mark.parametrize("chunked", [True, False], ids=["http-1.1-chunked", "http-1.0-plain"])
def test_the_writer_sends_every_event_once_in_order(chunked: bool) -> None:
    broadcaster = Broadcaster()
    wires = [Wire(chunked) for _ in range(3)]
    for wire in wires:
        listen(broadcaster, wire)
    for event_id in range(1, 41):
        broadcaster.publish([card(event_id)])
        if event_id % 10 == 0:
            broadcaster.publish([card(event_id - 3)])  # read back again: already had
            broadcaster.beat(HEARTBEAT)
    broadcaster.publish([card(41)])
    for wire in wires:
        body = wire.read_until(b"id: 41\n")
        assert event_ids(body) == list(range(1, 42))
        assert body.count(HEARTBEAT) == 4
    # The writer sent them all: the listeners wrote only the retry line and their opening.
    assert [wire.pieces for wire in wires] == [2, 2, 2]
    assert broadcaster.direct_writes >= 3 and broadcaster.stalls == 0


def test_a_reader_that_stops_reading_gets_its_socket_back_and_misses_nothing() -> None:
    broadcaster = Broadcaster(queue_size=256)
    slow, quick = Wire(chunked=True, rcvbuf=4096), Wire(chunked=True)
    listen(broadcaster, slow)
    listen(broadcaster, quick)
    for event_id in range(1, 61):
        broadcaster.publish([card(event_id, size=8000)])
        assert event_ids(quick.read_until(b"id: %d\n" % event_id))[-1] == event_id
    assert broadcaster.stalls >= 1  # the slow reader's socket went back to its listener
    assert event_ids(slow.read_until(b"id: 60\n", timeout=20)) == list(range(1, 61))
    broadcaster.publish([card(61)])  # caught up, it is written by the writer again
    assert event_ids(slow.read_until(b"id: 61\n"))[-1] == 61
    assert broadcaster.listener_count() == 2


def test_a_reader_too_far_behind_is_dropped_and_the_others_go_on() -> None:
    broadcaster = Broadcaster(queue_size=4)
    slow, quick = Wire(chunked=True, rcvbuf=4096), Wire(chunked=True)
    served = listen(broadcaster, slow)
    listen(broadcaster, quick)
    for event_id in range(1, 41):
        broadcaster.publish([card(event_id, size=8000)])
        quick.read_until(b"id: %d\n" % event_id)
    slow.client.settimeout(2)
    while served.is_alive():  # read what the dropped listener had been given, until it ends
        try:
            if not (chunk := slow.client.recv(1 << 16)):
                break
        except TimeoutError:
            continue
        slow.raw += chunk
    received = event_ids(slow.body())
    assert received == list(range(1, len(received) + 1)) and len(received) < 40
    assert broadcaster.dropped == 1 and broadcaster.listener_count() == 1


def test_a_listener_whose_connection_is_gone_is_ended() -> None:
    broadcaster = Broadcaster()
    gone, staying = Wire(chunked=True), Wire(chunked=True)
    served = listen(broadcaster, gone)
    listen(broadcaster, staying)
    gone.client.close()
    for event_id in (1, 2):  # the first write may still land in the kernel's buffer
        broadcaster.publish([card(event_id)])
    served.join(timeout=10)
    assert not served.is_alive()
    assert event_ids(staying.read_until(b"id: 2\n")) == [1, 2]
    assert broadcaster.listener_count() == 1


def test_a_listener_without_a_sink_writes_its_own_frames() -> None:
    broadcaster = Broadcaster()
    subscription = broadcaster.subscribe(STREAM, 0)
    assert broadcaster.hand_over(subscription) is None
    broadcaster.publish([card(1)])
    items, _bell = broadcaster.take(subscription)
    assert [t.cast(Event, item).id for item in items] == [1]
    assert broadcaster.direct_writes == 0


def test_closing_the_broadcaster_ends_direct_listeners() -> None:
    broadcaster = Broadcaster()
    wire = Wire(chunked=False)
    served = listen(broadcaster, wire)
    broadcaster.close_all()
    served.join(timeout=10)
    assert not served.is_alive() and broadcaster.listener_count() == 0
