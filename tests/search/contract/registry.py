"""Engines the contract suite runs against, by name.

A factory gets a fresh empty directory and returns a new, empty engine. Add an engine that needs
nothing but a directory here; an engine that needs a server started by its own fixtures runs
the suite from its own test package instead (see :mod:`tests.search.contract.suite`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from search import SearchEngine
from search import engine_from_url

EngineFactory = Callable[[Path], SearchEngine]


def embedded_engine(directory: Path) -> SearchEngine:
    """The embedded FTS5 engine in a new file under *directory*."""
    return engine_from_url(f"sqlite:///{directory / 'search.db'}")


ENGINE_FACTORIES: dict[str, EngineFactory] = {"embedded": embedded_engine}
