"""The search benchmark on every engine, side by side, from the same generated catalog.

    python -m bench.engines [--products 100000]

Starts a local Elasticsearch and a local OpenSearch node from ``tools.engines``, set up like
production rather than like the tests' small JVMs (:data:`BENCH_HEAP` heap, the JVM's default
G1 collector), runs ``bench.search`` against the embedded engine and each of them with the
same seed, and stops the nodes. Each engine prints its own table.

Before timing, each engine answers ``--warmup`` queries of every kind drawn with another seed,
so that the tables show a node in service, not one whose JVM is still compiling the search
code; the warm-up's own figures are printed above each table (``--warmup 0`` times a node
just started). No engine remembers answers, so every query is timed doing its work;
``--remembered`` times them as in service: the embedded engine remembers answers, and the server
engines ask their shard request cache.

With the embedded engine and a server engine in the run, a last table sets each server engine's
p95 per kind against the speed targets: at most :data:`TARGET_RATIO` times the embedded
engine's p95, and under :data:`TARGET_MS` where a kind has a bound of its own; each cell names
the targets missed. The floors' rows (``bench.search.FLOORS``) give p95 and p50.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import typing as t
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import search as search_bench
from bench.harness import table
from tools.engines import NodeProcess
from tools.engines import start_engine

#: Every engine the benchmark can run.
ENGINES = ("embedded", "elasticsearch", "opensearch")
#: Seconds a benchmark request may take: the nodes share two busy cores with the benchmark.
BENCH_TIMEOUT = 120


def bench_url(node: NodeProcess) -> str:
    """The engine URL of a benchmark node, with a timeout a busy machine needs."""
    return f"{node.spec.search_url}/?timeout={BENCH_TIMEOUT}"


#: Heap of a benchmark node (minimum and maximum), as a production node of this size would get.
BENCH_HEAP = "2g"


#: A server engine's p95 may be at most this many times the embedded engine's, kind by kind.
TARGET_RATIO = 2.0
#: Bounds of their own: p95 under this many ms.
TARGET_MS: dict[str, float] = {"one word": 25.0, "two words": 25.0, "suggest": 15.0}


def _column(rows: list[search_bench.Row], name: str) -> dict[str, float]:
    index = search_bench.HEADER.index(name)
    return {row[0]: float(row[index]) for row in rows}


def _verdict(kind: str, p95: float, embedded: dict[str, float]) -> str:
    """*p95* of a server engine, its ratio to the embedded engine's, and the targets it misses."""
    missed = []
    ratio = p95 / embedded[kind]
    if ratio > TARGET_RATIO:
        missed.append(f"{TARGET_RATIO:g}×")
    if kind in TARGET_MS and not p95 < TARGET_MS[kind]:
        missed.append(f"{TARGET_MS[kind]:g} ms")
    return f"{p95:.2f} = {ratio:.1f}× " + (f"(missed: {', '.join(missed)})" if missed else "(met)")


def target_rows(results: dict[str, list[search_bench.Row]]) -> list[list[str]]:
    """Per query kind: the embedded p95, the targets, and each server engine's p95 against them;
    the floors' p95 and p50 (they have no target)."""
    embedded = _column(results["embedded"], "p95")
    servers = [
        (_column(rows, "p95"), _column(rows, "p50")) for name, rows in results.items() if name != "embedded"
    ]
    kinds = list(dict.fromkeys(kind for p95, _ in servers for kind in p95))
    rows = []
    for kind in kinds:
        cells = []
        for p95, p50 in servers:
            if kind not in p95:
                cells.append("–")
            elif kind in embedded:
                cells.append(_verdict(kind, p95[kind], embedded))
            else:
                cells.append(f"{p95[kind]:.2f} (p50 {p50[kind]:.2f})")
        targets = [f"≤ {TARGET_RATIO * embedded[kind]:.2f}"] if kind in embedded else []
        targets += [f"< {TARGET_MS[kind]:g}"] if kind in TARGET_MS else []
        shown = f"{embedded[kind]:.2f}" if kind in embedded else "–"
        rows.append([kind, shown, "; ".join(targets) or "–", *cells])
    return rows


def start_bench_node(engine: str) -> NodeProcess:
    """One node of *engine* with the benchmark JVM settings (heap, default G1 collector)."""
    node = start_engine(engine, heap=BENCH_HEAP, serial_gc=False)
    print(f"node: {engine}, JVM -Xms{BENCH_HEAP} -Xmx{BENCH_HEAP}, G1 (the JVM's default collector)")
    return node


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--queries", type=int, default=300, help="queries per kind at most")
    parser.add_argument(
        "--warmup",
        type=int,
        default=300,
        help="untimed queries per kind first, drawn with another seed (0: time a node just started)",
    )
    parser.add_argument(
        "--engines", nargs="+", choices=ENGINES, default=list(ENGINES), help="engines to run, in order"
    )
    parser.add_argument(
        "--remembered",
        action="store_true",
        help="answers remembered as in service (the embedded engine's memory, the request cache)",
    )
    args = parser.parse_args(argv)
    common = [
        *("--products", str(args.products), "--seed", str(args.seed)),
        *("--queries", str(args.queries), "--warmup", str(args.warmup)),
        *(["--remembered"] if args.remembered else []),
    ]
    results: dict[str, list[search_bench.Row]] = {}
    if "embedded" in args.engines:
        print("\n### embedded\n")
        results["embedded"] = search_bench.run(["--engine", "embedded", *common])
    for engine in (name for name in args.engines if name != "embedded"):
        with contextlib.ExitStack() as stack:
            print(f"\n### {engine}\n")
            node: t.Any = start_bench_node(engine)
            stack.callback(node.stop)
            results[engine] = search_bench.run(["--engine", engine, "--url", bench_url(node), *common])
    if "embedded" in results and len(results) > 1:
        servers = [name for name in results if name != "embedded"]
        table(
            f"p95 against the targets (ms): at most {TARGET_RATIO:g}× the embedded engine's, and the bounds of their own",
            ["query kind", "embedded", "target", *servers],
            target_rows(results),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
