"""Where a server engine spends a search: index size, heap, and the Profile API per query kind.

    python -m bench.profile --engine elasticsearch --products 100000

Starts one node (:func:`bench.engines.start_bench_node`), loads the generated catalog of
``bench.search``, force-merges it and prints its size on disk and the node's heap, then records
the request bodies every query kind's searches send (:func:`search.server_search.answer`) and
asks them once (engine ``took`` summed per search). For the slowest kinds it sums the Profile
API's time per query node over their requests and prints the costliest nodes, and the engine
time of the same requests with one part left out at a time (highlights, rescore, aggregations,
exact totals), which shows what each part costs.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import typing as t
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import search as search_bench
from bench.engines import bench_url
from bench.engines import start_bench_node
from bench.harness import table
from search import engine_from_url
from search.documents import SearchQuery
from search.server_search import answer

#: Request body -> the same body with one part left out.
Variant = t.Callable[[dict[str, t.Any]], dict[str, t.Any]]
#: The parts whose cost :func:`part_costs` shows, each left out on its own.
VARIANTS: dict[str, Variant] = {
    "as sent": lambda body: body,
    "without highlight": lambda body: {k: v for k, v in body.items() if k != "highlight"},
    "without rescore": lambda body: {k: v for k, v in body.items() if k != "rescore"},
    "without aggregations": lambda body: {k: v for k, v in body.items() if k != "aggs"},
    "totals to 1,000": lambda body: (
        {**body, "track_total_hits": 1000} if "track_total_hits" in body else body
    ),
}

#: Characters of a query node's description kept in the table.
DESCRIPTION_CHARS = 70


def _node_costs(node: dict[str, t.Any], costs: dict[str, float], depth: int = 0) -> None:
    """Add each query node's own time (its total less its children's) to *costs*, in ms."""
    children = node.get("children", [])
    own = node["time_in_nanos"] - sum(child["time_in_nanos"] for child in children)
    label = f"{node['type']}: {node['description'][:DESCRIPTION_CHARS]}"
    costs[label] += own / 1e6
    for child in children:
        _node_costs(child, costs, depth + 1)


def profile_costs(response: dict[str, t.Any], costs: dict[str, float]) -> None:
    """Fold one profiled response into *costs* (query nodes, collectors, aggregations)."""
    for shard in response.get("profile", {}).get("shards", []):
        for searched in shard.get("searches", []):
            for node in searched.get("query", []):
                _node_costs(node, costs)
            costs["rewrite"] += searched.get("rewrite_time", 0) / 1e6
            for collector in searched.get("collector", []):
                costs[f"collector: {collector['name']}"] += collector["time_in_nanos"] / 1e6
        for aggregation in shard.get("aggregations", []):
            costs[f"aggregation: {aggregation['description']}"] += aggregation["time_in_nanos"] / 1e6
        fetch = shard.get("fetch")
        if fetch:
            costs["fetch (source, highlight)"] += fetch["time_in_nanos"] / 1e6


def sent_bodies(
    search: t.Callable[[dict[str, t.Any]], dict[str, t.Any]], query: SearchQuery
) -> list[dict[str, t.Any]]:
    """The request bodies one search of *query* sends, in order."""
    bodies: list[dict[str, t.Any]] = []

    def send(body: dict[str, t.Any]) -> dict[str, t.Any]:
        bodies.append(body)
        return search(body)

    answer(send, query)
    return bodies


def part_costs(
    request: t.Callable[..., t.Any], alias: str, searches: list[list[dict[str, t.Any]]]
) -> list[list[str]]:
    """Mean engine time per search (``took``, ms) of *searches* with each of :data:`VARIANTS`."""
    rows = []
    for name, variant in VARIANTS.items():
        took = [
            sum(int(request("POST", f"/{alias}/_search", variant(body))["took"]) for body in bodies)
            for bodies in searches
        ]
        rows.append(
            [
                name,
                f"{statistics.mean(took):.2f}",
                f"{search_bench.percentile([float(ms) for ms in took], 0.95):.0f}",
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("elasticsearch", "opensearch"), default="elasticsearch")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--queries", type=int, default=30, help="queries profiled per kind")
    parser.add_argument("--kinds", type=int, default=2, help="slowest kinds profiled")
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--also", nargs="*", default=[], help="query kinds profiled besides the slowest")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        node: t.Any = start_bench_node(args.engine)
        stack.callback(node.stop)
        engine: t.Any = engine_from_url(bench_url(node))
        engine.rebuild(search_bench.generate(args.products, args.seed))
        request = engine.backend.request
        request("POST", f"/{engine.alias}/_forcemerge", None, {"max_num_segments": "1"})
        store = request("GET", f"/{engine.alias}/_stats/store")["_all"]["primaries"]["store"]
        print(f"{args.engine}: {args.products} products, index {store['size_in_bytes'] / 2**20:.1f} MiB")
        print(f"heap: {search_bench.heap_used(request)}")
        rng = random.Random(args.seed + 1)
        sets = search_bench.query_sets(rng)
        sent = {
            kind: [sent_bodies(engine._search, query) for query in queries[: args.queries]]
            for kind, queries in sets.items()
        }
        took = {
            kind: [
                sum(int(request("POST", f"/{engine.alias}/_search", body)["took"]) for body in bodies)
                for bodies in searches
            ]
            for kind, searches in sent.items()
        }
        rows = [
            [
                kind,
                f"{statistics.mean(len(bodies) for bodies in sent[kind]):.1f}",
                f"{statistics.mean(ms):.1f}",
                max(ms),
            ]
            for kind, ms in took.items()
        ]
        table(
            "engine time per search (took summed over its requests, ms)",
            ["query kind", "requests", "mean", "max"],
            rows,
        )
        slowest = sorted(took, key=lambda kind: statistics.mean(took[kind]), reverse=True)[: args.kinds]
        for kind in (*slowest, *(extra for extra in args.also if extra not in slowest)):
            costs: dict[str, float] = defaultdict(float)
            searches = sent[kind]
            for bodies in searches:
                for body in bodies:
                    profiled = request("POST", f"/{engine.alias}/_search", {**body, "profile": True})
                    profile_costs(profiled, costs)
            ranked = sorted(costs.items(), key=lambda item: item[1], reverse=True)[: args.top]
            total = sum(costs.values())
            rows = [[label, f"{ms / len(searches):.2f}", f"{100 * ms / total:.0f}%"] for label, ms in ranked]
            table(f"{kind}: top costs per search ({len(searches)} searches)", ["node", "ms", "share"], rows)
            parts = part_costs(request, engine.alias, searches)
            table(
                f"{kind}: engine time per search with a part left out",
                ["requests", "mean took ms", "p95"],
                parts,
            )
        engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
