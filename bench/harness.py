"""What the benchmarks share: free ports, throwaway catalogs, gunicorn as in production, tables, percentiles."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import typing as t
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if t.TYPE_CHECKING:
    from flask import Flask


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def throwaway_database(database: str, folder: Path) -> t.Iterator[str]:
    """The URL of a new empty database: a file in *folder* (``sqlite``) or a throwaway cluster (``postgresql``)."""
    if database != "postgresql":
        yield f"sqlite:///{folder / 'catalog.db'}"
        return
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres import PostgresCluster
    from tests.support.postgres import find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries are not installed")
    cluster = PostgresCluster(bindir)
    cluster.start()
    try:
        cluster.execute("CREATE DATABASE bench")
        yield cluster.url("bench")
    finally:
        cluster.stop()


def sqlite_app(instance: Path, secret: str, search_url: str | None = None) -> Flask:
    """An app on a migrated SQLite catalog in *instance* (fresh, or the one a call before made) and
    the embedded index there, or the engine at *search_url* (warnings only)."""
    from catalog import create_app
    from catalog import migrate
    from catalog.db import get_db

    config = {
        "DATABASE_URL": f"sqlite:///{instance / 'catalog.db'}",
        "SEARCH_URL": search_url or f"sqlite:///{instance / 'search.db'}",
        "SECRET_KEY": secret,
        "LOG_LEVEL": "WARNING",
    }
    app = create_app(config, instance_path=str(instance))
    with app.app_context():
        migrate.upgrade(get_db().engine)
    return app


def percentile(values: t.Sequence[float], share: float) -> float:
    """The *share* (0..1) percentile of *values*, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def table(title: str, header: list[str], rows: list[list[t.Any]]) -> None:
    """Print a Markdown table under a bold title."""
    print(f"\n**{title}**\n")
    cells = [[str(c) for c in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print("| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


@contextlib.contextmanager
def gunicorn(app: str, env: t.Mapping[str, str], port: int, workers: int, ready_path: str) -> t.Iterator[int]:
    """Serve *app* (``module:attr``) with the production configuration; yields the master's pid."""
    environment = {
        **os.environ,
        **env,
        "TIANSHAN_BIND": f"127.0.0.1:{port}",
        "TIANSHAN_WORKERS": str(workers),
        "TIANSHAN_LOG_LEVEL": "warning",
    }
    binary = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(binary), "--config", str(ROOT / "gunicorn.conf.py"), app], cwd=ROOT, env=environment
    )
    try:
        deadline = time.monotonic() + 60
        while True:  # the port opens before the workers have booted: wait for an answer
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", ready_path)
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"gunicorn did not start {app}")
            time.sleep(0.2)
        yield process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _workers(master_pid: int) -> t.Iterator[dict[str, str]]:
    """The ``/proc/<pid>/status`` fields of each worker process of a gunicorn master."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            yield fields


def worker_cpu_seconds(master_pid: int) -> float:
    """CPU time (user and system) the worker processes of a gunicorn master have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for fields in _workers(master_pid):
        try:
            stat = Path(f"/proc/{fields['Pid'].strip()}/stat").read_text()
        except OSError:
            continue
        values = stat.rsplit(")", 1)[1].split()
        total += (int(values[11]) + int(values[12])) / ticks  # utime and stime, fields 14 and 15
    return total


def worker_rss_mib(master_pid: int) -> list[float]:
    """Resident memory of each worker process of a gunicorn master, in MiB."""
    return sorted(
        int(fields["VmRSS"].split()[0]) / 1024 for fields in _workers(master_pid) if "VmRSS" in fields
    )
