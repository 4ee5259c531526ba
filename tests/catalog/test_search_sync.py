"""The search outbox through an outage: nothing is postponed while the engine is down, one
``tianshan search sync`` delivers everything once it is back, a refused document backs off alone.

The outage is an app on the same database whose ``SEARCH_URL`` is a closed port; the engine
coming back is the suite's ``app``, on the embedded engine.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner
from werkzeug.test import TestResponse

from catalog import create_app
from catalog.db import get_db
from catalog.db import get_session
from catalog.models import OutboxEntry
from catalog.models import ProductContent
from catalog.models import utcnow
from catalog.services import indexing
from search import engine_from_url
from search.server_engine import ServerEngine
from tests.catalog.payloads import product
from tests.conftest import EnglishClient
from tests.conftest import Tokens
from tests.support.postgres import free_port
from tests.support.search_stub import StubBackend

#: ``(product id, attempts, next attempt, last error)`` of every waiting entry.
Schedule = set[tuple[int, int, dt.datetime, str | None]]


@pytest.fixture
def engine_down_app(app_config: dict[str, t.Any], tmp_path: Path) -> t.Iterator[Flask]:
    """The catalog on the same database, its search engine a closed port."""
    config = {
        **app_config,
        "SEARCH_URL": f"elasticsearch://127.0.0.1:{free_port()}",
        "SEARCH_OPTIONS": {"timeout": 1, "retries": 0},
    }
    app = create_app(config, instance_path=str(tmp_path / "down"))
    app.test_client_class = EnglishClient
    yield app
    app.extensions["search"].close()
    app.extensions["db"].dispose()


def _create(client: FlaskClient, tokens: Tokens, sku: str, ru: str) -> TestResponse:
    body = product(sku=sku, barcode=None, source_locale="ru", content={"ru": {"name": ru, "description": ""}})
    response = client.post("/api/v1/products", json=body, headers=tokens.headers("editor"))
    assert response.status_code == 201, response.json
    return response


def _archive(client: FlaskClient, tokens: Tokens, created: TestResponse) -> None:
    headers = {**tokens.headers("admin"), "If-Match": created.headers["ETag"]}
    response = client.delete(created.headers["Location"], headers=headers)
    assert response.status_code == 200, response.json


def _skus(client: FlaskClient, text: str) -> list[str]:
    response = client.get("/api/v1/search", query_string={"q": text, "locale": "ru"})
    assert response.status_code == 200, response.json
    return [item["sku"] for item in response.json["items"]]


def _schedule(app: Flask) -> Schedule:
    with app.app_context():
        rows = get_session().execute(
            sa.select(
                OutboxEntry.product_id,
                OutboxEntry.attempts,
                OutboxEntry.next_attempt_at,
                OutboxEntry.last_error,
            )
        )
        return {(int(pid), int(attempts), due, error) for pid, attempts, due, error in rows}


def _write_through_an_outage(app: Flask, down: Flask, tokens: Tokens) -> tuple[Schedule, set[int]]:
    """Index one product, then add two and archive the first while the engine is down."""
    kept = _create(app.test_client(), tokens, "KZ-GRAIN-001", "Гречка ядрица")
    assert _schedule(app) == set()
    client = down.test_client()
    added = [
        _create(client, tokens, "KZ-GRAIN-002", "Овсянка геркулес"),
        _create(client, tokens, "KZ-GRAIN-003", "Пшено шлифованное"),
    ]
    _archive(client, tokens, kept)
    assert client.get("/api/v1/search", query_string={"q": "овсянка"}).status_code == 503
    schedule = _schedule(down)
    ids = {kept.json["id"], *(r.json["id"] for r in added)}
    assert {pid for pid, *_ in schedule} == ids
    assert all(attempts == 0 and error is None for _, attempts, _, error in schedule)

    # a worker whose engine went down after it was set up tries every change, and stops
    gone = engine_from_url(down.config["SEARCH_URL"], **down.config["SEARCH_OPTIONS"])
    try:
        with down.app_context():
            report = indexing.drain(get_db().write_sessions, gone)
    finally:
        gone.close()
    assert report.unavailable and "unreachable" in (report.error or "")
    assert (report.indexed, report.deleted, report.failed, report.pending) == (0, 0, 0, 3)
    assert _schedule(down) == schedule  # the outage counted no attempt and moved no retry time
    return schedule, ids


def test_one_sync_after_an_outage_delivers_every_change(
    app: Flask, engine_down_app: Flask, tokens: Tokens, runner: FlaskCliRunner
) -> None:
    schedule, _ = _write_through_an_outage(app, engine_down_app, tokens)

    failed = engine_down_app.test_cli_runner().invoke(args=["search", "sync"])
    assert failed.exit_code == 1, failed.output
    assert "indexed 0, removed 0, failed 0, waiting 3 (engine: Elasticsearch at" in failed.output
    assert "The search engine is unavailable: no change was postponed" in failed.output
    assert _schedule(app) == schedule  # neither attempts nor retry times moved

    synced = runner.invoke(args=["search", "sync"])
    assert synced.exit_code == 0, synced.output
    assert synced.output.splitlines() == ["indexed 2, removed 1, failed 0, waiting 0"]
    assert _schedule(app) == set()
    client = app.test_client()
    assert _skus(client, "овсянка") == ["KZ-GRAIN-002"]
    assert _skus(client, "пшено") == ["KZ-GRAIN-003"]
    assert _skus(client, "гречка") == []
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0 and "No drift." in check.output, check.output


def test_the_first_request_after_an_outage_delivers_what_waited(
    app: Flask, engine_down_app: Flask, tokens: Tokens
) -> None:
    _write_through_an_outage(app, engine_down_app, tokens)
    client = app.test_client()
    _create(client, tokens, "KZ-GRAIN-004", "Перловка отборная")  # its drain sends every due change
    assert _schedule(app) == set()
    assert _skus(client, "овсянка") == ["KZ-GRAIN-002"]
    assert _skus(client, "перловка") == ["KZ-GRAIN-004"]
    assert _skus(client, "гречка") == []


def _hide_every_name(app: Flask, refused: int, fine: int) -> None:
    """Leave *refused* with no name search may show, so the engine refuses its document, and
    queue it with *fine* for the next drain."""
    with app.app_context():
        session = get_session()
        session.execute(
            sa.update(ProductContent)
            .where(ProductContent.product_id == refused)
            .values(hidden_until_reviewed=True)
        )
        indexing.enqueue(session, refused)
        indexing.enqueue(session, fine)
        session.commit()


def test_a_refused_document_backs_off_alone(app: Flask, tokens: Tokens, runner: FlaskCliRunner) -> None:
    client = app.test_client()
    refused = _create(client, tokens, "KZ-GRAIN-001", "Гречка ядрица").json["id"]
    fine = _create(client, tokens, "KZ-GRAIN-002", "Овсянка геркулес").json["id"]
    assert _schedule(app) == set()
    _hide_every_name(app, refused, fine)

    with app.app_context():
        before = utcnow()
        report = indexing.drain(get_db().write_sessions, app.extensions["search"].engine)
    assert (report.indexed, report.failed, report.pending, report.error) == (1, 1, 1, None)
    ((pid, attempts, due, error),) = _schedule(app)
    assert (pid, attempts, error) == (refused, 1, "the product has no name in any locale")
    assert due >= before + dt.timedelta(seconds=2)
    assert _skus(client, "овсянка") == ["KZ-GRAIN-002"]
    assert _skus(client, "гречка") == ["KZ-GRAIN-001"]  # its last good version stays searchable

    with app.app_context():  # the worker and the after-request drain leave it to its retry time
        again = indexing.drain(get_db().write_sessions, app.extensions["search"].engine)
    assert (again.indexed, again.failed, again.pending) == (0, 0, 1)
    assert _schedule(app) == {(pid, attempts, due, error)}

    synced = runner.invoke(args=["search", "sync"])  # a one-off sync tries it now all the same
    assert synced.exit_code == 0, synced.output
    assert synced.output.splitlines() == [
        "indexed 0, removed 0, failed 1, waiting 1",
        f"  product {refused} refused by the engine: the product has no name in any locale",
    ]
    ((_, attempts, later, _),) = _schedule(app)
    assert attempts == 2 and later > due


def test_a_cluster_that_cannot_take_the_bulk_postpones_nothing(app: Flask, tokens: Tokens) -> None:
    app.config["SEARCH_SYNC_AFTER_REQUEST"] = False
    client = app.test_client()
    ids = [_create(client, tokens, f"KZ-GRAIN-00{n}", f"Крупа {n}").json["id"] for n in (1, 2, 3)]
    waiting = _schedule(app)

    with app.app_context():
        down = indexing.drain(get_db().write_sessions, ServerEngine(StubBackend({ids[1]: 503})))
    assert down.unavailable and "primary shard is not active" in (down.error or "")
    assert (down.indexed, down.failed, down.pending) == (0, 0, 3)
    assert _schedule(app) == waiting

    with app.app_context():  # a mapping error is that document's alone
        mapped = indexing.drain(get_db().write_sessions, ServerEngine(StubBackend({ids[1]: 400})))
    assert (mapped.indexed, mapped.failed, mapped.pending, mapped.error) == (2, 1, 1, None)
    ((pid, attempts, _, error),) = _schedule(app)
    assert (pid, attempts) == (ids[1], 1) and error is not None and "document_parsing_exception" in error


class _Stop(Exception):
    """Ends a ``search sync --follow`` loop after a set number of sleeps."""


def _sleeps(monkeypatch: pytest.MonkeyPatch, count: int) -> list[float]:
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == count:
            raise _Stop

    monkeypatch.setattr("catalog.cli.search.time.sleep", sleep)
    return slept


def test_the_worker_backs_off_while_the_engine_is_down(
    engine_down_app: Flask, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    _create(engine_down_app.test_client(), tokens, "KZ-GRAIN-001", "Гречка ядрица")
    slept = _sleeps(monkeypatch, 8)
    follow = engine_down_app.test_cli_runner().invoke(args=["search", "sync", "--follow"])
    assert isinstance(follow.exception, _Stop)
    assert slept == [1, 2, 4, 8, 16, 30, 30, 30]
    assert follow.output.count("waiting 1 (engine: Elasticsearch at") == 1  # said once, not every try
    assert {attempts for _, attempts, _, _ in _schedule(engine_down_app)} == {0}


def test_the_worker_polls_at_its_interval_while_the_engine_answers(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept = _sleeps(monkeypatch, 3)
    follow = runner.invoke(args=["search", "sync", "--follow", "--interval", "0.2"])
    assert isinstance(follow.exception, _Stop)
    assert slept == [0.2, 0.2, 0.2] and follow.output == ""
