"""Real Elasticsearch and OpenSearch nodes for tests and local development.

The nodes run in a JVM from artifacts Maven resolves (no downloads of distributions, no
containers): Elasticsearch from its published server jar with a small test analysis plugin,
OpenSearch through its embedded runner with its common analysis module. See ``build`` for
the toolchain and ``running`` for the process handling; ``python -m search.nodes`` starts
and stops them for ``make engines``.
"""

from __future__ import annotations

from pathlib import Path

from search.nodes.build import ENGINES
from search.nodes.build import NodeBuildError
from search.nodes.build import build_launcher
from search.nodes.build import engines_dir
from search.nodes.running import NodeProcess
from search.nodes.running import NodeSpec
from search.nodes.running import NodeStartError
from search.nodes.running import new_spec
from search.nodes.running import server_version

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
) -> NodeProcess:
    """Build if needed, start ``engine`` on free loopback ports and wait until it is ready."""
    process = NodeProcess(new_spec(engine, nodes=nodes, home=home))
    process.start(tie_to_parent=tie_to_parent, timeout=timeout)
    return process
