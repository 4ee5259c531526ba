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
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import typing as t
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import search as search_bench
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
    if "embedded" in args.engines:
        print("\n### embedded\n")
        search_bench.main(["--engine", "embedded", *common])
    for engine in (name for name in args.engines if name != "embedded"):
        with contextlib.ExitStack() as stack:
            print(f"\n### {engine}\n")
            node: t.Any = start_bench_node(engine)
            stack.callback(node.stop)
            search_bench.main(["--engine", engine, "--url", bench_url(node), *common])
    return 0


if __name__ == "__main__":
    sys.exit(main())
