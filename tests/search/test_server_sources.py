"""How many processes build a rebuild's documents for Elasticsearch and OpenSearch."""

from __future__ import annotations

import os

import pytest

from search import engine_from_url
from search.server_engine import ServerEngine
from search.server_sources import default_workers


@pytest.mark.parametrize(
    ("cores", "hosts", "workers"),
    [
        (4, ["http://127.0.0.1:9200"], 3),
        (4, ["http://search-1:9200", "http://localhost:9201"], 3),
        (4, ["https://[::1]:9200"], 3),
        (4, ["http://search-1:9200", "http://search-2:9200"], 4),
        (4, [], 4),
        (2, ["http://127.0.0.1:9200"], 1),
        (1, ["http://127.0.0.1:9200"], 1),
    ],
)
def test_a_node_on_this_machine_keeps_a_core_of_its_own(
    monkeypatch: pytest.MonkeyPatch, cores: int, hosts: list[str], workers: int
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert default_workers(hosts) == workers


@pytest.mark.parametrize("scheme", ["elasticsearch", "opensearch"])
def test_an_engine_on_loopback_builds_with_one_process_fewer(
    monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    local, remote = (
        engine_from_url(f"{scheme}://{hosts}") for hosts in ("127.0.0.1:9200", "s1:9200,s2:9200")
    )
    assert isinstance(local, ServerEngine) and isinstance(remote, ServerEngine)
    assert (local.builders, remote.builders) == (7, 8)
