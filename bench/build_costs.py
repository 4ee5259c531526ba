"""Where a server engine's rebuild goes: its rate with one mapping feature left out at a time.

    python -m bench.build_costs --engine elasticsearch --products 30000 --rounds 2

Starts one node (:func:`bench.engines.start_bench_node`), rebuilds the generated catalog of
``bench.search`` once to warm it, then rebuilds it with the production mappings and with each
feature of :data:`FEATURES` removed in turn, and then all of them at once, round after round,
and prints the rate and the index size of each. A diagnostic, not a configuration: an index
without these features does not answer every search the contract suite asks.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
import typing as t
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import search as search_bench
from bench.engines import bench_url
from bench.engines import start_bench_node
from bench.harness import table
from search import engine_from_url
from search.dsl import index_body

#: An index body -> the same body with one mapping feature left out.
Variant = t.Callable[[dict[str, t.Any]], None]


def _drop_key(node: t.Any, key: str) -> None:
    """Remove *key* from every mapping under *node*."""
    if isinstance(node, dict):
        node.pop(key, None)
        for value in node.values():
            _drop_key(value, key)


def _no_completion(properties: dict[str, t.Any]) -> None:
    properties["suggest"] = {"type": "object", "enabled": False}


def _no_offsets(properties: dict[str, t.Any]) -> None:
    for field in properties.values():
        if field.get("index_options") == "offsets":
            field["index_options"] = "docs"


#: Feature left out -> how it is removed from the mappings' properties.
FEATURES: dict[str, Variant] = {
    "index_prefixes (type-ahead, stems of name words)": lambda properties: _drop_key(
        properties, "index_prefixes"
    ),
    "completion field (type-ahead)": _no_completion,
    "offsets (highlighter)": _no_offsets,
    "copy_to (exact-word and every-group fields)": lambda properties: _drop_key(properties, "copy_to"),
}


def _without_any(properties: dict[str, t.Any]) -> None:
    for variant in FEATURES.values():
        variant(properties)


#: What each rebuild leaves out: nothing, each feature in turn, then all of them at once (the
#: rate of this node and these builders without any of them).
LEFT_OUT: dict[str, Variant] = {
    "nothing (production)": lambda properties: None,
    **FEATURES,
    "all of the above at once": _without_any,
}


@contextlib.contextmanager
def _mappings_without(variant: Variant) -> t.Iterator[None]:
    """Indices the engine creates meanwhile get mappings changed by *variant*."""

    def body(**options: t.Any) -> dict[str, t.Any]:
        made = index_body(**options)
        variant(made["mappings"]["properties"])
        return made

    with mock.patch("search.server_engine.index_body", body):
        yield


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("elasticsearch", "opensearch"), default="elasticsearch")
    parser.add_argument("--products", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    docs = list(search_bench.generate(args.products, args.seed))
    rates: dict[str, list[float]] = {name: [] for name in LEFT_OUT}
    sizes: dict[str, float] = {}
    with contextlib.ExitStack() as stack:
        node: t.Any = start_bench_node(args.engine)
        stack.callback(node.stop)
        engine: t.Any = engine_from_url(bench_url(node))
        stack.callback(engine.close)
        engine.rebuild(docs)  # a node just started builds its first index slower
        for _ in range(args.rounds):
            for name, variant in LEFT_OUT.items():
                with _mappings_without(variant):
                    started = time.perf_counter()
                    engine.rebuild(docs)
                    rates[name].append(args.products / (time.perf_counter() - started))
                store = engine.backend.request("GET", f"/{engine.alias}/_stats/store")
                sizes[name] = store["_all"]["primaries"]["store"]["size_in_bytes"] / 2**20
    baseline = statistics.median(rates["nothing (production)"])
    rows = [
        [
            name,
            " / ".join(f"{rate:,.0f}" for rate in rates[name]),
            f"{statistics.median(rates[name]) / baseline:.2f}",
            f"{sizes[name]:.1f}",
        ]
        for name in LEFT_OUT
    ]
    table(
        f"{args.engine}: rebuild of {args.products:,} products with mapping features left out",
        ["left out", "products/s per round", "median vs production", "index MiB"],
        rows,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
