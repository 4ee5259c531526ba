"""Real search nodes for the test session: started once, on demand, stopped at exit.

Any fixture may ask for a node with :func:`node`; the first request starts the JVM (building
the launcher on first use), later ones reuse it. On a machine without Java or Maven the
engine tests skip with the reason, unless ``CI=true``, where a node that cannot start is an
error.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import NoReturn

from tests.support.missing import unavailable
from tools.engines import NodeBuildError
from tools.engines import NodeProcess
from tools.engines import new_spec

#: Nodes in the OpenSearch test cluster (enough to lose one and keep a quorum).
OPENSEARCH_NODES = 3

_running: dict[str, NodeProcess] = {}
_failed: dict[str, BaseException] = {}
_root = Path(tempfile.mkdtemp(prefix="tianshan-engines-"))


def node(engine: str) -> NodeProcess:
    """The session's node (or cluster) of *engine*, started on first use."""
    if engine in _failed:
        _give_up(engine, _failed[engine])
    running = _running.get(engine)
    if running is not None and running.running():
        return running
    nodes = OPENSEARCH_NODES if engine == "opensearch" else 1
    process = _build(engine, nodes)
    process.start()
    _running[engine] = process
    return process


def _build(engine: str, nodes: int) -> NodeProcess:
    try:
        return NodeProcess(new_spec(engine, nodes=nodes, home=_root / engine))
    except NodeBuildError as error:
        _failed[engine] = error
        _give_up(engine, error)


def _give_up(engine: str, error: BaseException) -> NoReturn:
    unavailable(f"cannot run a {engine} node here: {error}")


def search_url(engine: str) -> str:
    """``elasticsearch://127.0.0.1:PORT`` (all nodes for a cluster) of the session's node."""
    return node(engine).spec.search_url


@atexit.register
def stop_all() -> None:
    """Stop every node this session started."""
    for process in _running.values():
        process.stop()
    _running.clear()
    shutil.rmtree(_root, ignore_errors=True)
