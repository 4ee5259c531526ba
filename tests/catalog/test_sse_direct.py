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

from catalog.live import direct
from catalog.live.broadcaster import Broadcaster
from catalog.live.broadcaster import Subscription
from catalog.live.direct import Sink
from catalog.live.direct import chunk
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
        self.server.settimeout(30)  # non-blocking underneath, as the server's sockets are
        self.client.settimeout(10)
        self.sink = Sink(self.server, chunked)
        self.raw = b""
        self.pieces = 0  # what the listener wrote itself, as the server would
        self.ended = False  # the last chunk arrived
        self.subscription: Subscription | None = None

    def serve(self, pieces: t.Iterator[bytes]) -> threading.Thread:
        """Write what the generator yields as the server would, in a thread of its own."""

        def run() -> None:
            try:
                for piece in pieces:
                    self.pieces += 1
                    self.sink.send_all(chunk(piece) if self.sink.chunked else piece)
                if self.sink.chunked:
                    self.sink.send_all(b"0\r\n\r\n")  # the last chunk, as the server ends the body
            except OSError:
                pass

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def read_to_end(self, timeout: float = 10) -> bytes:
        """Read until the server closes the body (its last chunk); the decoded body."""
        deadline = time.monotonic() + timeout
        while not self.ended:
            assert time.monotonic() < deadline, "the body never ended"
            chunk = self.client.recv(1 << 16)
            assert chunk, "the connection closed before the last chunk"
            self.raw += chunk
            self.body()
        return self.body()

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
            if size == 0:
                assert after == b"\r\n", "nothing may follow the last chunk"
                self.ended = True
                break
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
    subscription = wire.subscription = broadcaster.subscribe(STREAM, last_id, wire.sink)
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
    wait_for(lambda: broadcaster.direct_writes >= 3)  # counted when the writer's pass ends
    assert broadcaster.stalls == 0


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


def test_many_listeners_get_every_event_while_the_writer_takes_turns() -> None:
    broadcaster = Broadcaster()
    wires = [Wire(chunked=number % 2 == 0) for number in range(150)]  # more than one turn of writes
    for wire in wires:
        listen(broadcaster, wire)
    for event_id in range(1, 6):
        broadcaster.publish([card(event_id)])
    for wire in wires:
        assert event_ids(wire.read_until(b"id: 5\n")) == [1, 2, 3, 4, 5]
        assert wire.pieces == 2


def test_a_stream_closed_after_a_stalled_write_finishes_that_frame_first() -> None:
    broadcaster = Broadcaster(queue_size=256)
    slow = Wire(chunked=True, rcvbuf=4096)
    served = listen(broadcaster, slow)
    for event_id in range(1, 4):
        broadcaster.publish([card(event_id, size=20000)])
    wait_for(lambda: broadcaster.stalls >= 1)
    broadcaster.close_all()
    received = event_ids(slow.read_to_end(timeout=20))  # the chunks whole, then the last chunk
    assert received == list(range(1, len(received) + 1)) and received
    served.join(timeout=10)
    assert not served.is_alive()


class FailingSink(Sink):
    """A sink whose first write fails with something other than a lost connection."""

    __slots__ = ("failed",)

    def __init__(self, sock: socket.socket, chunked: bool) -> None:
        super().__init__(sock, chunked)
        self.failed = False

    def send(self, data: bytes) -> int:
        if not self.failed:
            self.failed = True
            raise RuntimeError("an unexpected failure in the writer")
        return super().send(data)


def test_when_the_writer_fails_listeners_write_their_own_frames(caplog: pytest.LogCaptureFixture) -> None:
    broadcaster = Broadcaster()
    wire = Wire(chunked=True)
    wire.sink = FailingSink(wire.server, chunked=True)
    listen(broadcaster, wire)
    broadcaster.publish([card(1)])
    assert event_ids(wire.read_until(b"id: 1\n")) == [1]
    assert wire.pieces == 3  # the listener wrote event 1 itself
    assert "event stream writer failed" in caplog.text
    subscription = wire.subscription
    wait_for(lambda: subscription is not None and subscription.direct)  # handed over again
    broadcaster.publish([card(2)])
    assert event_ids(wire.read_until(b"id: 2\n")) == [1, 2]
    assert wire.pieces == 3  # the writer sent event 2


class FakeSocket:
    """Stands for gunicorn's plain TCP socket in a request's environment."""

    def fileno(self) -> int:
        return 0


class FakeTlsSocket(FakeSocket):
    def getpeercert(self) -> None:
        return None


@pytest.fixture
def allowed() -> t.Iterator[None]:
    direct.allow(True)
    yield
    direct.allow(False)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, True),
        ({"SERVER_PROTOCOL": "HTTP/1.0"}, False),
        ({"SERVER_PROTOCOL": "HTTP/1.2"}, None),  # gunicorn would chunk it; only known versions
        ({"SERVER_PROTOCOL": "HTTP/2.0"}, None),
        ({"REQUEST_METHOD": "HEAD"}, None),
        ({"gunicorn.socket": FakeTlsSocket()}, None),
        ({"gunicorn.socket": None}, None),
    ],
    ids=["http-1.1", "http-1.0", "http-1.2", "http-2", "head", "tls", "no-socket"],
)
def test_the_writer_takes_only_sockets_whose_framing_it_knows(
    allowed: None, changes: dict[str, t.Any], expected: bool | None
) -> None:
    environ = {"gunicorn.socket": FakeSocket(), "REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1"}
    assert direct.framing({**environ, **changes}) is expected


def test_the_writer_takes_no_socket_unless_the_server_allows_it() -> None:
    environ = {"gunicorn.socket": FakeSocket(), "REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1"}
    assert direct.framing(environ) is None
    direct.allow(True)
    try:
        assert direct.framing(environ) is True
        assert direct.sink_for(environ) is None  # threads here, not gevent's greenlets
    finally:
        direct.allow(False)
