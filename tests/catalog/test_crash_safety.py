"""Crash safety under the production server: a gunicorn worker killed (SIGKILL) in the middle of writes.

Writers go on while a worker is killed; gunicorn starts another. Every write answered 2xx must
be in the database afterwards, nothing may be half-written (a run-sheet is one of the lists
sent, an import is all of a file or none of it), and after ``tianshan search sync`` the index
matches the database (``tianshan search check``: no drift). On SQLite and PostgreSQL.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import itertools
import json
import os
import signal
import threading
import time
import typing as t
from pathlib import Path

import polib
import pytest
import sqlalchemy as sa
from flask import Flask

from catalog.db import get_session
from catalog.models import Product
from catalog.models import ProductContent
from tests.catalog.payloads import product
from tests.catalog.test_streams_helpers import STREAM
from tests.conftest import Tokens
from tests.support.gunicorn import gunicorn

PRODUCTS = 24
#: Imports killed, each a further 10 ms after its file starts on its way.
IMPORT_ROUNDS = 4


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "SEARCH_SYNC_AFTER_REQUEST": False}


class Server:
    """The gunicorn on *port*: HTTP calls, and its workers to kill."""

    def __init__(self, port: int, tokens: Tokens) -> None:
        self.port, self.tokens = port, tokens
        self.cut = 0  # requests that got no answer: their worker was killed under them
        self.answered = 0
        self.lock = threading.Lock()

    def call(
        self,
        method: str,
        path: str,
        role: str,
        body: t.Any = None,
        headers: t.Mapping[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes] | None:
        """The answer's status, headers and body; ``None`` when the connection broke."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Authorization": f"Bearer {self.tokens[role]}", **(headers or {})}
        data = body if isinstance(body, bytes) else (None if body is None else json.dumps(body).encode())
        if data is not None and "Content-Type" not in sent:
            sent["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            answer = response.status, dict(response.getheaders()), response.read()
        except (OSError, http.client.HTTPException):
            with self.lock:
                self.cut += 1
            return None
        finally:
            connection.close()
        with self.lock:
            self.answered += 1
        return answer

    def workers(self) -> list[int]:
        """The pids of the gunicorn workers serving this port."""
        master = [pid for pid, parent in _processes().items() if parent == os.getpid() and _is_gunicorn(pid)]
        return [pid for pid, parent in _processes().items() if parent in master]

    def busy_workers(self) -> list[int]:
        """The workers holding an accepted connection on this port: a request in their hands."""
        connections = _established(self.port)
        return [pid for pid in self.workers() if _sockets(pid) & connections]

    def kill_a_worker(self, busy: t.Callable[[], bool] = lambda: True) -> int:
        """SIGKILL a worker in the middle of a request and wait until gunicorn has two again.

        A worker holding a connection is looked for while *busy* says requests are going on;
        once it says not, any worker is killed. Returns the killed pid.
        """
        deadline = time.monotonic() + 60
        while not (serving := self.busy_workers()) and busy():
            assert time.monotonic() < deadline, "no worker took a request within 60 s"
            time.sleep(0.002)
        victim = (serving or self.workers())[0]
        os.kill(victim, signal.SIGKILL)
        while victim in self.workers() or len(self.workers()) < 2:
            assert time.monotonic() < deadline, "gunicorn did not replace the killed worker"
            time.sleep(0.05)
        return victim


def _processes() -> dict[int, int]:
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(stat.parent.name)] = int(fields[1])
    return out


def _is_gunicorn(pid: int) -> bool:
    try:
        return b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _established(port: int) -> set[int]:
    """Socket inodes of the established TCP connections to *port* on this machine."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(int(fields[9]))
    return inodes


def _sockets(pid: int) -> set[int]:
    """Socket inodes among the open files of process *pid*."""
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(int(target[8:-1]))
    return inodes


def with_kills(server: Server, work: t.Callable[[threading.Event], None], kills: int) -> None:
    """Run *work* until the event it is given is set, killing a worker in a request *kills* times.

    After each kill the next one waits for an answer from the workers left or new, and *work* is
    told to stop once one has come after the last kill.
    """
    stop = threading.Event()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(work, stop)
        try:
            for _ in range(kills):
                assert not running.done(), "the writes ended before every kill"
                answered = server.answered
                server.kill_a_worker(busy=lambda: not running.done())
                deadline = time.monotonic() + 120
                while server.answered == answered and not running.done():
                    assert time.monotonic() < deadline, "nothing was answered after a kill"
                    time.sleep(0.01)
        finally:
            stop.set()
        running.result(timeout=600)


def seed(app: Flask, tokens: Tokens) -> list[int]:
    client = app.test_client()
    ids = []
    for n in range(PRODUCTS):
        made = client.post(
            "/api/v1/products",
            json=product(sku=f"KZ-CRASH-{n:03d}", barcode=None),
            headers=tokens.headers("editor"),
        )
        assert made.status_code == 201, made.json
        ids.append(made.json["id"])
    return ids


def no_drift(app: Flask) -> None:
    runner = app.test_cli_runner()
    synced = runner.invoke(args=["search", "sync"])
    assert synced.exit_code == 0, synced.output
    checked = runner.invoke(args=["search", "check"])
    assert checked.exit_code == 0, checked.output
    assert "No drift." in checked.output, checked.output


def stocks(app: Flask) -> dict[int, tuple[int, int]]:
    with app.app_context():
        session = get_session()
        rows = session.execute(sa.select(Product.id, Product.stock, Product.version))
        result = {pid: (stock, version) for pid, stock, version in rows}
        session.rollback()
        return result


@pytest.mark.slow
def test_product_writes_answered_2xx_survive_killed_workers(
    app: Flask, app_config: dict[str, t.Any], tokens: Tokens, tmp_path: Path
) -> None:
    """Concurrent product PATCHes, one writer per product, while workers are killed under them."""
    ids = seed(app, tokens)
    acked: dict[int, list[int]] = {pid: [] for pid in ids}
    sent: dict[int, set[int]] = {pid: set() for pid in ids}
    with gunicorn(app_config, tmp_path / "served", env={"TIANSHAN_WORKERS": "2"}) as port:
        server = Server(port, tokens)

        def writer(pid: int, stop: threading.Event) -> None:
            # each stock larger than the last: the stored one can only be the last answered or
            # one sent after it (answered or cut off)
            for stock in itertools.takewhile(lambda _: not stop.is_set(), itertools.count(1000)):
                sent[pid].add(stock)
                answer = server.call(
                    "PATCH", f"/api/v1/products/{pid}", "editor", {"stock": stock}, {"If-Match": "*"}
                )
                if answer is not None:
                    assert answer[0] == 200, answer
                    acked[pid].append(stock)

        def burst(stop: threading.Event) -> None:
            with concurrent.futures.ThreadPoolExecutor(max_workers=len(ids)) as pool:
                done = list(pool.map(lambda pid: writer(pid, stop), ids))
            assert len(done) == len(ids)

        with_kills(server, burst, kills=5)
    assert server.cut >= 5, f"only {server.cut} requests were cut off by 5 kills"
    assert all(acked.values()), "a writer got no write answered"
    stored = stocks(app)
    for pid in ids:
        stock, _version = stored[pid]
        if acked[pid]:
            assert stock >= acked[pid][-1], f"product {pid}: answered {acked[pid][-1]}, stored {stock}"
            assert stock in sent[pid]
    no_drift(app)


@pytest.mark.slow
def test_a_run_sheet_is_always_one_of_those_sent_when_workers_die(
    app: Flask, app_config: dict[str, t.Any], tokens: Tokens, tmp_path: Path
) -> None:
    ids = seed(app, tokens)
    stream = app.test_client().post("/api/v1/streams", json=STREAM, headers=tokens.headers("host"))
    stream_id = stream.json["id"]
    lineups = [ids[n % 7 : n % 7 + 10 + n % 9] for n in range(60)]
    acked: list[list[int]] = []
    with gunicorn(app_config, tmp_path / "served", env={"TIANSHAN_WORKERS": "2"}) as port:
        server = Server(port, tokens)

        def puts(stop: threading.Event) -> None:
            for lineup in itertools.takewhile(lambda _: not stop.is_set(), lineups):
                answer = server.call(
                    "PUT",
                    f"/api/v1/streams/{stream_id}/lineup",
                    "host",
                    {"product_ids": lineup},
                    {"If-Match": "*"},
                )
                if answer is not None:
                    assert answer[0] == 200, answer
                    acked.append(lineup)

        with_kills(server, puts, kills=3)
    assert server.cut > 0, "no lineup PUT was cut off by a kill"
    stored = app.test_client().get(f"/api/v1/streams/{stream_id}").json
    items = stored["lineup"]
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    current = [item["product_id"] for item in items]
    assert current in lineups, "the run-sheet is not one of those sent: half-written"
    assert lineups.index(current) >= lineups.index(acked[-1])
    no_drift(app)


@pytest.mark.slow
def test_a_translation_import_is_all_or_nothing_when_its_worker_dies(
    app: Flask, app_config: dict[str, t.Any], tokens: Tokens, tmp_path: Path
) -> None:
    seed(app, tokens)
    outcomes: list[tuple[int, bool]] = []
    with gunicorn(app_config, tmp_path / "served", env={"TIANSHAN_WORKERS": "2"}) as port:
        server = Server(port, tokens)

        def export() -> str:
            """A fresh export (each round's file is made from the texts as they are now)."""
            while (
                answer := server.call(
                    "GET", "/api/v1/translations/export?locale=kk&format=po", "translator_kk"
                )
            ) is None:
                time.sleep(0.1)
            assert answer[0] == 200, answer
            return answer[2].decode()

        posting = threading.Event()

        def send(round_: int) -> bool:
            catalog = polib.pofile(export())
            for entry in catalog:
                if entry.msgctxt.endswith("|name"):
                    entry.msgstr = f"Ұн {round_}"
            posting.set()  # the kill is timed from here, not from the export before it
            answer = server.call(
                "POST",
                "/api/v1/translations/import?locale=kk",
                "translator_kk",
                str(catalog).encode(),
                {"Content-Type": "text/x-gettext-translation"},
            )
            if answer is not None:
                assert answer[0] == 200, answer
            return answer is not None

        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            for round_ in range(IMPORT_ROUNDS):
                posting.clear()
                importing = pool.submit(send, round_)
                assert posting.wait(timeout=120), "the export before the import never answered"
                time.sleep(0.01 * round_)  # the file is on its way or being applied
                server.kill_a_worker(busy=importing.running)  # the import's own worker
                outcomes.append((round_, importing.result(timeout=120)))
            outcomes.append((IMPORT_ROUNDS, send(IMPORT_ROUNDS)))
    assert not all(ok for _, ok in outcomes), "no import was cut off by a kill"
    with app.app_context():
        session = get_session()
        names = list(session.scalars(sa.select(ProductContent.name).where(ProductContent.locale == "kk")))
        session.rollback()
    assert len(names) == PRODUCTS, "an import left some products without their text: half-written"
    assert len(set(names)) == 1, f"texts of different imports side by side: {sorted(set(names))}"
    last_answered = max(round_ for round_, ok in outcomes if ok)
    assert int(names[0].split()[-1]) >= last_answered
    no_drift(app)
