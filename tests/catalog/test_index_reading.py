"""A drain that reads the next batch's products in a process of its own delivers what one
reading them itself would: the same documents, the newest versions, the archived removed."""

from __future__ import annotations

import logging
import typing as t

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from catalog.db import get_db
from catalog.db import make_engine
from catalog.models import Product
from catalog.searching import get_search
from catalog.services import indexing
from catalog.services import products
from catalog.services.images import thumbnail_urls
from catalog.services.index_reading import ReadAhead
from catalog.services.index_reading import read_documents
from search import BulkReport
from search import PreparesDocuments
from search import SearchDocument
from search.fts5_rebuild import analyze_all
from tests.catalog.payloads import product
from tests.conftest import Tokens

COUNT = 10


@pytest.fixture
def catalog_ids(app: Flask, client: FlaskClient, tokens: Tokens) -> list[int]:
    """Ten published products, indexed as they were created."""
    ids = []
    for number in range(COUNT):
        body = product(
            sku=f"KZ-FLOUR-{number:03d}",
            barcode=None,
            content={"ru": {"name": f"Мука пшеничная сорт {number}", "description": "", "highlights": []}},
            source_locale="ru",
        )
        response = client.post("/api/v1/products", json=body, headers=tokens.headers("editor"))
        assert response.status_code == 201, response.json
        ids.append(response.json["id"])
    return ids


def test_documents_read_ahead_are_those_read_here(app: Flask, catalog_ids: list[int]) -> None:
    with app.app_context():
        sessions = get_db().write_sessions
        with ReadAhead(sessions, thumbnail_urls) as reader, sessions() as session:
            assert reader.active
            reader.ahead(catalog_ids[:6])
            ahead = reader.documents(session, catalog_ids[:4])
            assert reader.served == 4
            here = read_documents(session, catalog_ids[:4], thumbnail_urls)
    assert list(ahead) == catalog_ids[:4]
    assert ahead == here
    assert all(doc is not None and doc.id == pid for pid, doc in ahead.items())


def test_documents_read_ahead_are_analysed_there_when_the_batch_is_the_one_read(
    app: Flask, catalog_ids: list[int]
) -> None:
    with app.app_context():
        sessions = get_db().write_sessions
        with ReadAhead(sessions, thumbnail_urls, analyze_all) as reader, sessions() as session:
            reader.ahead(catalog_ids[:4])
            docs = reader.documents(session, catalog_ids[:4])
            assert reader.prepared == analyze_all([doc for doc in docs.values() if doc is not None])
            assert len(reader.prepared[0]) == 4
            reader.ahead(catalog_ids[4:8])
            reader.documents(session, catalog_ids[4:7])  # not the batch read ahead: analysed here
            assert reader.prepared is None


def test_a_drain_reading_ahead_delivers_the_newest_versions_and_removes_the_archived(
    app: Flask, catalog_ids: list[int], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        engine = get_search().engine
        assert isinstance(engine, PreparesDocuments)
        analysed_here: list[int] = []
        index = engine.index

        def counted(docs: t.Sequence[SearchDocument]) -> BulkReport:
            analysed_here.extend(doc.id for doc in docs)
            return index(docs)

        monkeypatch.setattr(engine, "index", counted)
        with get_db().write_sessions() as session, session.begin():
            indexing.enqueue_many(session, catalog_ids[1:])  # the archive enqueues the first
            first, last = (_product(session, pid) for pid in (catalog_ids[0], catalog_ids[-1]))
            products.archive_product(session, first, None)
            last.stock += 1
            last.version += 1  # a change the index has not seen: only the drain brings it
        before = engine.indexed_versions()
        assert before[catalog_ids[-1]] == 1
        with caplog.at_level(logging.WARNING):
            report = indexing.drain(get_db().write_sessions, engine, batch=3, read_ahead=True)
        with get_db().write_sessions() as session:
            wanted = indexing.published_versions(session)
    assert (report.indexed, report.deleted, report.failed, report.pending) == (COUNT - 1, 1, 0, 0)
    assert report.read_ahead == COUNT - 3  # every batch of three entries after the first
    # the published products of every batch after the first were analysed there too
    assert analysed_here == catalog_ids[1:4]
    assert engine.indexed_versions() == wanted
    assert wanted[catalog_ids[-1]] == 2 and catalog_ids[0] not in wanted
    assert not [r for r in caplog.records if r.name == "catalog.services.index_reading"]


def test_a_read_ahead_that_fails_leaves_the_reading_to_the_drain(
    app: Flask, catalog_ids: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    def no_thumbnails(_session: Session, _ids: t.Sequence[int]) -> dict[int, str]:
        return {}  # a local function: it cannot be sent to another process

    with app.app_context():
        with get_db().write_sessions() as session, session.begin():
            indexing.enqueue_many(session, catalog_ids)
        with caplog.at_level(logging.WARNING):
            report = indexing.drain(
                get_db().write_sessions,
                get_search().engine,
                batch=3,
                read_ahead=True,
                thumbnails=no_thumbnails,
            )
    assert (report.indexed, report.failed, report.pending, report.read_ahead) == (COUNT, 0, 0, 0)
    warnings = [r for r in caplog.records if r.name == "catalog.services.index_reading"]
    assert len(warnings) == 1 and "read in this process only" in warnings[0].getMessage()


def test_an_in_memory_database_is_read_in_this_process() -> None:
    engine = make_engine("sqlite://")
    try:
        with ReadAhead(sessionmaker(engine), None) as reader:
            assert not reader.active
            reader.ahead([1, 2])  # nothing to start
            assert not reader.active
    finally:
        engine.dispose()


def _product(session: Session, product_id: int) -> Product:
    found = session.scalar(sa.select(Product).where(Product.id == product_id))
    assert found is not None
    return found
