"""Bulk answers of a cluster: a refused document is that document's failure, a cluster that
cannot take writes is :class:`SearchUnavailable` for the whole call (no server needed)."""

from __future__ import annotations

import pytest

from search import SearchUnavailable
from search.server_engine import ServerEngine
from tests.search.contract.catalog import FLOUR
from tests.search.contract.catalog import KAZY
from tests.search.contract.catalog import TEA
from tests.search.contract.catalog import by_id
from tests.support.search_stub import StubBackend


def _engine(statuses: dict[int, int]) -> tuple[ServerEngine, StubBackend]:
    backend = StubBackend(statuses)
    return ServerEngine(backend), backend


def test_a_refused_document_fails_alone() -> None:
    engine, _ = _engine({KAZY: 400})
    report = engine.index([by_id(FLOUR), by_id(KAZY), by_id(TEA)])
    assert report.indexed == 2
    assert [doc_id for doc_id, _ in report.failed] == [KAZY]
    assert "document_parsing_exception" in report.failed[0][1]


@pytest.mark.parametrize("status", [429, 503])
def test_items_the_cluster_cannot_take_make_the_whole_write_unavailable(status: int) -> None:
    engine, backend = _engine({KAZY: status, TEA: 400})
    with pytest.raises(SearchUnavailable, match=rf"could not take 1 bulk items \({status}\)"):
        engine.index([by_id(FLOUR), by_id(KAZY), by_id(TEA)])
    assert backend.sent == [("index", FLOUR), ("index", KAZY), ("index", TEA)]  # the bulk went through


def test_deletes_the_cluster_cannot_take_are_unavailable_too() -> None:
    engine, _ = _engine({TEA: 503})
    with pytest.raises(SearchUnavailable, match="primary shard is not active"):
        engine.delete([FLOUR, TEA])
    report = ServerEngine(StubBackend({TEA: 404})).delete([FLOUR, TEA])  # unknown ids are no error
    assert (report.indexed, report.failed) == (2, ())
