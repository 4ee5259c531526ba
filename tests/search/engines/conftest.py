"""Fixtures for the Elasticsearch and OpenSearch engine tests (real nodes, see ``servers``)."""

from __future__ import annotations

import typing as t
import uuid

import pytest

from search.elastic import ElasticsearchEngine
from search.opensearch import OpenSearchEngine
from search.server_engine import ServerEngine
from tests.search.engines import servers
from tools.engines import NodeProcess

#: Engine name -> ``from_url`` of its class.
ENGINE_CLASSES: dict[str, t.Callable[..., ServerEngine]] = {
    "elasticsearch": ElasticsearchEngine.from_url,
    "opensearch": OpenSearchEngine.from_url,
}


@pytest.fixture(scope="session")
def elasticsearch_node() -> NodeProcess:
    """One Elasticsearch node for the whole session."""
    return servers.node("elasticsearch")


@pytest.fixture(scope="session")
def opensearch_cluster() -> NodeProcess:
    """A three-node OpenSearch cluster for the whole session."""
    return servers.node("opensearch")


def new_engine(engine: str, **options: t.Any) -> ServerEngine:
    """An engine on the session's node with an index name of its own."""
    options.setdefault("index", f"test-{uuid.uuid4().hex[:12]}")
    options.setdefault("timeout", 15)
    return ENGINE_CLASSES[engine](servers.search_url(engine), **options)


def drop_indices(engine: ServerEngine) -> None:
    """Delete every index the engine's alias names, and leftovers of its rebuilds."""
    try:
        engine.backend.request("DELETE", f"/{engine.alias}-*")
    finally:
        engine.close()


def recorded_bodies(server_engine: ServerEngine, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, t.Any]]:
    """The request bodies *server_engine* sends from now on, in order."""
    bodies: list[dict[str, t.Any]] = []
    send = server_engine._search

    def recorded(body: dict[str, t.Any], **options: t.Any) -> dict[str, t.Any]:
        bodies.append(body)
        return send(body, **options)

    monkeypatch.setattr(server_engine, "_search", recorded)
    return bodies


@pytest.fixture(
    params=[
        pytest.param("elasticsearch", marks=pytest.mark.engines),
        pytest.param("opensearch", marks=pytest.mark.engines),
    ]
)
def server_engine(request: pytest.FixtureRequest) -> t.Iterator[ServerEngine]:
    """A fresh engine (own alias) on each server: every test using it runs on both."""
    engine = new_engine(str(request.param))
    yield engine
    drop_indices(engine)


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("elasticsearch", marks=pytest.mark.engines),
        pytest.param("opensearch", marks=pytest.mark.engines),
    ],
)
def make_engine(request: pytest.FixtureRequest) -> t.Iterator[t.Callable[[], ServerEngine]]:
    """New empty engines on one server, for the contract suite (see ``test_contract``)."""
    created: list[ServerEngine] = []

    def make() -> ServerEngine:
        engine = new_engine(str(request.param))
        engine.ensure_index()
        created.append(engine)
        return engine

    yield make
    for engine in created:
        drop_indices(engine)
