"""Real Elasticsearch and OpenSearch nodes for tests and local development.

The nodes run in a JVM from artifacts Maven resolves (no downloads of distributions, no
containers): Elasticsearch from its published server jar with a small test analysis plugin,
OpenSearch through its embedded runner with its common analysis module. See ``build`` for
the toolchain and ``running`` for the process handling; ``python -m tools.engines`` starts
and stops them for ``make engines``.
"""

from __future__ import annotations

from pathlib import Path

from tools.engines.build import ENGINES
from tools.engines.build import NodeBuildError
from tools.engines.build import build_launcher
from tools.engines.build import engines_dir
from tools.engines.running import NodeProcess
from tools.engines.running import NodeSpec
from tools.engines.running import NodeStartError
from tools.engines.running import new_spec
from tools.engines.running import server_version

__all__ = [
    "ENGINES",
    "NodeBuildError",
    "NodeProcess",
    "NodeSpec",
    "NodeStartError",
    "build_launcher",
    "engines_dir",
    "new_spec",
    "server_version",
    "start_engine",
]


def start_engine(
    engine: str,
    *,
    nodes: int = 1,
    home: Path | None = None,
    tie_to_parent: bool = True,
    timeout: float = 180.0,
    heap: str = "",
    serial_gc: bool = True,
) -> NodeProcess:
    """Build if needed, start ``engine`` on free loopback ports and wait until it is ready.

    Tests keep the small default JVM; benchmarks ask for a production heap and the default G1.
    """
    spec = new_spec(engine, nodes=nodes, home=home, heap=heap, serial_gc=serial_gc)
    process = NodeProcess(spec)
    process.start(tie_to_parent=tie_to_parent, timeout=timeout)
    return process
