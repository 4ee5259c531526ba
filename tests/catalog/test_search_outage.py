"""A search engine outage under the HTTP API: writes go on, search says so, no change is lost.

Runs against the session's real nodes (``tests.search.engines.servers``). The Elasticsearch
node is stopped and started again on its ports, as in ``test_failover``; the OpenSearch
cluster serves other tests on three nodes, so its outage is an app pointed at a closed port,
with the same database and outbox, and the recovery an app pointed at the cluster.
"""

from __future__ import annotations

import contextlib
import typing as t
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from catalog import create_app
from catalog.db import get_session
from catalog.models import OutboxEntry
from catalog.services.indexing import backlog
from tests.catalog.payloads import product
from tests.conftest import EnglishClient
from tests.conftest import Tokens
from tests.search.engines import servers
from tests.search.engines.conftest import ENGINE_CLASSES
from tests.search.engines.conftest import drop_indices
from tests.support.postgres import free_port

pytestmark = [pytest.mark.engines, pytest.mark.slow]


def _app(app_config: dict[str, t.Any], path: Path, url: str, alias: str) -> Flask:
    config = {**app_config, "SEARCH_URL": url, "SEARCH_OPTIONS": {"index": alias, "timeout": 3, "retries": 0}}
    app = create_app(config, instance_path=str(path))
    app.test_client_class = EnglishClient
    return app


def _close(app: Flask) -> None:
    app.extensions["search"].close()
    app.extensions["db"].dispose()


@contextlib.contextmanager
def _outage(
    engine: str, live: Flask, app_config: dict[str, t.Any], tmp_path: Path, alias: str
) -> t.Iterator[Flask]:
    """The app to write through while *engine* is unreachable; it is back on leaving."""
    if engine == "elasticsearch":
        node = servers.node(engine)
        node.stop()
        try:
            yield live
        finally:
            if not node.running():
                node.start(fresh=False)
        return
    down = _app(app_config, tmp_path / "down", f"{engine}://127.0.0.1:{free_port()}", alias)
    try:
        yield down
    finally:
        _close(down)


def _create(client: FlaskClient, tokens: Tokens, sku: str, ru: str, zh: str) -> TestResponse:
    body = product(
        sku=sku,
        barcode=None,
        content={"zh": {"name": zh, "description": ""}, "ru": {"name": ru, "description": ""}},
    )
    response = client.post("/api/v1/products", json=body, headers=tokens.headers("editor"))
    assert response.status_code == 201, response.json
    return response


def _skus(client: FlaskClient, text: str) -> list[str]:
    response = client.get("/api/v1/search", query_string={"q": text, "locale": "ru"})
    assert response.status_code == 200, response.json
    return [item["sku"] for item in response.json["items"]]


def _waiting(app: Flask) -> set[int]:
    with app.app_context():
        return set(get_session().scalars(sa.select(OutboxEntry.product_id)))


def _attempts(app: Flask) -> set[int]:
    with app.app_context():
        return set(get_session().scalars(sa.select(OutboxEntry.attempts)))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("engine", ["elasticsearch", "opensearch"])
def test_changes_made_while_search_is_down_all_reach_the_index(
    engine: str, app_config: dict[str, t.Any], tokens: Tokens, tmp_path: Path
) -> None:
    alias = f"test-{uuid.uuid4().hex[:12]}"
    live = _app(app_config, tmp_path / "live", servers.search_url(engine), alias)
    try:
        client = live.test_client()
        kept = _create(client, tokens, "KZ-GRAIN-001", "Гречка ядрица", "荞麦米")
        dropped = _create(client, tokens, "KZ-GRAIN-002", "Пшено шлифованное", "小米")
        assert _skus(client, "гречка") == ["KZ-GRAIN-001"]
        assert _skus(client, "пшено") == ["KZ-GRAIN-002"]

        with _outage(engine, live, app_config, tmp_path, alias) as down:
            client = down.test_client()
            added = _create(client, tokens, "KZ-GRAIN-003", "Овсянка геркулес", "燕麦片")
            patched = client.patch(
                kept.headers["Location"],
                json={"content": {"ru": {"name": "Перловка отборная"}, "zh": {"name": "珍珠大麦"}}},
                headers={**tokens.headers("editor"), "If-Match": kept.headers["ETag"]},
            )
            assert patched.status_code == 200, patched.json
            archived = client.delete(
                dropped.headers["Location"],
                headers={**tokens.headers("admin"), "If-Match": dropped.headers["ETag"]},
            )
            assert archived.status_code == 200, archived.json
            assert client.get(added.headers["Location"]).json["status"] == "published"

            search = client.get("/api/v1/search", query_string={"q": "овсянка"})
            assert search.status_code == 503
            assert search.mimetype == "application/problem+json"
            assert "Search is unavailable right now" in search.json["detail"]
            assert "unreachable" in search.json["engine_error"]
            assert search.headers["Retry-After"]
            assert client.get("/api/v1/search/suggest", query_string={"q": "ов"}).status_code == 503
            health = client.get("/healthz")
            assert health.status_code == 200 and health.json["status"] == "degraded"

            ids = {r.json["id"] for r in (kept, dropped, added)}
            assert _waiting(down) == ids
            runner = down.test_cli_runner()
            synced = runner.invoke(args=["search", "sync"])
            assert synced.exit_code == 1
            assert "indexed 0, removed 0, failed 0, waiting 3" in synced.output
            assert "The search engine is unavailable: no change was postponed" in synced.output
            # the requests' own drains and the sync met the engine down: no attempt counted
            assert _attempts(down) == {0}
            check = runner.invoke(args=["search", "check"])
            assert check.exit_code == 1 and "the search engine is unavailable" in check.output

        runner = live.test_cli_runner()
        synced = runner.invoke(args=["search", "sync"])  # once: everything goes, nothing waits
        assert synced.exit_code == 0, synced.output
        assert synced.output.splitlines() == ["indexed 2, removed 1, failed 0, waiting 0"]
        assert _waiting(live) == set()

        client = live.test_client()
        assert _skus(client, "овсянка") == ["KZ-GRAIN-003"]
        assert _skus(client, "перловка") == ["KZ-GRAIN-001"]
        assert _skus(client, "гречка") == []
        assert _skus(client, "пшено") == []
        assert _skus(client, "KZ-GRAIN-002") == []
        check = runner.invoke(args=["search", "check"])
        assert check.exit_code == 0, check.output
        assert "database: 2 published; index: 2 documents" in check.output and "No drift." in check.output
        with live.app_context():
            assert backlog(get_session()) == 0
    finally:
        _close(live)
        drop_indices(ENGINE_CLASSES[engine](servers.search_url(engine), index=alias, timeout=15))
