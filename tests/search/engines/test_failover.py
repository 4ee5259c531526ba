"""Engines while servers go away: a stopped node, and a cluster that loses one of three nodes."""

from __future__ import annotations

import dataclasses
import typing as t

import pytest

from search import SearchQuery
from search import SearchUnavailable
from tests.search.contract.catalog import CATALOG
from tests.search.contract.catalog import FLOUR
from tests.search.contract.catalog import TEA
from tests.search.contract.catalog import by_id
from tests.search.engines.conftest import drop_indices
from tests.search.engines.conftest import new_engine
from tools.engines import NodeProcess
from tools.engines.running import http_json

pytestmark = [pytest.mark.engines, pytest.mark.slow]


def _found(engine: t.Any, text: str) -> list[int]:
    return [hit.id for hit in engine.search(SearchQuery(text=text, locales=("ru",))).hits]


def test_search_is_unavailable_while_the_node_is_down_and_works_after(
    elasticsearch_node: NodeProcess,
) -> None:
    engine = new_engine("elasticsearch", timeout=3, retries=0)
    try:
        engine.index(CATALOG)
        elasticsearch_node.stop()

        with pytest.raises(SearchUnavailable, match="unreachable"):
            engine.search(SearchQuery(text="мука"))
        with pytest.raises(SearchUnavailable):
            engine.index([by_id(FLOUR)])
        with pytest.raises(SearchUnavailable):
            engine.suggest("мук", locales=("ru",))
        health = engine.health()
        assert not health.ok and "unreachable" in health.detail

        elasticsearch_node.start(fresh=False)
        engine.wait_until_ready()
        assert _found(engine, "мука") == [FLOUR]  # the data survived the restart
        renamed = dataclasses.replace(by_id(TEA), version=2)
        assert engine.index([renamed]).indexed == 1
        assert engine.indexed_versions()[TEA] == 2
        assert engine.health().ok
    finally:
        if not elasticsearch_node.running():
            elasticsearch_node.start(fresh=False)
        drop_indices(engine)


def _cluster_manager(cluster: NodeProcess) -> int:
    for url in cluster.spec.http_urls:
        try:
            answer = http_json(f"{url}/_cat/cluster_manager?format=json", timeout=10)
        except OSError:
            continue
        name = str(answer[0]["node"])
        return int(name.rsplit("-", 1)[1])
    raise AssertionError("no node of the cluster answers")


def test_cluster_keeps_searching_and_indexing_with_a_node_down(
    opensearch_cluster: NodeProcess,
) -> None:
    engine = new_engine("opensearch", shards=2, replicas=1, timeout=10, retries=3)
    stopped: int | None = None
    try:
        engine.rebuild(CATALOG)
        engine.backend.request(
            "GET", "/_cluster/health", None, {"wait_for_status": "green", "timeout": "60s"}
        )
        assert len(opensearch_cluster.spec.http_urls) == 3

        stopped = _cluster_manager(opensearch_cluster)  # the hardest node to lose
        opensearch_cluster.stop_node(stopped)
        assert [node["running"] for node in opensearch_cluster.nodes()].count(True) == 2

        for _ in range(10):  # every answer is complete, whichever node the client asks
            result = engine.search(SearchQuery(text="", facets=()))
            assert result.total == len(CATALOG)
        assert _found(engine, "мука") == [FLOUR]
        newer = dataclasses.replace(by_id(FLOUR), version=3)
        assert engine.index([newer]).indexed == 1
        assert engine.indexed_versions()[FLOUR] == 3
        health = engine.health()
        assert health.ok and "(2 nodes)" in health.detail and health.detail.endswith("is yellow")

        opensearch_cluster.start_node(stopped)
        stopped = None
        engine.backend.request(
            "GET", "/_cluster/health", None, {"wait_for_status": "green", "timeout": "60s"}
        )
        detail = engine.health().detail
        assert detail.startswith("cluster tianshan-test (3 nodes): index ") and detail.endswith("is green")
        assert engine.indexed_versions()[FLOUR] == 3
    finally:
        if stopped is not None:
            opensearch_cluster.start_node(stopped)
        drop_indices(engine)
