"""What search analytics add to a search: the counting call on the request path, and the batch writes.

``python -m bench.search_analytics [--searches 50000] [--database sqlite|postgresql]``

The judged queries (``bench/judged/queries.jsonl``, every locale and script) are searched round
and round. Per search, the request does what ``search_catalog`` does for analytics: normalize the
query, find its script and add to the pending counts (target < 0.2 ms). The writer's thread then
writes the pending rows in batches, off the request path; the table gives its cost per row and
checks that the stored counts equal the searches made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
import typing as t
from pathlib import Path

from bench.harness import percentile
from bench.harness import table

HERE = Path(__file__).resolve().parent


def queries() -> list[tuple[str, str]]:
    """(query, locale) of every judged query."""
    lines = (HERE / "judged" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [(row["query"], row["locale"]) for row in map(json.loads, lines) if row.get("query")]


def run(url: str, searches: int) -> list[t.Any]:
    from catalog import migrate
    from catalog.analytics.counters import CounterWriter
    from catalog.db import Database
    from catalog.services.search_analytics import record_search

    database = Database(url)
    migrate.upgrade(database.engine)
    writer = CounterWriter(database.write_sessions, flush_seconds=3600)  # flushed by hand below
    asked = queries()
    now = dt.datetime.now(dt.UTC)
    costs = []
    flush_costs: list[float] = []
    rows = 0
    for i in range(searches):
        text, locale = asked[i % len(asked)]
        started = time.perf_counter()
        record_search(writer, text=text, locale=locale, total=i % 7, engine_seconds=0.004, now=now)
        costs.append(time.perf_counter() - started)
        if (i + 1) % 5000 == 0:  # the writer's thread flushes each second; a busy second holds thousands
            started = time.perf_counter()
            rows += writer.flush()
            flush_costs.append(time.perf_counter() - started)
    started = time.perf_counter()
    rows += writer.flush()
    flush_costs.append(time.perf_counter() - started)
    with database.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT SUM(searches) FROM search_counts").scalar_one()
    database.dispose()
    return [
        url.split(":", 1)[0].split("+")[0],
        searches,
        f"{percentile(costs, 0.5) * 1000:.4f}",
        f"{percentile(costs, 0.95) * 1000:.4f}",
        f"{max(costs) * 1000:.3f}",
        rows,
        f"{sum(flush_costs) / max(rows, 1) * 1000:.3f}",
        stored,
        "yes" if stored == searches else "NO",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--searches", type=int, default=50_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tianshan-bench-search-analytics-"))
    cluster = None
    results = []
    try:
        for database in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
            if database == "postgresql":
                sys.path.insert(0, str(HERE.parent))
                from tests.support.postgres import PostgresCluster
                from tests.support.postgres import find_bindir

                bindir = find_bindir()
                if bindir is None:
                    raise SystemExit("PostgreSQL server binaries are not installed")
                cluster = PostgresCluster(bindir)
                cluster.start()
                cluster.execute("CREATE DATABASE bench")
                results.append(run(cluster.url("bench"), args.searches))
            else:
                results.append(run(f"sqlite:///{work / 'catalog.db'}", args.searches))
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    table(
        "Search analytics: the counting on the request path (target < 0.2 ms per search) and the batched writes",
        [
            "database",
            "searches",
            "p50 ms per search",
            "p95 ms per search",
            "max ms",
            "rows written",
            "write ms per row (off the request path)",
            "searches stored",
            "exact",
        ],
        results,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
