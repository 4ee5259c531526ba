"""Thousands of event-stream listeners over two app servers on one PostgreSQL, on 127.0.0.1.

``python -m bench.live_scale [--listeners 5000] [--moves 20]``

Two gunicorn servers (one gevent worker each, on their own ports, as two machines would run
them) share a throwaway PostgreSQL. Half the listeners connect to each; every cursor move is
sent to the first server, so the second one's listeners hear it through ``LISTEN/NOTIFY``.
It prints the fan-out delay (move sent until each listener has it; target p95 < 250 ms) with
the number of deliveries missing, the cursor move's own latency while everyone is connected,
the workers' CPU time per move, per delivery to one listener and per listener connecting (read
from ``/proc``), and the memory the servers' workers grew by per listener.

Each listener is a socket on both sides: the run raises its own soft ``ulimit -n`` to
listeners + 2,000 (the servers inherit it; 7,000 for 5,000 listeners) and stops with the
command to run when the hard limit is lower.
The load generator shares the machine's cores with the servers, so figures are upper bounds.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from bench import harness
from bench.harness import free_port
from bench.harness import throwaway_database
from bench.live import Api
from bench.live import Listeners
from bench.live import cursor_moves
from bench.live import fan_out
from bench.live import ms
from bench.live import prepare
from bench.live import table


def raise_open_files(needed: int) -> int:
    """Raise the soft limit of open files to *needed* (the servers inherit it); the new limit.

    Stops with the command to run when the hard limit is lower.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise SystemExit(
            f"{needed} open files are needed and the hard limit is {hard}: raise it first "
            f"(as root: ulimit -Hn {needed}; for a service: LimitNOFILE={needed})"
        )
    wanted = max(soft, needed)
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return wanted


def run(listeners_count: int, moves: int, connect_rate: float) -> None:
    limit = raise_open_files(listeners_count + 2000)
    work = Path(tempfile.mkdtemp(prefix="tianshan-bench-scale-"))
    try:
        with throwaway_database("postgresql", work) as url:
            measure(url, work, listeners_count, moves, limit, connect_rate)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(url: str, work: Path, listeners_count: int, moves: int, limit: int, connect_rate: float) -> None:
    """Serve the catalog at *url* from two servers, connect the listeners, move and print the tables."""
    ids = prepare(url, work)
    env = {
        "TIANSHAN_DATABASE_URL": url,
        "TIANSHAN_SEARCH_URL": f"sqlite:///{work / 'search.db'}",
        "TIANSHAN_SECRET_KEY": "bench",
        "TIANSHAN_SEARCH_SYNC_AFTER_REQUEST": "false",
        "TIANSHAN_INSTANCE_PATH": str(work),
        "TIANSHAN_WORKER_CONNECTIONS": str(listeners_count + 500),
        "TIANSHAN_LIVE_MAX_LISTENERS": str(listeners_count),
        "TIANSHAN_LIVE_QUEUE_SIZE": "256",
    }
    first, second = free_port(), free_port()
    stream_id = ids["stream_id"]
    with (
        harness.gunicorn("wsgi:app", env, first, 1, "/api/v1/streams") as master_a,
        harness.gunicorn("wsgi:app", env, second, 1, "/api/v1/streams") as master_b,
    ):
        api = Api(first, ids["host"])
        cursor_moves(api, stream_id, 40)  # warm caches and connections
        cpu_began = harness.worker_cpu_seconds(master_a) + harness.worker_cpu_seconds(master_b)
        idle = cursor_moves(api, stream_id, 200)
        cpu_per_move = (
            harness.worker_cpu_seconds(master_a) + harness.worker_cpu_seconds(master_b) - cpu_began
        ) / len(idle)
        before = sum(harness.worker_rss_mib(master_a) + harness.worker_rss_mib(master_b))
        cpu_began = harness.worker_cpu_seconds(master_a) + harness.worker_cpu_seconds(master_b)
        half = listeners_count // 2
        began = time.monotonic()
        groups = [
            Listeners(first, stream_id, half, connect_rate),
            Listeners(second, stream_id, listeners_count - half, connect_rate),
        ]
        connected = sum(group.wait_ready(time.monotonic() + 120) for group in groups)
        connect_seconds = time.monotonic() - began
        cpu_connecting = (
            harness.worker_cpu_seconds(master_a) + harness.worker_cpu_seconds(master_b) - cpu_began
        )
        after = sum(harness.worker_rss_mib(master_a) + harness.worker_rss_mib(master_b))
        busy: list[float] = []
        delays: list[float] = []
        missing = 0
        cpu_began = harness.worker_cpu_seconds(master_a) + harness.worker_cpu_seconds(master_b)
        for group in groups:  # one selector thread per group; moves counted against each
            found, lost = fan_out(api, group, stream_id, moves, busy)
            delays += found
            missing += lost
        cpu_fan_out = harness.worker_cpu_seconds(master_a) + harness.worker_cpu_seconds(master_b) - cpu_began
        for group in groups:
            group.close()
    per_listener_kib = (after - before) * 1024 / max(1, connected)
    print(
        f"\nPostgreSQL, two gunicorn servers with one gevent worker each on 127.0.0.1; "
        f"ulimit -n {limit}; {connected}/{listeners_count} listeners connected in {connect_seconds:.0f} s"
        f" ({connect_rate:g} opened a second on each server, one server after the other)."
    )
    table(
        "Cursor move until each listener on either server has it (target p95 < 250 ms)",
        ["listeners", "moves", "deliveries", "missing", "p50 ms", "p95 ms", "max ms"],
        [[connected, moves * 2, len(delays), missing, *ms(delays or [0.0])]],
    )
    table(
        "Cursor move to card JSON through HTTP (sent to the first server)",
        ["case", "requests", "p50 ms", "p95 ms", "max ms"],
        [["no listeners", len(idle), *ms(idle)], [f"{connected} listeners", len(busy), *ms(busy)]],
    )
    # Each move reaches every listener on both servers; what the moves cost alone is taken off.
    per_delivery = max(0.0, cpu_fan_out - cpu_per_move * len(busy)) / max(1, len(delays))
    table(
        "CPU time of both servers' workers (from /proc; steadier than the times above on a busy machine)",
        ["per move, no listeners ms", "per delivery to one listener µs", "per listener connecting µs"],
        [
            [
                f"{cpu_per_move * 1000:.2f}",
                f"{per_delivery * 1e6:.0f}",
                f"{cpu_connecting / max(1, connected) * 1e6:.0f}",
            ]
        ],
    )
    table(
        "Memory of both servers' workers",
        ["before MiB", f"with {connected} listeners MiB", "per listener KiB"],
        [[f"{before:.0f}", f"{after:.0f}", f"{per_listener_kib:.1f}"]],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listeners", type=int, default=5000)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument(
        "--connect-rate",
        type=float,
        default=250.0,
        help="listeners opened per second on each server, as a crowd tunes in (0: all at once)",
    )
    args = parser.parse_args(argv)
    print("## Live streams across two app servers")
    run(args.listeners, args.moves, args.connect_rate)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
