"""Import benchmark: a supplier sheet through ``tianshan import products`` on SQLite.

    python -m bench.imports --rows 30000

Writes a deterministic CSV of new products, imports it into a fresh migrated SQLite catalog
(every row created), then imports a second sheet that changes every price (every row updated),
then rebuilds the embedded index with ``tianshan search reindex``. Prints rows/s, CPU seconds
(``time.process_time``) and SQL statements per row for each pass.

    python -m bench.imports --rows 30000 --engines elasticsearch opensearch

also rebuilds the imported catalog into a benchmark node of each server engine
(:func:`bench.engines.start_bench_node`) with the same command, the real path of a rebuild.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import typing as t
from pathlib import Path

import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from bench import search as search_bench
from bench.engines import bench_url
from bench.engines import start_bench_node
from bench.harness import sqlite_app
from bench.harness import table
from catalog.presenting.sheets import Row
from catalog.presenting.sheets import write_rows


def sheet_rows(count: int, price_step: int = 0) -> t.Iterator[Row]:
    """*count* product rows in every locale (from the search benchmark's generator)."""
    for doc in search_bench.generate(count):
        row: Row = {
            "sku": doc.sku,
            "status": "published",
            "source_locale": "zh",
            "origin_country": doc.origin_country,
            "category": doc.category or "",
            "booth": doc.booth or "",
            "brand": doc.brand or "",
            "price": str(doc.price + price_step),
            "currency": doc.currency,
            "wholesale": f"10:{doc.price * 9 / 10:.2f}",
            "stock": str(doc.id % 500),
            "barcode": ean13(doc.barcode or ""),
            "tags": "bench, import",
        }
        for locale, text in doc.texts.items():
            row[f"name_{locale}"] = text.name
            row[f"description_{locale}"] = text.description
            row[f"highlights_{locale}"] = " | ".join(text.highlights)
        yield row


def ean13(digits: str) -> str:
    """The first twelve of *digits* with their EAN-13 check digit."""
    body = digits[:12]
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return f"{body}{(10 - total % 10) % 10}"


class Counter:
    """Counts the SQL statements an engine runs."""

    def __init__(self, engine: sa.Engine) -> None:
        self.statements = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args: object) -> None:
        self.statements += 1


def run(rows: int, engines: t.Sequence[str] = ()) -> list[list[t.Any]]:
    """Import a new sheet, then an all-changed one, then reindex, also into each server engine of
    *engines*; one table row per pass."""
    from catalog.db import get_db

    results: list[list[t.Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        app = sqlite_app(instance, "bench")
        with app.app_context():
            counter = Counter(get_db().engine)
        runner = app.test_cli_runner()
        passes = [("new products", 0), ("every price changed", 1), ("search reindex (embedded engine)", None)]
        for label, step in passes:
            if step is None:
                args = ["search", "reindex"]
            else:
                sheet = instance / f"sheet-{step}.csv"
                write_rows(sheet, sheet_rows(rows, step))
                args = ["import", "products", str(sheet)]
            before = counter.statements
            wall, cpu = _timed_command(runner, args)
            statements = f"{(counter.statements - before) / rows:.1f}"
            results.append(
                [label, f"{rows:,}", f"{wall:.1f}", f"{rows / wall:,.0f}", f"{cpu:.1f}", statements]
            )
        for name in engines:
            node = start_bench_node(name)
            try:
                server_app = sqlite_app(instance, "bench", search_url=bench_url(node))
                wall, cpu = _timed_command(server_app.test_cli_runner(), ["search", "reindex"])
            finally:
                node.stop()
            label = f"search reindex ({name})"
            results.append([label, f"{rows:,}", f"{wall:.1f}", f"{rows / wall:,.0f}", f"{cpu:.1f}", "–"])
    return results


def _timed_command(runner: FlaskCliRunner, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``tianshan`` command; a failed command ends the benchmark."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = runner.invoke(args=args)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if result.exit_code != 0:
        raise SystemExit(f"{' '.join(args)} failed: {result.output[-2000:]}")
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument(
        "--engines",
        nargs="*",
        default=[],
        choices=("elasticsearch", "opensearch"),
        help="server engines to rebuild the imported catalog into as well",
    )
    args = parser.parse_args(argv)
    table(
        f"tianshan import products and search reindex, SQLite, {args.rows:,} rows",
        ["pass", "rows", "seconds", "rows/s", "CPU s", "statements/row"],
        run(args.rows, args.engines),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
