"""Writes are visible on return; deletes, versions, health and rebuilds."""

from __future__ import annotations

import dataclasses
import threading

from search import LocalizedText
from search import SearchEngine
from search import SearchResult
from tests.search.contract import catalog as c
from tests.search.contract.helpers import found
from tests.search.contract.helpers import run


def test_indexed_documents_are_searchable_on_return(engine: SearchEngine) -> None:
    report = engine.index([c.by_id(c.TEA)])
    assert (report.indexed, report.failed) == (1, ())
    assert found(engine, "чай") == [c.TEA]


def test_reindexing_replaces_the_document(engine: SearchEngine) -> None:
    engine.index(c.CATALOG)
    renamed = dataclasses.replace(
        c.by_id(c.TEA),
        version=2,
        texts={"en": LocalizedText("Assam green tea"), "ru": LocalizedText("Ассам зелёный")},
    )
    engine.index([renamed])
    assert c.TEA in found(engine, "Assam")
    assert c.TEA not in found(engine, "Крупнолистовой")
    assert engine.indexed_versions()[c.TEA] == 2


def test_delete(engine: SearchEngine) -> None:
    engine.index(c.CATALOG)
    engine.delete([c.TEA, 999_999])
    assert c.TEA not in found(engine, "чай")
    assert c.TEA not in engine.indexed_versions()
    assert run(engine, "").total == len(c.CATALOG) - 1


def test_indexed_versions(engine: SearchEngine) -> None:
    engine.index(c.CATALOG)
    assert engine.indexed_versions() == {doc.id: doc.version for doc in c.CATALOG}


def test_invalid_documents_are_reported_and_the_rest_indexed(engine: SearchEngine) -> None:
    nameless = dataclasses.replace(c.by_id(c.TEA), texts={"ru": LocalizedText("  ")})
    report = engine.index([nameless, c.by_id(c.FLOUR)])
    assert report.indexed == 1
    assert report.failed == ((c.TEA, "the product has no name in any locale"),)
    assert found(engine, "muka") == [c.FLOUR]


def test_health(engine: SearchEngine) -> None:
    engine.index(c.CATALOG[:3])
    health = engine.health()
    assert health.ok
    assert health.engine == engine.name
    assert health.documents == 3


def test_rebuild_replaces_the_whole_index(engine: SearchEngine) -> None:
    engine.index(c.CATALOG)
    seen: list[int] = []
    report = engine.rebuild(iter(c.CATALOG[:5]), progress=seen.append)
    assert (report.indexed, report.failed) == (5, ())
    assert seen[-1] == 5
    assert seen == sorted(seen)
    assert engine.indexed_versions() == {doc.id: doc.version for doc in c.CATALOG[:5]}
    assert run(engine, "").total == 5


def test_searches_keep_answering_during_a_rebuild(engine: SearchEngine) -> None:
    engine.index(c.CATALOG)
    stop = threading.Event()
    answers: list[SearchResult] = []
    errors: list[BaseException] = []

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                answers.append(run(engine, "шоколад"))
            except BaseException as error:  # any failure fails the test
                errors.append(error)

    def slow_catalog() -> object:
        for doc in c.CATALOG * 3:
            yield dataclasses.replace(doc, version=2)

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        engine.rebuild(slow_catalog())  # type: ignore[arg-type]
    finally:
        stop.set()
        searcher.join()
    assert errors == []
    assert answers
    assert all({c.DARK_CHOCOLATE, c.MILK_CHOCOLATE} <= {h.id for h in a.hits} for a in answers)
    assert set(engine.indexed_versions().values()) == {2}
