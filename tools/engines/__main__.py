"""``python -m tools.engines start|stop|status|build``: run the search engines in the background.

``start`` prints one ``TIANSHAN_SEARCH_URL=...`` line per engine it started and records the
processes in ``<engines dir>/state.json``; ``stop`` ends them; ``status`` reports their health;
``build`` only resolves the artifacts and compiles the launchers (a warm-up for CI caches).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tools.engines import ENGINES
from tools.engines import NodeBuildError
from tools.engines import NodeStartError
from tools.engines import build_launcher
from tools.engines import engines_dir
from tools.engines import server_version
from tools.engines import start_engine
from tools.engines.running import http_json
from tools.engines.running import stop_process_group


def _state_file() -> Path:
    return engines_dir() / "state.json"


def _load_state() -> dict[str, Any]:
    try:
        state = json.loads(_state_file().read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _save_state(state: dict[str, Any]) -> None:
    _state_file().parent.mkdir(parents=True, exist_ok=True)
    _state_file().write_text(json.dumps(state, indent=2) + "\n")


def _healthy(url: str) -> str | None:
    try:
        health = http_json(f"{url}/_cluster/health", timeout=5)
    except (OSError, ValueError):
        return None
    return f"{health.get('status')}, {health.get('number_of_nodes')} node(s)"


def start(engines: list[str], opensearch_nodes: int) -> int:
    state = _load_state()
    for engine in engines:
        known = state.get(engine)
        if known and _healthy(known["http_urls"][0]):
            print(f"TIANSHAN_SEARCH_URL={known['search_url']}")
            continue
        nodes = opensearch_nodes if engine == "opensearch" else 1
        try:
            process = start_engine(engine, nodes=nodes, tie_to_parent=False)
        except (NodeBuildError, NodeStartError, ValueError) as error:
            print(f"error: could not start {engine}: {error}", file=sys.stderr)
            _save_state(state)
            return 1
        spec = process.spec
        state[engine] = {
            "pid": process.pid,
            "search_url": spec.search_url,
            "http_urls": list(spec.http_urls),
            "control_port": spec.control_port,
            "home": str(spec.home),
            "version": server_version(spec.http_urls[0]),
            "started_in_seconds": round(process.started_in or 0.0, 1),
        }
        _save_state(state)
        print(f"TIANSHAN_SEARCH_URL={spec.search_url}")
    return 0


def _is_our_node(pid: int) -> bool:
    """Whether *pid* still runs one of our launchers (not a process that reused the id)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    try:
        command = (proc / str(pid) / "cmdline").read_bytes()
    except OSError:
        return False
    return b"tianshan.search.nodes." in command


def stop() -> int:
    state = _load_state()
    for engine, known in sorted(state.items()):
        pid = int(known["pid"])
        if not _is_our_node(pid):
            print(f"{engine} (pid {pid}) was not running")
            continue
        stop_process_group(pid)
        print(f"stopped {engine} (pid {pid})")
    _state_file().unlink(missing_ok=True)
    return 0


def status() -> int:
    state = _load_state()
    if not state:
        print("no search engines started")
        return 1
    code = 0
    for engine, known in sorted(state.items()):
        health = _healthy(known["http_urls"][0])
        if health is None:
            code = 1
        shown = health or "not answering"
        print(f"{engine} {known.get('version')}: {known['search_url']} pid {known['pid']} ({shown})")
    return code


def build(engines: list[str]) -> int:
    for engine in engines:
        try:
            launcher = build_launcher(engine)
        except NodeBuildError as error:
            print(f"error: could not build the {engine} node: {error}", file=sys.stderr)
            return 1
        print(f"{engine}: {launcher.main_class} ready")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.engines", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    start_parser = commands.add_parser("start", help="start engines in the background")
    start_parser.add_argument("engines", nargs="*", help=f"any of {', '.join(ENGINES)} (default: all)")
    start_parser.add_argument("--opensearch-nodes", type=int, default=1, metavar="N")
    build_parser = commands.add_parser("build", help="resolve and compile the node launchers only")
    build_parser.add_argument("engines", nargs="*", help=f"any of {', '.join(ENGINES)} (default: all)")
    commands.add_parser("stop", help="stop the engines started with `start`")
    commands.add_parser("status", help="show the started engines and their health")
    arguments = parser.parse_args(argv)
    chosen = list(getattr(arguments, "engines", None) or ENGINES)
    unknown = [engine for engine in chosen if engine not in ENGINES]
    if unknown:
        parser.error(f"unknown engine {unknown[0]!r}: choose from {', '.join(ENGINES)}")
    if arguments.command == "start":
        if arguments.opensearch_nodes < 1:
            parser.error("--opensearch-nodes must be at least 1")
        return start(chosen, arguments.opensearch_nodes)
    if arguments.command == "build":
        return build(chosen)
    if arguments.command == "stop":
        return stop()
    return status()


if __name__ == "__main__":
    sys.exit(main())
