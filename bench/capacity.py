"""Capacity: the catalog under load from wrk, against a bare Flask endpoint as the ceiling.

    python -m bench.capacity [--seconds 15] [--soak 600] [--scale 10000,100000,300000]
                             [--database sqlite|postgresql] [--profiles mixed ...]

Both apps are served the production way (gunicorn, gevent workers, ``gunicorn.conf.py``) on
127.0.0.1; wrk (two threads, bounded by --seconds) drives each profile. Prints req/s and
p50/p95/p99 per profile with the ratio to the ceiling, memory per worker, a soak of the mixed
profile (errors and memory growth), and the scale curve of the embedded search engine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT
from bench.harness import free_port
from bench.harness import gunicorn
from bench.harness import percentile
from bench.harness import table
from bench.harness import throwaway_database
from bench.harness import worker_rss_mib

#: What viewers type during a show: a few words, asked again and again.
QUERIES = [
    "чай",
    "мука",
    "muka",
    "面粉",
    "шоколад",
    "chocolate",
    "мёд",
    "бал",
    "wine",
    "кофе",
    "шоколат",
    "ұн",
]
#: Words of the demo products' Russian and English names searched once each in turn: more than
#: the embedded engine remembers, so most searches do their whole work.
DISTINCT_WORDS = 600
#: Writes that change something every time (the service skips a value that is already stored):
#: a stock count new at each request, and a Kazakh name saved as a new translation revision.
STOCK_UPDATE = '{"stock": {i}}'
TRANSLATION_SAVE = '{"name": "Жүктеме {n}", "description": "", "highlights": []}'
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def prepare(instance: Path, database_url: str) -> dict[str, t.Any]:
    """A migrated catalog on *database_url* with the demo products, staff tokens and a live stream."""
    from catalog import create_app
    from catalog import migrate
    from catalog.db import get_db
    from catalog.db import get_session
    from catalog.models import Role
    from catalog.services import demo
    from catalog.services.users import add_user

    app = create_app(_config(instance, database_url), instance_path=str(instance))
    with app.app_context():
        migrate.upgrade(get_db().engine)
        session = get_session()
        report = demo.load_demo(session)
        _, host = add_user(session, "load-host", Role.HOST)
        _, admin = add_user(session, "load-admin", Role.ADMIN)
        session.commit()
        ids = report.created_ids
    runner = app.test_cli_runner()
    runner.invoke(args=["search", "reindex"])
    client = app.test_client()
    headers = {"Authorization": f"Bearer {host}"}
    published, words = [], set()
    for i in ids:
        body = client.get(f"/api/v1/products/{i}").json
        assert body is not None
        if body["status"] == "published":
            published.append(i)
            for locale in ("ru", "en"):
                name = body["content"].get(locale, {}).get("name", "")
                words.update(w.lower() for w in re.findall(r"\w{4,}", name) if not w.isdigit())
    stream = client.post(
        "/api/v1/streams",
        json={
            "title": "Load",
            "starts_at": "2026-12-01T19:00:00+06:00",
            "duration_minutes": 180,
            "locales": ["ru", "kk", "zh"],
            "currencies": ["KZT", "CNY"],
        },
        headers=headers,
    )
    stream_id = stream.json["id"]  # type: ignore[index]
    lineup = published[:30]
    steps = [
        client.put(
            f"/api/v1/streams/{stream_id}/lineup",
            json={"product_ids": lineup},
            headers={**headers, "If-Match": stream.headers["ETag"]},
        ),
        # The demo catalog has texts a readiness check blocks on; the show goes on regardless.
        client.post(f"/api/v1/streams/{stream_id}/start?force=true", headers=headers),
        client.post(
            f"/api/v1/streams/{stream_id}/cursor", json={"action": "goto", "position": 1}, headers=headers
        ),
    ]
    for step in steps:  # the profiles' cursor moves need a stream that is live
        if step.status_code != 200:
            raise RuntimeError(
                f"setting up the stream failed: {step.status_code} {step.get_data(as_text=True)}"
            )
    app.extensions["live"].close()
    app.extensions["db"].dispose()
    return {
        "products": published,
        "words": sorted(words),
        "stream_id": stream_id,
        "lineup": len(lineup),
        "host": host,
        "admin": admin,
    }


def _config(instance: Path, database_url: str) -> dict[str, t.Any]:
    return {
        "DATABASE_URL": database_url,
        "SEARCH_URL": f"sqlite:///{instance / 'search.db'}",
        "SECRET_KEY": "load",
        "LOG_LEVEL": "WARNING",
    }


def profiles(setup: dict[str, t.Any]) -> dict[str, list[tuple[int, str, str, str]]]:
    """Each profile: (weight, method, path, body) lines for wrk/profile.lua."""
    rng = random.Random(7)
    reads = [(1, "GET", f"/api/v1/products/{i}?locale=ru&currency=KZT", "") for i in setup["products"]]
    searches = [(1, "GET", f"/api/v1/search?q={urllib.parse.quote(q)}&locale=ru", "") for q in QUERIES]
    many = rng.sample(setup["words"], min(DISTINCT_WORDS, len(setup["words"])))
    distinct = [(1, "GET", f"/api/v1/search?q={urllib.parse.quote(q)}&locale=ru", "") for q in many]
    stream = setup["stream_id"]
    card = [(1, "GET", f"/api/v1/streams/{stream}/card", "")]
    moves = [
        (1, "POST", f"/api/v1/streams/{stream}/cursor", json.dumps({"action": "goto", "position": p}))
        for p in range(1, setup["lineup"] + 1)
    ]
    mixed = (
        [(69 * len(searches), m, p, b) for _, m, p, b in rng.sample(reads, 40)]
        + [(15 * 40, m, p, b) for _, m, p, b in searches]
        + [(10 * 40 * len(searches), m, p, b) for _, m, p, b in card]
        + [(4 * 40 * len(searches) // len(moves), m, p, b) for _, m, p, b in moves]
        + [
            (4 * len(searches), "PATCH", f"/api/v1/products/{i}", STOCK_UPDATE)
            for i in setup["products"][:10]
        ]
        + [
            (4 * len(searches), "PUT", f"/api/v1/products/{i}/content/kk", TRANSLATION_SAVE)
            for i in setup["products"][10:20]
        ]
    )
    return {
        "product read": reads,
        "search, 12 hot queries": searches,
        f"search, {len(distinct)} distinct words": distinct,
        "card on air": card,
        "mixed": mixed,
    }


def memory_growth(start: t.Sequence[float], end: t.Sequence[float]) -> float:
    """The largest relative growth of any worker's resident memory from *start* to *end*."""
    pairs = list(zip(start, end, strict=False))
    return max((b - a) / a for a, b in pairs) if pairs else 0.0


def wrk(
    port: int, lines: list[tuple[int, str, str, str]], seconds: int, connections: int, token: str = ""
) -> dict[str, t.Any]:
    """Run wrk with a weighted profile; returns its JSON summary plus req/s."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        for weight, method, path, body in lines:
            handle.write(f"{weight}\t{method}\t{path}\t{body}\n")
    env = {**os.environ, "WRK_PROFILE": handle.name, "WRK_TOKEN": token}
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench/wrk/profile.lua"),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=seconds + 60,
    )
    Path(handle.name).unlink()
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    summary["rps"] = summary["requests"] / (summary["duration_us"] / 1e6)
    return summary


def row(name: str, summary: dict[str, t.Any], ceiling: float | None) -> list[t.Any]:
    ratio = f"{summary['rps'] / ceiling:.0%}" if ceiling else "100%"
    return [
        name,
        f"{summary['rps']:,.0f}",
        f"{summary['p50_us'] / 1000:.1f}",
        f"{summary['p95_us'] / 1000:.1f}",
        f"{summary['p99_us'] / 1000:.1f}",
        summary["socket_errors"] + summary["non2xx"],
        ratio,
    ]


def scale_curve(sizes: list[int]) -> list[list[t.Any]]:
    """Search p95 and index size of the embedded engine at each catalog size."""
    from bench.search import generate
    from bench.search import query_sets
    from search import engine_from_url

    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="tianshan-scale-") as work:
            path = Path(work) / "search.db"
            engine = engine_from_url(f"sqlite:///{path}?results=0")  # time the work, not a memo
            engine.ensure_index()
            started = time.perf_counter()
            engine.rebuild(generate(size, 42))
            build = time.perf_counter() - started
            queries = [q for kind in query_sets(random.Random(3)).values() for q in kind[:60]]
            timings = []
            for query in queries:
                begun = time.perf_counter()
                engine.search(query)
                timings.append((time.perf_counter() - begun) * 1000)
            engine.close()
            files = sum(p.stat().st_size for p in Path(work).glob("*") if p.is_file())
            rows.append(
                [
                    f"{size:,}",
                    f"{size / build:,.0f}",
                    f"{percentile(timings, 0.5):.1f}",
                    f"{percentile(timings, 0.95):.1f}",
                    f"{files / 2**20:,.0f}",
                ]
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=15, help="length of each load run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--warmup", type=int, default=5, help="seconds of each profile run first, not counted (fills caches)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="postgresql: a throwaway cluster",
    )
    parser.add_argument(
        "--profiles", nargs="*", metavar="NAME", help="only the profiles whose name starts with one of these"
    )
    parser.add_argument("--soak", type=int, default=600, help="seconds of the mixed-profile soak (0: skip)")
    parser.add_argument(
        "--scale", default="10000,100000,300000", help="catalog sizes for the search curve ('' skips)"
    )
    args = parser.parse_args(argv)

    with (
        tempfile.TemporaryDirectory(prefix="tianshan-capacity-") as work,
        throwaway_database(args.database, Path(work)) as database_url,
    ):
        instance = Path(work)
        setup = prepare(instance, database_url)
        env = {
            "TIANSHAN_INSTANCE_PATH": str(instance),
            "TIANSHAN_SECRET_KEY": "load",
            "TIANSHAN_DATABASE_URL": database_url,
            "TIANSHAN_SEARCH_URL": _config(instance, database_url)["SEARCH_URL"],
        }
        port = free_port()
        with gunicorn("bench.bare:app", {}, port, args.workers, "/ping"):
            ping = [(1, "GET", "/ping", "")]
            if args.warmup:
                wrk(port, ping, args.warmup, args.connections)
            ceiling = wrk(port, ping, args.seconds, args.connections)
        rows = [row("bare Flask endpoint (ceiling)", ceiling, None)]
        port = free_port()
        with gunicorn("wsgi:app", env, port, args.workers, "/api/v1/") as master:
            rss_start = worker_rss_mib(master)
            for name, lines in profiles(setup).items():
                if args.profiles and not any(name.startswith(wanted) for wanted in args.profiles):
                    continue
                token = setup["admin"] if name == "mixed" else ""
                if args.warmup:
                    wrk(port, lines, args.warmup, args.connections, token)
                rows.append(
                    row(name, wrk(port, lines, args.seconds, args.connections, token), ceiling["rps"])
                )
            rss_loaded = worker_rss_mib(master)
            soak_rows = []
            rss_soak_start = worker_rss_mib(master)  # raw, to the KiB, before the first window
            rss_soak_end = rss_soak_start
            if args.soak:
                window = 30
                mixed = profiles(setup)["mixed"]
                for start in range(0, args.soak, window):
                    summary = wrk(
                        port, mixed, min(window, args.soak - start), args.connections, setup["admin"]
                    )
                    soak_rows.append(
                        [
                            f"{start}-{start + window} s",
                            f"{summary['rps']:,.0f}",
                            f"{summary['p95_us'] / 1000:.1f}",
                            summary["socket_errors"] + summary["non2xx"],
                            " / ".join(f"{m:.1f}" for m in worker_rss_mib(master)),
                        ]
                    )
                rss_soak_end = worker_rss_mib(master)
        print(
            f"workers: {args.workers} (gevent), wrk: 2 threads, {args.connections} connections, {args.seconds} s per run "
            f"after {args.warmup} s of the same not counted; "
            f"catalog: {len(setup['products'])} published demo products on {DATABASE_NAMES[args.database]}"
        )
        print(
            "Mixed profile: 69% product reads, 15% searches, 10% card on air, 4% cursor moves, 1% stock updates "
            "(PATCH, a new count each time) and 1% Kazakh texts saved (PUT, a new name each time), as an admin; "
            "an error is a socket error or any answer that is not 2xx or 3xx."
        )
        table(
            "Throughput and latency",
            ["profile", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "of ceiling"],
            rows,
        )
        table(
            "Memory per worker (MiB RSS)",
            ["when", "workers"],
            [
                ["after start", " / ".join(f"{m:.0f}" for m in rss_start)],
                ["after the load runs", " / ".join(f"{m:.0f}" for m in rss_loaded)],
            ],
        )
        if soak_rows:
            growth = memory_growth(rss_soak_start, rss_soak_end)
            errors = sum(int(r[3]) for r in soak_rows)
            start_mib = " / ".join(f"{m:.1f}" for m in rss_soak_start)
            table(
                f"Soak: mixed profile for {args.soak} s (errors {errors}, memory growth {growth:.2%}"
                f" from {start_mib} MiB at the soak's start)",
                ["window", "req/s", "p95 ms", "errors", "worker RSS MiB"],
                soak_rows,
            )
    sizes = [int(s) for s in args.scale.split(",") if s.strip()]
    if sizes:
        table(
            "Scale curve: embedded search",
            ["products", "build/s", "search p50 ms", "search p95 ms", "index MiB"],
            scale_curve(sizes),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
