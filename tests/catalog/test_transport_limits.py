"""Hostile and broken clients against the production server (gunicorn, gevent workers).

Raw sockets on 127.0.0.1: requests past the size limits get a clear 4xx before the app runs,
bodies past the app's limit a 413 problem, and clients that go quiet (a body that stops
arriving, headers sent a byte a second, a response nobody reads) lose their connection to a
timeout while everyone else keeps being served. One server for the module, on SQLite (these
are the server's limits; no query touches the database differently on PostgreSQL), with short
timeouts so the test waits seconds rather than the production values.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import json
import shutil
import socket
import threading
import time
import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.db import make_engine
from catalog.models import Product
from catalog.models import Role
from catalog.services.users import add_user
from tests.catalog.payloads import product
from tests.support.gunicorn import gunicorn

pytestmark = pytest.mark.slow

KEEPALIVE = 3  # seconds to send a request line and headers
IDLE = 4  # seconds a request waits on a silent client (more than KEEPALIVE, as in production)
MAX_BODY = 1024 * 1024  # catalog.config.SETTINGS["MAX_CONTENT_LENGTH"]
PROMPT = 5.0  # a generous bound for a request that must not wait behind a hostile client


@dataclasses.dataclass
class Server:
    port: int
    token: str
    database_url: str

    def products(self) -> int:
        engine = make_engine(self.database_url)
        try:
            with Session(engine) as session:
                return session.scalar(sa.select(sa.func.count(Product.id))) or 0
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[Server]:
    root = tmp_path_factory.mktemp("transport")
    shutil.copy(sqlite_template, root / "catalog.db")
    url = f"sqlite:///{root / 'catalog.db'}"
    engine = make_engine(url)
    with Session(engine) as session:
        _, token = add_user(session, "editor", Role.EDITOR, [])
        session.commit()
    engine.dispose()
    config = {"DATABASE_URL": url, "SEARCH_URL": f"sqlite:///{root / 'search.db'}"}
    timeouts = {"TIANSHAN_KEEPALIVE": str(KEEPALIVE), "TIANSHAN_CLIENT_IDLE_TIMEOUT": str(IDLE)}
    with gunicorn(config, root / "instance", env=timeouts) as port:
        yield Server(port, token, url)


@dataclasses.dataclass
class Answer:
    status: int
    content_type: str
    body: bytes

    def json(self) -> t.Any:
        return json.loads(self.body)


def exchange(port: int, data: bytes, timeout: float = 10) -> Answer:
    """Send *data* as it is on a new connection and read one response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        return read_answer(sock)


def read_answer(sock: socket.socket) -> Answer:
    response = http.client.HTTPResponse(sock)
    response.begin()
    body = response.read()
    return Answer(response.status, response.getheader("Content-Type", ""), body)


def get(port: int, path: str = "/api/v1/products") -> Answer:
    """An ordinary request from a well-behaved client; it must be answered promptly."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PROMPT)
    with contextlib.closing(connection):
        connection.request("GET", path)
        response = connection.getresponse()
        answer = Answer(response.status, response.getheader("Content-Type", ""), response.read())
    assert time.monotonic() - started < PROMPT
    return answer


def assert_still_serving(port: int) -> None:
    answer = get(port)
    assert answer.status == 200, answer.body
    assert answer.json()["items"] == []


def closed_by_server(sock: socket.socket, deadline: float) -> bool:
    """Read *sock* until the server closes it (True) or *deadline* passes (False)."""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        sock.settimeout(remaining)
        try:
            if not sock.recv(65536):
                return True
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False


def request_head(target: str, *headers: str) -> bytes:
    lines = [f"GET {target} HTTP/1.1", "Host: 127.0.0.1", *headers, "", ""]
    return "\r\n".join(lines).encode()


# Each case stays under 8 KiB in all, so the server reads every byte before it answers and
# closes (bytes left unread would turn its close into a reset that can overtake the answer).
OVERSIZED = {
    "request-line": (request_head("/api/v1/products?q=" + "a" * 5000), 414),
    "header-field": (request_head("/api/v1/products", "X-Padding: " + "a" * 8200), 431),
    "header-count": (request_head("/api/v1/products", *(f"X-{n}: 1" for n in range(120))), 431),
    "not-http": (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 HELLO\r\n\r\n", 400),
}


@pytest.mark.parametrize(("data", "status"), OVERSIZED.values(), ids=OVERSIZED.keys())
def test_requests_past_the_server_limits_get_a_clear_4xx(server: Server, data: bytes, status: int) -> None:
    answer = exchange(server.port, data)
    assert answer.status == status, answer.body
    assert_still_serving(server.port)


def test_requests_just_within_the_limits_reach_the_app(server: Server) -> None:
    # 4094 bytes of request line, 100 fields (Host among them), a field of 8190 bytes with its CRLF.
    target = "/api/v1/products?x=" + "a" * (4094 - len("GET /api/v1/products?x= HTTP/1.1"))
    fields = [f"X-{n}: 1" for n in range(99)]
    for data in (
        request_head(target),
        request_head("/api/v1/products", *fields),
        request_head("/api/v1/products", "X-Padding: " + "a" * (8190 - len("X-Padding: \r\n"))),
    ):
        answer = exchange(server.port, data)
        assert answer.status == 200, answer.body
        assert answer.json()["items"] == []


def _post_product(server: Server, body: t.Any, headers: dict[str, str] | None = None) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    with contextlib.closing(connection):
        connection.request(
            "POST",
            "/api/v1/products",
            body=body,
            headers={
                "Authorization": f"Bearer {server.token}",
                "Content-Type": "application/json",
                **(headers or {}),
            },
            encode_chunked=not isinstance(body, bytes),
        )
        response = connection.getresponse()
        return Answer(response.status, response.getheader("Content-Type", ""), response.read())


def _oversized_product() -> bytes:
    body = json.dumps(product(content={"zh": {"name": "面粉", "description": "粉" * MAX_BODY}}))
    return body.encode()


def test_a_body_over_the_limit_is_a_413_problem_and_writes_nothing(server: Server) -> None:
    data = _oversized_product()
    assert len(data) > MAX_BODY
    for body in (data, (data[i : i + 65536] for i in range(0, len(data), 65536))):  # sized, chunked
        answer = _post_product(server, body)
        assert answer.status == 413, answer.body
        assert answer.content_type == "application/problem+json"
        problem = answer.json()
        assert problem["type"] == "/problems/payload-too-large"
        assert problem["status"] == 413
        assert "larger than" in problem["detail"]
    assert server.products() == 0
    assert_still_serving(server.port)


def test_a_body_that_stops_arriving_times_out_and_others_are_served(server: Server) -> None:
    head = (
        "POST /api/v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {server.token}\r\nContent-Type: application/json\r\n"
        "Content-Length: 5000\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=IDLE + 10) as quiet:
        started = time.monotonic()
        quiet.sendall(head.encode() + b'{"sku": "KZ-')  # then nothing more
        for _ in range(3):
            assert_still_serving(server.port)
        answer = read_answer(quiet)
        waited = time.monotonic() - started
        assert answer.status == 408, answer.body
        assert answer.content_type == "application/problem+json"
        assert answer.json()["type"] == "/problems/request-timeout"
        assert IDLE - 0.5 < waited < IDLE + PROMPT
        assert closed_by_server(quiet, time.monotonic() + KEEPALIVE + PROMPT)
    assert server.products() == 0
    assert_still_serving(server.port)


class Drip:
    """Slowloris: open connections that send the start of a request, then a byte a second."""

    def __init__(self, port: int, connections: int) -> None:
        self.sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(connections)]
        for sock in self.sockets:
            sock.sendall(b"GET /api/v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        self.opened = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.send(b"a")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for sock in self.sockets:
            sock.close()


def test_slowloris_connections_do_not_starve_others_and_are_dropped(server: Server) -> None:
    drip = Drip(server.port, 50)
    try:
        served = 0
        while time.monotonic() - drip.opened < KEEPALIVE - 0.5:
            assert_still_serving(server.port)
            served += 1
        assert served >= 3
        deadline = drip.opened + KEEPALIVE + PROMPT
        still_open = [n for n, sock in enumerate(drip.sockets) if not closed_by_server(sock, deadline)]
        assert still_open == [], "headers still arriving after keepalive seconds end the connection"
    finally:
        drip.close()
    assert_still_serving(server.port)


def test_a_reader_that_stops_reading_does_not_block_others_and_is_dropped(server: Server) -> None:
    one = len(get(server.port, "/api/v1/openapi.json").body)
    # Far more than the socket buffers on both sides hold (the sender's grows to a few MiB).
    requests = 16 * 1024 * 1024 // one
    with socket.socket() as stuck:
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.connect(("127.0.0.1", server.port))
        stuck.sendall(request_head("/api/v1/openapi.json") * requests)
        started = time.monotonic()
        while time.monotonic() - started < IDLE + 1.5:  # not a byte read meanwhile
            assert_still_serving(server.port)
        received = 0
        with contextlib.suppress(ConnectionResetError):
            stuck.settimeout(PROMPT)
            while chunk := stuck.recv(1 << 20):
                received += len(chunk)
    assert received < requests * one, "the server gave up on the stuck reader"
    assert_still_serving(server.port)
