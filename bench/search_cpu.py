"""CPU the service spends per uncached search, in process: the demo catalog, embedded engine.

    python -m bench.search_cpu --queries 300 --rounds 2 [--profile]

Loads the demo catalog into a fresh SQLite instance (``bench.capacity.prepare``), then asks
``GET /api/v1/search`` once for each of *queries* distinct words through the Flask test client
and prints CPU ms per search (``time.process_time``: load on the machine does not spoil it), one
row per round: later rounds find the hits' texts analysed already, as a busy service does. More
queries than the engine remembers answers (256) keep every round uncached.
With ``--profile`` it also prints the functions that cost the most in the last round (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
import typing as t
from pathlib import Path
from urllib.parse import quote

from bench import capacity
from bench.harness import table
from bench.harness import throwaway_database

LOCALES = ("ru", "en", "kk", "zh")


def measure(queries: int, rounds: int, profile: bool) -> list[list[t.Any]]:
    """CPU per search over *queries* distinct words, in each reader's locale in turn."""
    from catalog import create_app

    with tempfile.TemporaryDirectory() as folder, throwaway_database("sqlite", Path(folder)) as database_url:
        instance = Path(folder)
        setup = capacity.prepare(instance, database_url)
        app = create_app(capacity._config(instance, database_url), instance_path=str(instance))
        client = app.test_client()
        words = setup["words"][:queries]
        urls = [f"/api/v1/search?q={quote(w)}&locale={LOCALES[i % 4]}" for i, w in enumerate(words)]
        client.get(urls[0].replace("q=", "q=warm"))  # first request: imports and connections
        profiler = cProfile.Profile() if profile else None
        results = []
        for round_number in range(1, rounds + 1):
            started = time.process_time()
            if profiler and round_number == rounds:
                profiler.enable()
            for url in urls:
                assert client.get(url).status_code == 200, url
            if profiler:
                profiler.disable()
            cpu = time.process_time() - started
            results.append([round_number, len(urls), f"{cpu:.2f}", f"{cpu * 1000 / len(urls):.2f}"])
        app.extensions["analytics"].writer.close()  # while its database is still there
        app.extensions["live"].close()
        app.extensions["db"].dispose()
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    table(
        "GET /api/v1/search, embedded engine, demo catalog, distinct words once each",
        ["round", "searches", "CPU s", "CPU ms per search"],
        measure(args.queries, args.rounds, args.profile),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
