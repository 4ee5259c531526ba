"""What a cursor move, a beacon and an event fanned out to each listener cost in one process.

``python -m bench.live_cpu [--database sqlite|postgresql|both] [--moves 300] [--beacons 3000]
[--listeners 200] [--profile move|beacon|fanout]``

The app runs in this process (Flask's test client, no server, no sockets), on the catalog of
``bench.live`` (a live stream with a 60-item run-sheet, 3 locales x 2 currencies per card). It
prints the CPU time of this process per operation (``time.process_time``, which another
program's load on the machine barely moves, unlike wall-clock times) and the SQL statements
each one sends:

1. a cursor move (next and prev in turn), answered with its card;
2. an analytics beacon, counted (the batched writer's thread included);
3. a ``card`` event reaching each of N open event streams (the move itself excluded).

``--profile`` prints the functions where one of them spends its time (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import shutil
import sys
import tempfile
import time
import typing as t
from pathlib import Path

import sqlalchemy as sa

from bench.harness import percentile
from bench.harness import table
from bench.harness import throwaway_database
from bench.live import _config
from bench.live import prepare

KINDS = ("seen", "seen", "seen", "opened", "want")
LOCALES = ("ru", "kk", "zh")


class Statements:
    """Counts the statements an engine sends."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: t.Any) -> None:
        self.count += 1


class Measured:
    """CPU and wall time and statements of each of a series of operations."""

    def __init__(self, statements: Statements) -> None:
        self.statements = statements
        self.cpu: list[float] = []
        self.wall: list[float] = []
        self.sent = 0
        self._began_cpu = self._began_wall = 0.0
        self._began_count = 0

    def __enter__(self) -> Measured:
        self._began_count = self.statements.count
        self._began_cpu, self._began_wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.cpu.append(time.process_time() - self._began_cpu)
        self.wall.append(time.perf_counter() - self._began_wall)
        self.sent += self.statements.count - self._began_count

    def row(self, name: str, per: int = 1) -> list[str]:
        """*name*, count, CPU ms mean/p50/p95, statements per operation (each divided by *per*)."""
        n = len(self.cpu)
        return [
            name,
            str(n),
            f"{sum(self.cpu) / n / per * 1000:.3f}",
            f"{percentile(self.cpu, 0.5) / per * 1000:.3f}",
            f"{percentile(self.cpu, 0.95) / per * 1000:.3f}",
            f"{self.sent / n / per:.2f}",
        ]


def profiled(enabled: bool, action: t.Callable[[], None]) -> None:
    """Run *action*, under cProfile when *enabled*, printing the 25 costliest functions."""
    if not enabled:
        action()
        return
    profile = cProfile.Profile()
    profile.enable()
    action()
    profile.disable()
    pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


def moves(client: t.Any, path: str, headers: dict[str, str], count: int, measured: Measured | None) -> None:
    """Move *count* times, next and prev in turn."""
    for i in range(count):
        body = {"action": "next" if i % 2 == 0 else "prev"}
        if measured is None:
            answer = client.post(path, json=body, headers=headers)
        else:
            with measured:
                answer = client.post(path, json=body, headers=headers)
        assert answer.status_code == 200, answer.json


def beacons(client: t.Any, path: str, products: list[int], count: int, measured: Measured) -> None:
    """Send *count* beacons for random products, kinds and locales."""
    rng = random.Random(7)
    for _ in range(count):
        body = {"kind": rng.choice(KINDS), "product_id": rng.choice(products), "locale": rng.choice(LOCALES)}
        with measured:
            answer = client.post(path, json=body)
        assert answer.status_code == 202, answer.json


def fan_out(
    client: t.Any, stream_id: int, headers: dict[str, str], listeners: int, count: int, measured: Measured
) -> None:
    """Open *listeners* event streams, then per move: the CPU until every one has read its card."""
    streams = []
    for _ in range(listeners):
        response = client.get(f"/api/v1/streams/{stream_id}/events", buffered=False)
        assert response.status_code == 200
        frames = iter(response.response)
        for _ in range(4):  # retry, status, lineup, card
            next(frames)
        streams.append((response, frames))
    path = f"/api/v1/streams/{stream_id}/cursor"
    try:
        for i in range(count):
            answer = client.post(path, json={"action": "next" if i % 2 == 0 else "prev"}, headers=headers)
            assert answer.status_code == 200, answer.json
            with measured:
                for _, frames in streams:
                    frame = next(frames)
                    while b"event: card" not in frame:
                        frame = next(frames)
    finally:
        for response, _ in streams:
            response.close()


def run(database: str, args: argparse.Namespace) -> list[list[str]]:
    work = Path(tempfile.mkdtemp(prefix="tianshan-bench-cpu-"))
    try:
        with throwaway_database(database, work) as url:
            return measure(database, url, work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(database: str, url: str, work: Path, args: argparse.Namespace) -> list[list[str]]:
    """Build the catalog at *url*, then measure moves, beacons and the fan-out; the table's rows."""
    from catalog import create_app

    ids = prepare(url, work)
    app = create_app(
        {**_config(url, work), "ANALYTICS_BEACONS_PER_MINUTE": 100_000_000}, instance_path=str(work)
    )
    client = app.test_client()
    stream_id = ids["stream_id"]
    hosting = {"Authorization": f"Bearer {ids['host']}"}
    cursor = f"/api/v1/streams/{stream_id}/cursor"
    statements = Statements(app.extensions["db"].engine)
    client.post(cursor, json={"action": "goto", "position": 1}, headers=hosting)
    moves(client, cursor, hosting, 40, None)  # warm caches and connections
    moved, counted, heard = Measured(statements), Measured(statements), Measured(statements)
    profiled(args.profile == "move", lambda: moves(client, cursor, hosting, args.moves, moved))
    beaconing = f"/api/v1/streams/{stream_id}/beacons"
    beacons(client, beaconing, ids["product_ids"], 100, Measured(statements))  # warm
    profiled(
        args.profile == "beacon",
        lambda: beacons(client, beaconing, ids["product_ids"], args.beacons, counted),
    )
    app.extensions["analytics"].writer.flush()
    rows = [moved.row(f"{database}: cursor move"), counted.row(f"{database}: beacon")]
    if args.listeners:
        profiled(
            args.profile == "fanout",
            lambda: fan_out(client, stream_id, hosting, args.listeners, 20, heard),
        )
        rows.append(heard.row(f"{database}: card event, per listener ({args.listeners})", args.listeners))
    app.extensions["live"].close()
    app.extensions["db"].dispose()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument("--beacons", type=int, default=3000)
    parser.add_argument("--listeners", type=int, default=200)
    parser.add_argument("--profile", choices=["move", "beacon", "fanout"])
    args = parser.parse_args(argv)
    rows = []
    for database in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        rows += run(database, args)
    table(
        "CPU time of this process per operation (time.process_time), and SQL statements",
        ["operation", "count", "CPU ms mean", "CPU ms p50", "CPU ms p95", "statements"],
        rows,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
