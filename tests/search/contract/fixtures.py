"""Fixtures every contract test uses; they build on a ``make_engine`` fixture.

``make_engine`` (session scope) returns a callable that creates a new, empty engine. The
suite's own conftest parametrizes it over :data:`registry.ENGINE_FACTORIES`; another package
can define its own ``make_engine`` and import :mod:`tests.search.contract.suite`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from search import SearchEngine
from tests.search.contract.catalog import CATALOG

MakeEngine = Callable[[], SearchEngine]


@pytest.fixture
def engine(make_engine: MakeEngine) -> SearchEngine:
    """A new, empty engine for tests that write."""
    return make_engine()


@pytest.fixture(scope="module")
def catalog_engine(make_engine: MakeEngine) -> SearchEngine:
    """An engine holding the fixed catalog, shared by the read-only tests of a module."""
    engine = make_engine()
    report = engine.index(CATALOG)
    assert report.failed == ()
    assert report.indexed == len(CATALOG)
    return engine
