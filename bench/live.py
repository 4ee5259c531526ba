"""Live streams under gunicorn with gevent workers on 127.0.0.1: cursor moves, SSE fan-out, API latency,
analytics beacons.

``python -m bench.live [--database sqlite|postgresql] [--listeners 500] [--moves 30] [--viewers 2000]``

It builds a throwaway catalog (a live stream with a 60-item run-sheet), starts
``gunicorn --config gunicorn.conf.py wsgi:app`` on a free loopback port, and prints:

1. cursor move → card JSON through HTTP, p50/p95 (target p95 < 15 ms);
2. the time from a cursor move until each of N connected SSE listeners has the event
   (target p95 < 150 ms); the moves go to whichever worker accepts them, so about half of
   the listeners hear them from another process (NOTIFY on PostgreSQL, the poll on SQLite);
3. API latency of other requests with no listener and with N listeners connected;
4. while the moves of (1) and (2) run, V viewers send analytics beacons (card seen, product page
   opened, want), each every 10 s on average: the beacons' answer times (target p95 < 5 ms), and
   whether the counts in the database after gunicorn stops equal the beacons accepted (exact:
   none lost, none counted twice).

The load generator shares the 2 cores with the server, so figures are upper bounds.
Everything is bounded: fixed request counts, and a deadline on every wait.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import selectors
import shutil
import socket
import tempfile
import threading
import time
import typing as t
from pathlib import Path

from bench import harness
from bench.beacons import BeaconLoad
from bench.beacons import compare
from bench.beacons import stored_counts
from bench.harness import free_port
from bench.harness import percentile
from bench.harness import throwaway_database

PRODUCTS = 60
MOVES_RE = re.compile(rb'"moves":(\d+)')


def table(title: str, header: list[str], rows: list[list[t.Any]]) -> None:
    print(f"\n### {title}\n")
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def ms(values: list[float]) -> list[str]:
    return [
        f"{percentile(values, 0.5) * 1000:.1f}",
        f"{percentile(values, 0.95) * 1000:.1f}",
        f"{max(values) * 1000:.1f}",
    ]


def prepare(database_url: str, instance: Path) -> dict[str, t.Any]:
    """Migrate, add staff, products and a live stream; the ids and tokens the bench needs."""
    from catalog import create_app
    from catalog import migrate
    from catalog.db import get_db
    from catalog.db import get_session
    from catalog.models import Role
    from catalog.services.users import add_user

    app = create_app(_config(database_url, instance), instance_path=str(instance))
    with app.app_context():
        migrate.upgrade(get_db().engine)
        session = get_session()
        _, host = add_user(session, "bench-host", Role.HOST)
        _, admin = add_user(session, "bench-admin", Role.ADMIN)
        session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {admin}"}
    hosting = {"Authorization": f"Bearer {host}"}  # the show's own host moves its cursor
    client.put("/api/v1/rates/KZT", json={"per_cny": "74"}, headers=headers)
    ids = []
    for i in range(PRODUCTS):
        body = {
            "sku": f"BENCH-{i:04d}",
            "content": {
                "zh": {
                    "name": f"哈萨克斯坦面粉 {i}",
                    "description": "高筋小麦粉，适合做面包。",
                    "highlights": ["一级"],
                },
                "ru": {
                    "name": f"Мука пшеничная {i}",
                    "description": "Казахстанская мука высшего сорта.",
                    "highlights": [],
                },
                "kk": {"name": f"Бидай ұны {i}", "description": "Жоғары сұрыпты ұн.", "highlights": []},
            },
            "origin_country": "KZ",
            "category": "food.flour",
            "price": {"amount": "25.00", "currency": "CNY"},
            "stock": 5 + i,
            "status": "published",
        }
        response = client.post("/api/v1/products", json=body, headers=headers)
        ids.append(response.json["id"])  # type: ignore[index]
    stream = client.post(
        "/api/v1/streams",
        json={
            "title": {"ru": "Вечер", "zh": "晚会"},
            "starts_at": "2026-12-01T19:00:00+06:00",
            "duration_minutes": 180,
            "locales": ["ru", "kk", "zh"],
            "currencies": ["KZT", "CNY"],
        },
        headers=hosting,
    )
    stream_id = stream.json["id"]  # type: ignore[index]
    client.put(
        f"/api/v1/streams/{stream_id}/lineup",
        json={"product_ids": ids},
        headers={**hosting, "If-Match": stream.headers["ETag"]},
    )
    # the bench's products have no reviewed translations: go live past the readiness check
    started = client.post(f"/api/v1/streams/{stream_id}/start?force=true", headers=hosting)
    assert started.status_code == 200, started.json
    app.extensions["live"].close()
    app.extensions["db"].dispose()
    return {"stream_id": stream_id, "product_id": ids[0], "product_ids": ids, "host": host}


def _config(database_url: str, instance: Path) -> dict[str, t.Any]:
    return {
        "DATABASE_URL": database_url,
        "SEARCH_URL": f"sqlite:///{instance / 'search.db'}",
        "SECRET_KEY": "bench",
        "SEARCH_SYNC_AFTER_REQUEST": False,
        "LOG_LEVEL": "WARNING",
    }


@contextlib.contextmanager
def gunicorn(database_url: str, instance: Path, port: int, workers: int) -> t.Iterator[None]:
    env = {
        "TIANSHAN_DATABASE_URL": database_url,
        "TIANSHAN_SEARCH_URL": f"sqlite:///{instance / 'search.db'}",
        "TIANSHAN_SECRET_KEY": "bench",
        "TIANSHAN_SEARCH_SYNC_AFTER_REQUEST": "false",
        "TIANSHAN_INSTANCE_PATH": str(instance),
        # every simulated viewer sends from 127.0.0.1: the per-address flood limit would refuse them
        "TIANSHAN_ANALYTICS_BEACONS_PER_MINUTE": "100000000",
    }
    with harness.gunicorn("wsgi:app", env, port, workers, "/api/v1/streams"):
        yield


class Api:
    """A keep-alive HTTP client."""

    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.auth = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body: t.Any = None) -> tuple[int, bytes, float]:
        headers = dict(self.auth)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()  # the server closed an idle keep-alive connection
                if attempt == 2:
                    raise
                continue
            return response.status, payload, time.perf_counter() - started
        raise AssertionError("unreachable")


def cursor_moves(api: Api, stream_id: int, count: int) -> list[float]:
    """Alternate next and prev (with a goto to start from a known place)."""
    api.call("POST", f"/api/v1/streams/{stream_id}/cursor", {"action": "goto", "position": 1})
    timings = []
    for i in range(count):
        action = "next" if i % 2 == 0 else "prev"
        status, _, elapsed = api.call("POST", f"/api/v1/streams/{stream_id}/cursor", {"action": action})
        assert status == 200, status
        timings.append(elapsed)
    return timings


def other_requests(api: Api, stream_id: int, product_id: int, count: int) -> dict[str, list[float]]:
    paths = {
        "GET card": f"/api/v1/streams/{stream_id}/card",
        "GET stream": f"/api/v1/streams/{stream_id}",
        "GET product": f"/api/v1/products/{product_id}?locale=ru",
        "GET schedule": "/api/v1/streams?tz=Asia/Almaty&locale=ru",
    }
    timings: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(count):
        for name, path in paths.items():
            status, _, elapsed = api.call("GET", path)
            assert status == 200, (name, status)
            timings[name].append(elapsed)
    return timings


class Listeners:
    """N event-stream connections read by one selector thread; records when each move arrives."""

    def __init__(self, port: int, stream_id: int, count: int, per_second: float = 0.0) -> None:
        """Open *count* listeners, at most *per_second* a second when given (a crowd tuning in)."""
        self.selector = selectors.DefaultSelector()
        self.arrivals: dict[int, list[float]] = {}
        self.ready: set[socket.socket] = set()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        request = (
            f"GET /api/v1/streams/{stream_id}/events HTTP/1.0\r\nHost: 127.0.0.1\r\n"
            "Accept: text/event-stream\r\n\r\n"
        ).encode()
        began = time.monotonic()
        for number in range(count):
            if per_second > 0:
                time.sleep(max(0.0, began + number / per_second - time.monotonic()))
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(request)
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ, bytearray())
            self.sockets.append(sock)
        self.stopping = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.stopping:
            for key, _ in self.selector.select(timeout=0.1):
                sock = t.cast(socket.socket, key.fileobj)
                buffer = t.cast(bytearray, key.data)
                try:
                    chunk = sock.recv(65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    self.selector.unregister(sock)
                    continue
                now = time.perf_counter()
                buffer += chunk
                while (end := buffer.find(b"\n\n")) >= 0:
                    frame = bytes(buffer[:end])
                    del buffer[: end + 2]
                    if b"event: card" not in frame:
                        continue
                    match = MOVES_RE.search(frame)
                    if match is None:
                        continue
                    with self.lock:
                        self.ready.add(sock)
                        self.arrivals.setdefault(int(match.group(1)), []).append(now)

    def wait_ready(self, deadline: float) -> int:
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.ready) == len(self.sockets):
                    break
            time.sleep(0.05)
        return len(self.ready)

    def close(self) -> None:
        self.stopping = True
        self.thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


def fan_out(
    api: Api, listeners: Listeners, stream_id: int, moves: int, answered: list[float]
) -> tuple[list[float], int]:
    """Move *moves* times, 200 ms apart; per move and listener, the time until it had the event.

    The time each move took to answer is appended to *answered*.
    """
    delays: list[float] = []
    missing = 0
    sent: list[tuple[int, float]] = []
    for i in range(moves):
        action = "next" if i % 2 == 0 else "prev"
        started = time.perf_counter()
        status, payload, elapsed = api.call("POST", f"/api/v1/streams/{stream_id}/cursor", {"action": action})
        assert status == 200, status
        sent.append((json.loads(payload)["moves"], started))
        answered.append(elapsed)
        time.sleep(0.2)
    time.sleep(1.0)
    with listeners.lock:
        for number, started in sent:
            arrived = listeners.arrivals.get(number, [])
            delays += [moment - started for moment in arrived]
            missing += len(listeners.sockets) - len(arrived)
    return delays, missing


def run(database: str, listeners_count: int, moves: int, workers: int, viewers: int, every: float) -> None:
    work = Path(tempfile.mkdtemp(prefix="tianshan-bench-live-"))
    try:
        with throwaway_database(database, work) as url:
            measure(database, url, work, listeners_count, moves, workers, viewers, every)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(
    database: str,
    url: str,
    work: Path,
    listeners_count: int,
    moves: int,
    workers: int,
    viewers: int,
    every: float,
) -> None:
    """Run the bench against the empty database at *url* and print its tables."""
    from catalog.db import make_engine

    load_before = f"{os.getloadavg()[0]:.1f}"
    ids = prepare(url, work)
    port = free_port()
    with gunicorn(url, work, port, workers):
        api = Api(port, ids["host"])
        stream_id = ids["stream_id"]
        cursor_moves(api, stream_id, 60)  # warm both workers' caches and connections
        moved = cursor_moves(api, stream_id, 300)
        quiet = other_requests(api, stream_id, ids["product_id"], 100)
        listeners = Listeners(port, stream_id, listeners_count)
        connected = listeners.wait_ready(time.monotonic() + 30)
        busy = other_requests(api, stream_id, ids["product_id"], 100)
        moved_busy: list[float] = []
        beacons = BeaconLoad(port, stream_id, ids["product_ids"], viewers, every)
        if viewers:
            beacons.start()
        started = time.perf_counter()
        delays, missing = fan_out(api, listeners, stream_id, moves, moved_busy)
        beacons.stop()
        beaconing = time.perf_counter() - started
        listeners.close()
    # gunicorn has stopped its workers gracefully: each wrote the counts it still held
    engine = make_engine(url)
    sent, stored, differing = compare(beacons.expected(), stored_counts(engine, stream_id))
    engine.dispose()
    print(
        f"\n`{database}`, gunicorn with {workers} gevent workers on 127.0.0.1; {PRODUCTS}-item run-sheet, "
        f"3 locales x 2 currencies per card; load average {load_before} before, "
        f"{os.getloadavg()[0]:.1f} after (other work on the machine inflates every figure)."
    )
    table(
        "Cursor move to card JSON through HTTP (target p95 < 15 ms)",
        ["case", "requests", "p50 ms", "p95 ms", "max ms"],
        [
            ["no listeners", len(moved), *ms(moved)],
            [
                f"{listeners_count} listeners, each move pushed to all, {viewers} viewers' beacons",
                len(moved_busy),
                *ms(moved_busy),
            ],
        ],
    )
    table(
        "Cursor move until each SSE listener has the event (target p95 < 150 ms)",
        ["listeners connected", "moves", "deliveries", "missing", "p50 ms", "p95 ms", "max ms"],
        [[f"{connected}/{listeners_count}", moves, len(delays), missing, *ms(delays or [0.0])]],
    )
    table(
        f"Other API requests, without and with {listeners_count} listeners",
        [
            "request",
            "p50 ms (idle)",
            "p95 ms (idle)",
            f"p50 ms ({listeners_count})",
            f"p95 ms ({listeners_count})",
        ],
        [[name, *ms(quiet[name])[:2], *ms(busy[name])[:2]] for name in quiet],
    )
    if viewers:
        refused = sum(n for status, n in beacons.statuses.items() if status != 202)
        table(
            f"Analytics beacons: {viewers} viewers, one beacon every {every:g} s each on average, "
            "while the host moves (target p95 < 5 ms; counts exact)",
            [
                "seconds",
                "beacons/s",
                "sent",
                "not accepted",
                "p50 ms",
                "p95 ms",
                "max ms",
                "accepted",
                "counted",
                "rows differing",
            ],
            [
                [
                    f"{beaconing:.1f}",
                    f"{len(beacons.latencies) / beaconing:.0f}",
                    len(beacons.latencies) + beacons.statuses[0],
                    refused,
                    *ms(beacons.latencies or [0.0]),
                    sent,
                    stored,
                    differing,
                ]
            ],
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--listeners", type=int, default=500)
    parser.add_argument("--moves", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--viewers", type=int, default=2000, help="viewers sending analytics beacons (0: none)"
    )
    parser.add_argument(
        "--beacon-every", type=float, default=10.0, help="seconds between one viewer's beacons"
    )
    args = parser.parse_args(argv)
    print("## Live streams: cursor, card, SSE fan-out and analytics beacons")
    for database in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        run(database, args.listeners, args.moves, args.workers, args.viewers, args.beacon_every)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
