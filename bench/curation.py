"""What staff synonyms and query rules cost a search: the same queries with and without them.

    python -m bench.curation --products 100000

Builds the embedded engine over the generated catalog of :mod:`bench.search` (answers not
remembered), then times each query kind plain (``engine.search``) and curated (through
:class:`search.curation.StaffCuration` holding 600 synonym entries and 300 query rules).
Prints the added cost per query (curated minus plain, medians of interleaved runs), the
cost of the curation step alone (rule lookup and synonym expansion, no engine), and the
searches per second. Deterministic (seeded).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from collections.abc import Iterator

from bench.search import COUNTRIES
from bench.search import KINDS
from bench.search import generate
from bench.search import percentile
from search import SearchDocument
from search import SearchEngine
from search import SearchQuery
from search import engine_from_url
from search.analysis import analyze_query
from search.curation import Pin
from search.curation import QueryRule
from search.curation import StaffCuration
from search.curation import rules_for
from search.documents import Boosts
from search.synonym_context import applied
from search.synonyms import SynonymEntry
from search.synonyms import compile_table
from search.synonyms import normalized_text

NOW = dt.datetime(2026, 12, 2, 14, 0, tzinfo=dt.UTC)
ROUNDS = 3


def staff_curation(rng: random.Random, skus: dict[int, str]) -> tuple[StaffCuration, list[str], list[str]]:
    """600 synonym entries and 300 rules; returns them with words that have synonyms and ruled queries."""
    entries = [
        SynonymEntry(kind[3], (kind[2], kind[4]), two_way=True) for kind in KINDS if " " not in kind[3]
    ]
    filler = [f"soz{n}" for n in range(600 - len(entries))]
    entries += [SynonymEntry(word, (f"{word}x",), two_way=rng.random() < 0.5) for word in filler]
    ruled = [f"{kind[2]} {country[2]}".lower() for kind in KINDS for country in COUNTRIES][:300]
    rules = []
    for text in ruled:
        starts = NOW - dt.timedelta(hours=rng.randrange(0, 3)) if rng.random() < 0.5 else None
        pins = tuple(Pin(p, skus[p], n + 1) for n, p in enumerate(rng.sample(range(1, len(skus)), 2)))
        rules.append(
            QueryRule(
                query=text,
                pins=pins,
                hides=tuple(rng.sample(range(1, len(skus)), 3)),
                boosts=Boosts(countries=(rng.choice(COUNTRIES)[0],)),
                starts_at=starts,
                ends_at=NOW + dt.timedelta(hours=3) if starts else None,
            )
        )
    with_synonyms = [kind[3] for kind in KINDS if " " not in kind[3]]
    return StaffCuration.of(compile_table(entries), rules), with_synonyms, ruled


def millis(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def compare(
    engine: SearchEngine, curation: StaffCuration, queries: list[SearchQuery]
) -> tuple[list[float], list[float]]:
    """Plain and curated milliseconds per query, interleaved so both see the same machine."""
    plain: list[float] = []
    curated: list[float] = []
    for _ in range(ROUNDS):
        for query in queries:
            plain.append(millis(lambda q=query: engine.search(q)))  # type: ignore[misc]
            curated.append(millis(lambda q=query: curation.search(engine, q, NOW)))  # type: ignore[misc]
    return plain, curated


def curation_step(curation: StaffCuration, queries: list[SearchQuery]) -> list[float]:
    """Milliseconds of the curation's own work per query: its rules, and the words expanded."""
    out = []
    for query in queries * ROUNDS:

        def step(q: SearchQuery = query) -> None:
            rules = curation.by_query.get(normalized_text(q.text), ())
            rules_for(rules, q, NOW)
            with applied(curation.synonyms):
                analyze_query(q.text)

        out.append(millis(step) - millis(lambda q=query: analyze_query(q.text)))  # type: ignore[misc]
    return out


def row(kind: str, plain: list[float], curated: list[float], step: list[float]) -> tuple[str, ...]:
    added = [c - p for p, c in zip(plain, curated, strict=True)]
    return (
        kind,
        str(len(plain) // ROUNDS),
        f"{statistics.median(plain):.2f}",
        f"{percentile(plain, 0.95):.2f}",
        f"{statistics.median(curated):.2f}",
        f"{percentile(curated, 0.95):.2f}",
        f"{statistics.median(added):+.3f}",
        f"{statistics.median(step) * 1000:.0f}",
        f"{percentile(step, 0.95) * 1000:.0f}",
        f"{len(curated) / (sum(curated) / 1000):,.0f}",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    workdir = tempfile.TemporaryDirectory(prefix="tianshan-bench-")
    engine = engine_from_url(f"sqlite:///{workdir.name}/bench.db?results=0")
    engine.ensure_index()
    skus: dict[int, str] = {}

    def remembered() -> Iterator[SearchDocument]:
        for doc in generate(args.products, args.seed):
            skus[doc.id] = doc.sku
            yield doc

    engine.rebuild(remembered())
    engine.search(SearchQuery(text="мука"))  # loads the in-memory view
    rng = random.Random(args.seed + 2)
    curation, with_synonyms, ruled = staff_curation(rng, skus)
    plain_words = [kind[2] for kind in KINDS if " " not in kind[2]]

    def queries(texts: list[str]) -> list[SearchQuery]:
        return [SearchQuery(text=rng.choice(texts), locales=("kk", "ru")) for _ in range(100)]

    kinds = {
        "no rule, no synonym": queries(plain_words),
        "a synonym applies": queries(with_synonyms),
        "pins, hides and a boost apply": queries(ruled),
    }
    print(f"embedded engine, products: {args.products}, seed: {args.seed}; 600 synonym entries, 300 rules")
    print("times in ms (the curation step alone in µs); added = curated - plain, per query, median")
    header = (
        "queries",
        "n",
        "plain p50",
        "plain p95",
        "curated p50",
        "curated p95",
        "added p50",
        "step µs p50",
        "step µs p95",
        "curated /s",
    )
    rows: list[tuple[str, ...]] = [header]
    for kind, pool in kinds.items():
        plain, curated = compare(engine, curation, pool)
        rows.append(row(kind, plain, curated, curation_step(curation, pool)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for number, cells in enumerate(rows):
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |")
        if number == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
