"""Import benchmark: a supplier sheet through ``tianshan import products`` on SQLite.

    python -m bench.imports --rows 30000

Writes a deterministic CSV of new products, imports it into a fresh migrated SQLite catalog
(every row created), then imports a second sheet that changes every price (every row updated),
then rebuilds the embedded index with ``tianshan search reindex``. Prints rows/s, CPU seconds
(``time.process_time``) and SQL statements per row for each pass.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import typing as t
from pathlib import Path

import sqlalchemy as sa

from bench import search as search_bench
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


def run(rows: int) -> list[list[t.Any]]:
    """Import a new sheet, then an all-changed one, then reindex; one table row per pass."""
    from catalog.db import get_db

    results: list[list[t.Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        app = sqlite_app(instance, "bench")
        with app.app_context():
            counter = Counter(get_db().engine)
        runner = app.test_cli_runner()
        passes = [("new products", 0), ("every price changed", 1), ("search reindex", None)]
        for label, step in passes:
            if step is None:
                args = ["search", "reindex"]
            else:
                sheet = instance / f"sheet-{step}.csv"
                write_rows(sheet, sheet_rows(rows, step))
                args = ["import", "products", str(sheet)]
            before = counter.statements
            wall, cpu = time.perf_counter(), time.process_time()
            result = runner.invoke(args=args)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if result.exit_code != 0:
                raise SystemExit(f"{' '.join(args)} failed: {result.output[-2000:]}")
            results.append(
                [
                    label,
                    f"{rows:,}",
                    f"{wall:.1f}",
                    f"{rows / wall:,.0f}",
                    f"{cpu:.1f}",
                    f"{(counter.statements - before) / rows:.1f}",
                ]
            )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args(argv)
    table(
        f"tianshan import products and search reindex, SQLite, {args.rows:,} rows",
        ["pass", "rows", "seconds", "rows/s", "CPU s", "statements/row"],
        run(args.rows),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
