"""Waiting for SQLite's write lock lets a gevent worker's other greenlets run.

Another process holds the write lock for a while. In a process patched by gevent, as a
gunicorn worker is, one greenlet starts a write transaction and waits; another greenlet counts
ticks of 10 ms meanwhile. SQLite's own busy wait would stop the whole process, and no tick
would come until the lock is free.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.support.gunicorn import REPO

HOLD_SECONDS = 0.6

WORKER = textwrap.dedent(
    """
    from gevent import monkey

    monkey.patch_all()

    import json
    import sys
    import time

    import gevent
    import sqlalchemy as sa

    from catalog.db import make_engine

    engine = make_engine(f"sqlite:///{sys.argv[1]}", busy_timeout=float(sys.argv[2]))
    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    ticks = []
    outcome = {}

    def write():
        started = time.monotonic()
        try:
            with writer.begin() as connection:
                connection.execute(sa.text("INSERT INTO t VALUES (2)"))
            outcome["result"] = "written"
        except sa.exc.OperationalError as error:
            outcome["result"] = str(error.orig)
        outcome["waited"] = time.monotonic() - started

    def tick():
        while "result" not in outcome:
            ticks.append(time.monotonic())
            gevent.sleep(0.01)

    print("ready", flush=True)  # the other process holds the lock from now for a while
    gevent.joinall([gevent.spawn(write), gevent.spawn(tick)])
    with engine.connect() as connection:
        outcome["rows"] = connection.execute(sa.text("SELECT count(*) FROM t WHERE x = 2")).scalar_one()
    outcome["ticks"] = len(ticks)
    print(json.dumps(outcome))
    """
)


def _run_while_locked(path: Path, busy_timeout: float) -> dict[str, object]:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(path), str(busy_timeout)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    assert worker.stdout.readline() == "ready\n"
    time.sleep(HOLD_SECONDS)
    holder.execute("COMMIT")
    holder.close()
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0
    return json.loads(output)  # type: ignore[no-any-return]


def test_a_writer_waiting_for_the_lock_leaves_the_process_running(tmp_path: Path) -> None:
    outcome = _run_while_locked(tmp_path / "locked.db", busy_timeout=15.0)
    assert outcome["result"] == "written" and outcome["rows"] == 1
    assert outcome["waited"] >= HOLD_SECONDS / 2  # it did wait for the other process
    assert outcome["ticks"] >= 10, outcome  # and the other greenlet ran meanwhile


def test_a_writer_gives_up_after_the_busy_timeout_with_the_usual_error(tmp_path: Path) -> None:
    outcome = _run_while_locked(tmp_path / "locked.db", busy_timeout=0.2)
    assert outcome["result"] == "database is locked" and outcome["rows"] == 0
    assert 0.15 <= outcome["waited"] < HOLD_SECONDS, outcome
    assert outcome["ticks"] >= 5, outcome
