"""The search contract suite: engine-neutral tests written against ``search.SearchEngine`` only.

Every test runs once per engine in :data:`tests.search.contract.registry.ENGINE_FACTORIES`.
To run the same tests against an engine that needs a server (Elasticsearch, OpenSearch), do
it from that engine's own test package without editing these tests::

    # tests/search/engines/conftest.py
    @pytest.fixture(scope="session", params=["elasticsearch", "opensearch"])
    def make_engine(request, ...) -> Iterator[Callable[[], SearchEngine]]:
        ...  # start the server, yield a callable returning a new empty engine, stop it

    # tests/search/engines/test_contract.py
    from tests.search.contract.suite import *  # noqa: F403
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search import SearchEngine
from tests.search.contract.fixtures import MakeEngine
from tests.search.contract.fixtures import catalog_engine as catalog_engine
from tests.search.contract.fixtures import engine as engine
from tests.search.contract.registry import ENGINE_FACTORIES


@pytest.fixture(scope="session", params=sorted(ENGINE_FACTORIES))
def make_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MakeEngine]:
    """Creates engines of one registered kind; closes them all at the end."""
    name: str = request.param
    factory = ENGINE_FACTORIES[name]
    created: list[SearchEngine] = []

    def make() -> SearchEngine:
        directory: Path = tmp_path_factory.mktemp(name)
        engine = factory(directory)
        engine.ensure_index()
        created.append(engine)
        return engine

    yield make
    for made in created:
        made.close()
