"""Run every benchmark of the project and collect their tables in ``bench/RESULTS.md``.

Each benchmark is its own module that prints Markdown tables; this runner starts each in a
fresh process (so no two share a process or a warm cache), records the exact command, and
writes everything, with the machine it ran on, to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"

#: (title, module arguments) in the order they run; engines last, they need Java.
BENCHMARKS: list[tuple[str, list[str]]] = [
    ("Search, embedded engine", ["bench.search", "--engine", "embedded", "--products", "100000"]),
    ("Search synonyms and query rules", ["bench.curation", "--products", "100000"]),
    ("Media pipeline and cards", ["bench.media"]),
    ("Search analytics: counting cost per search", ["bench.search_analytics", "--database", "both"]),
    ("Live streams: cursor, card, SSE fan-out and analytics beacons", ["bench.live"]),
    (
        "Live streams: CPU per cursor move, beacon and delivered event",
        ["bench.live_cpu", "--database", "both"],
    ),
    ("Translator tools: quality checks and memory", ["bench.translators", "--products", "100000"]),
    ("Capacity under load", ["bench.capacity"]),
    ("Search engines side by side", ["bench.engines"]),
    ("Search relevance on judged queries", ["bench.relevance"]),
]


def _machine() -> str:
    cpus = os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    return (
        f"{platform.system()} {platform.machine()}, {cpus} cores{memory}, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", action="append", help="run only benchmarks whose module contains this")
    args = parser.parse_args(argv)
    sections = [
        "# Benchmark results",
        "",
        f"Made by `make bench` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {_machine()}.",
        "Each section names the command that printed it; run that command alone to repeat one table.",
        "",
    ]
    failed = 0
    for title, module_args in BENCHMARKS:
        if args.only and not any(part in module_args[0] for part in args.only):
            continue
        command = [sys.executable, "-m", *module_args]
        shown = "python -m " + shlex.join(module_args)
        print(f"== {title}: {shown}", flush=True)
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent, check=False)
        elapsed = time.perf_counter() - started
        sys.stdout.write(result.stdout)
        sections += [f"## {title}", "", f"`{shown}` ({elapsed:.0f} s)", ""]
        if result.returncode == 0:
            sections += [result.stdout.strip(), ""]
        else:
            failed += 1
            tail = "\n".join(result.stderr.strip().splitlines()[-15:])
            sections += [f"Failed (exit {result.returncode}):", "", "```", tail, "```", ""]
            sys.stderr.write(result.stderr)
    RESULTS.write_text("\n".join(sections), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(HERE.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
