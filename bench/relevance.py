"""Search relevance on the judged demo queries, every engine in one run.

    python -m bench.relevance [--engine embedded --engine elasticsearch ...]

Loads the demo catalog into a fresh SQLite catalog, builds the search documents the way the
indexer does, loads them into each engine (the embedded one, then an Elasticsearch and an
OpenSearch node started like the tests start them) and runs every query of
``bench/judged/queries.jsonl``. Prints, per engine and per query group: nDCG@10, the share
of answerable queries answered with nothing, junk@5 (the share of the first five results
graded 0), the share of negative queries answered with nothing; then the 20 worst queries.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import typing as t
from collections.abc import Iterator
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import sqlite_app
from bench.harness import table
from bench.judged import JudgedQuery
from bench.judged import load_judged
from bench.relevance_metrics import QueryOutcome
from bench.relevance_metrics import Summary
from bench.relevance_metrics import summarize
from bench.relevance_metrics import worst
from search import LOCALES
from search import SearchDocument
from search import SearchEngine
from search import SearchQuery
from search import engine_from_url

ENGINES: tuple[str, ...] = ("embedded", "elasticsearch", "opensearch")
#: Results fetched per query (nDCG@10 needs ten).
DEPTH = 10


def demo_documents() -> list[SearchDocument]:
    """The search documents of every published demo product, built as the indexer builds them."""
    import sqlalchemy as sa

    from catalog.db import get_db
    from catalog.db import get_session
    from catalog.models import Product
    from catalog.models import ProductStatus
    from catalog.services import demo
    from catalog.services.index_reading import document_for
    from catalog.services.pricing import all_rates
    from catalog.services.search_labels import category_names

    with tempfile.TemporaryDirectory(prefix="relevance-") as folder:
        instance = Path(folder)
        app = sqlite_app(instance, "relevance")
        with app.app_context():
            session = get_session()
            demo.load_demo(session)
            session.commit()
            rates = all_rates(session)
            published = session.scalars(
                sa.select(Product).where(Product.status == ProductStatus.PUBLISHED)
            ).all()
            categories = category_names(session)
            docs = [document_for(product, rates, None, categories) for product in published]
            get_db().engine.dispose()
    return docs


def reading_locales(locale: str) -> tuple[str, ...]:
    """The display chain of a reader of *locale*, limited to the content locales search knows."""
    chain = [name for name in dict.fromkeys((locale, "ru", "en", "zh")) if name in LOCALES]
    return tuple(chain)


def run_queries(engine: SearchEngine, judged: Sequence[JudgedQuery]) -> list[QueryOutcome]:
    """Ask *engine* every judged query; the SKUs of the first results, best first."""
    outcomes = []
    for item in judged:
        result = engine.search(
            SearchQuery(text=item.query, locales=reading_locales(item.locale), limit=DEPTH)
        )
        outcomes.append(QueryOutcome(item, tuple(hit.sku for hit in result.hits), result.total))
    return outcomes


@contextlib.contextmanager
def loaded_engine(name: str, docs: Sequence[SearchDocument], folder: Path) -> Iterator[SearchEngine]:
    """*name*'s engine holding *docs*; a server engine runs on a node started for the run."""
    with contextlib.ExitStack() as stack:
        if name == "embedded":
            url = f"sqlite:///{folder / 'search.db'}"
        else:
            from tools.engines import start_engine

            node: t.Any = start_engine(name)
            stack.callback(node.stop)
            url = node.spec.search_url
        engine = engine_from_url(url) if name == "embedded" else engine_from_url(url, timeout=60)
        stack.callback(engine.close)
        engine.ensure_index()
        report = engine.rebuild(docs)
        if report.failed:
            raise RuntimeError(f"{name} refused documents: {report.failed[:3]}")
        yield engine


def measure(name: str, docs: Sequence[SearchDocument], judged: Sequence[JudgedQuery]) -> list[QueryOutcome]:
    """Load *docs* into engine *name* and run *judged* on it."""
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"relevance-{name}-")))
        engine = stack.enter_context(loaded_engine(name, docs, folder))
        return run_queries(engine, judged)


def _row(label: str, summary: Summary) -> list[t.Any]:
    negatives = f"{summary.negatives_empty:.0%} of {summary.negatives}" if summary.negatives else "-"
    if not summary.answerable:
        return [label, summary.queries, "-", "-", "-", negatives]
    return [
        label,
        summary.queries,
        f"{summary.ndcg:.3f}",
        f"{summary.zero_rate:.1%}",
        f"{summary.junk_rate:.1%}",
        negatives,
    ]


def report(name: str, outcomes: Sequence[QueryOutcome]) -> None:
    """Print *name*'s table per group and its worst queries."""
    groups: dict[str, list[QueryOutcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.judged.group, []).append(outcome)
    header = ["group", "queries", "nDCG@10", "zero results", "junk@5", "negatives empty"]
    rows = [_row(group, items) for group, items in ((g, summarize(i)) for g, i in groups.items())]
    rows.append(_row("**all**", summarize(outcomes)))
    table(f"{name}: relevance per query group", header, rows)
    worst_rows = [
        [
            o.judged.query,
            o.judged.group,
            "negative" if o.judged.negative else f"{o.ndcg:.2f}",
            o.total,
            " ".join(o.skus[:3]) or "(nothing)",
        ]
        for o in worst(outcomes)
    ]
    table(
        f"{name}: the 20 worst queries", ["query", "group", "nDCG@10", "found", "first results"], worst_rows
    )


def overview(results: dict[str, list[QueryOutcome]]) -> None:
    """One line per engine: the four measures the targets are set on."""
    header = ["engine", "queries", "nDCG@10", "zero results", "junk@5", "negatives empty"]
    table("Relevance on the judged demo queries", header, [_row(n, summarize(o)) for n, o in results.items()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", action="append", choices=ENGINES, help="engines to run (default: all)")
    args = parser.parse_args(argv)
    judged = load_judged()
    docs = demo_documents()
    results: dict[str, list[QueryOutcome]] = {}
    for name in args.engine or ENGINES:
        results[name] = measure(name, docs, judged)
    overview(results)
    for name, outcomes in results.items():
        report(name, outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
