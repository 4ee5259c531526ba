"""``tianshan search reindex`` killed halfway: the old index answers, the next reindex cleans up.

The catalog is seeded straight into the database, a first reindex builds the old index, more
products are published behind the indexer's back (only a reindex brings them in), and a
second reindex runs as its own process until it is SIGKILLed in the middle of its load.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import typing as t
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog import create_app
from catalog.db import get_session
from catalog.models import Product
from catalog.models import ProductContent
from catalog.models import ProductStatus
from catalog.models import utcnow
from catalog.services.categories import ensure_category
from search.dsl import index_body
from search.fts5_schema import TableSet
from search.fts5_schema import create_table_set
from search.server_engine import IndexMissing
from search.server_engine import ServerEngine
from tests.catalog.payloads import product
from tests.conftest import EnglishClient
from tests.conftest import Tokens
from tests.search.engines import servers
from tests.search.engines.conftest import ENGINE_CLASSES
from tests.search.engines.conftest import drop_indices

REPO = Path(__file__).resolve().parents[2]
#: Seconds to wait for the reindex process to get into its load.
LOAD_DEADLINE = 60.0


@dataclasses.dataclass(frozen=True)
class Setup:
    """One engine under test and the catalog sizes that keep its reindex busy for seconds."""

    engine: str
    built: int  # products in the old index
    added: int  # products published after it, behind the indexer's back


@pytest.fixture(
    params=[
        pytest.param(Setup("embedded", built=2000, added=4000), id="embedded"),
        pytest.param(
            Setup("elasticsearch", built=600, added=1900), id="elasticsearch", marks=pytest.mark.engines
        ),
    ]
)
def setup(request: pytest.FixtureRequest) -> Setup:
    return t.cast(Setup, request.param)


def _publish(app: Flask, first: int, count: int, name: str) -> None:
    """Insert *count* published products from id *first* on, without outbox entries."""
    with app.app_context():
        session = get_session()
        category = ensure_category(session, "food.grain").id
        now = utcnow()
        ids = range(first, first + count)
        session.execute(
            sa.insert(Product),
            [
                {
                    "id": i,
                    "sku": f"KZ-BULK-{i:06d}",
                    "source_locale": "ru",
                    "origin_country": "KZ",
                    "category_id": category,
                    "status": ProductStatus.PUBLISHED,
                    "stock": 10,
                    "tags": [],
                    "price_amount": Decimal("25.00") + i % 100,
                    "price_currency": "CNY",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in ids
            ],
        )
        session.execute(
            sa.insert(ProductContent),
            [
                {
                    "product_id": i,
                    "locale": "ru",
                    "name": f"{name} {i}",
                    "description": f"{name} из Казахстана, партия {i}.",
                    "highlights": [],
                    "state": "approved",
                    "hidden_until_reviewed": False,
                    "updated_at": now,
                }
                for i in ids
            ],
        )
        session.commit()


def _total(client: FlaskClient, text: str = "") -> int:
    response = client.get("/api/v1/search", query_string={"q": text, "limit": 1})
    assert response.status_code == 200, response.json
    return int(response.json["total"])


class Leftovers:
    """What a reindex builds beside the live index, read from outside the app."""

    def __init__(self, setup: Setup, search_url: str, alias: str) -> None:
        self.setup = setup
        self.search_url = search_url
        self.alias = alias

    def _server(self) -> ServerEngine:
        return ENGINE_CLASSES[self.setup.engine](self.search_url, index=self.alias, timeout=15)

    def _meta(self) -> tuple[dict[str, str], set[str]]:
        path = self.search_url.removeprefix("sqlite://")
        with sqlite3.connect(path, timeout=30) as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            names = {
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE name LIKE 'docs\\_%' ESCAPE '\\'"
                )
            }
        conn.close()
        return meta, {name for name in names if name.removeprefix("docs_").isdigit()}

    def live(self) -> list[str]:
        """The live index (server) or table set (embedded)."""
        if self.setup.engine == "embedded":
            return [f"docs_{self._meta()[0]['live']}"]
        engine = self._server()
        try:
            return engine.live_indices()
        finally:
            engine.close()

    def all(self) -> set[str]:
        """Every index (server) or table set (embedded) of the alias, live or not."""
        if self.setup.engine == "embedded":
            return self._meta()[1]
        engine = self._server()
        try:
            rows = engine.backend.request("GET", f"/_cat/indices/{self.alias}-*", None, {"format": "json"})
            return {str(row["index"]) for row in rows}
        finally:
            engine.close()

    def loaded(self) -> int:
        """Documents the running reindex has written so far (0 before it starts loading)."""
        if self.setup.engine == "embedded":
            meta, _ = self._meta()
            if not meta.get("building"):
                return 0
            path = self.search_url.removeprefix("sqlite://")
            with sqlite3.connect(path, timeout=30) as conn:
                count = int(conn.execute(f"SELECT count(*) FROM docs_{int(meta['building'])}").fetchone()[0])
            conn.close()
            return count
        engine = self._server()
        try:
            aliases = engine.backend.request("GET", f"/_alias/{engine.loading_alias}")
            stats = engine.backend.request("GET", f"/{','.join(aliases)}/_stats/indexing")
        except IndexMissing:  # the load has not begun
            return 0
        finally:
            engine.close()
        return int(
            stats["_all"]["primaries"].get("indexing", {}).get("index_total", 0)
        )  # {} until the shard starts


def _reindex_process(
    app_config: dict[str, t.Any], search_url: str, options: dict[str, t.Any], tmp_path: Path
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TIANSHAN_DATABASE_URL": app_config["DATABASE_URL"],
        "TIANSHAN_SEARCH_URL": search_url,
        "TIANSHAN_SEARCH_OPTIONS": json.dumps(options),
        "TIANSHAN_INSTANCE_PATH": str(tmp_path / "reindex"),
        "TIANSHAN_SECRET_KEY": "x",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "catalog.cli", "search", "reindex"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_reindex_killed_halfway_changes_nothing_and_the_next_one_cleans_up(
    setup: Setup, app_config: dict[str, t.Any], tokens: Tokens, tmp_path: Path
) -> None:
    alias = f"test-{uuid.uuid4().hex[:12]}"
    if setup.engine == "embedded":
        search_url, options = app_config["SEARCH_URL"], {}
    else:
        search_url, options = servers.search_url(setup.engine), {"index": alias, "timeout": 30}
    app = create_app(
        {**app_config, "SEARCH_URL": search_url, "SEARCH_OPTIONS": options},
        instance_path=str(tmp_path / "app"),
    )
    app.test_client_class = EnglishClient
    leftovers = Leftovers(setup, search_url, alias)
    try:
        _publish(app, 1, setup.built, "Булгур")
        first = app.test_cli_runner().invoke(args=["search", "reindex"])
        assert first.exit_code == 0, first.output
        _publish(app, setup.built + 1, setup.added, "Кускус")
        client = app.test_client()
        assert _total(client) == setup.built
        old = leftovers.live()
        assert leftovers.all() == set(old)

        process = _reindex_process(app_config, search_url, options, tmp_path)
        deadline = time.monotonic() + LOAD_DEADLINE
        while (loaded := leftovers.loaded()) < 500:
            assert process.poll() is None, process.communicate()[0].decode()
            assert time.monotonic() < deadline, "the reindex did not start loading"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        output = process.communicate(timeout=30)[0].decode()
        assert process.returncode == -signal.SIGKILL, output
        assert "the new index is live" not in output
        assert loaded < setup.built + setup.added, "the reindex finished before it was killed"

        # the old index answers, whole: nothing of the half-built one shows
        assert leftovers.live() == old
        assert _total(client) == setup.built
        assert _total(client, "булгур") == setup.built
        assert _total(client, "кускус") == 0
        half_built = leftovers.all() - set(old)
        assert len(half_built) == 1, half_built  # left for the next reindex to drop
        assert app.test_cli_runner().invoke(args=["search", "check"]).exit_code == 1  # drift: the added ones

        # writes go on meanwhile, and are searchable at once
        created = client.post(
            "/api/v1/products",
            json=product(
                sku="KZ-RICE-001", barcode=None, content={"ru": {"name": "Рис басмати"}}, source_locale="ru"
            ),
            headers=tokens.headers("editor"),
        )
        assert created.status_code == 201, created.json
        assert _total(client, "басмати") == 1

        second = app.test_cli_runner().invoke(args=["search", "reindex"])
        assert second.exit_code == 0, second.output
        everything = setup.built + setup.added + 1
        assert f"Indexed {everything} published products" in second.output
        assert _total(client) == everything
        assert _total(client, "кускус") == setup.added
        assert leftovers.all() == set(leftovers.live())  # the half-built and the old one are gone
        check = app.test_cli_runner().invoke(args=["search", "check"])
        assert check.exit_code == 0 and "No drift." in check.output, check.output
    finally:
        app.extensions["search"].close()
        app.extensions["db"].dispose()
        if setup.engine != "embedded":
            drop_indices(ENGINE_CLASSES[setup.engine](search_url, index=alias, timeout=15))


def _leave_behind(setup: Setup, search_url: str, alias: str) -> str:
    """Put back an old index beside the live one, as a reindex killed right after its swap leaves it."""
    if setup.engine == "embedded":
        path = search_url.removeprefix("sqlite://")
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            live = int(conn.execute("SELECT value FROM meta WHERE key = 'live'").fetchone()[0])
            conn.execute("BEGIN IMMEDIATE")
            create_table_set(conn, TableSet(live - 1))
            conn.execute("COMMIT")
        finally:
            conn.close()
        return f"docs_{live - 1}"
    engine = ENGINE_CLASSES[setup.engine](search_url, index=alias, timeout=15)
    try:
        name = f"{alias}-20000101000000000000"  # the stamp of an index older than the live one
        engine.backend.request("PUT", f"/{name}", index_body(), {"wait_for_active_shards": "1"})
    finally:
        engine.close()
    return name


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_old_index_left_by_a_reindex_killed_after_its_swap_is_dropped_by_the_next(
    setup: Setup, app_config: dict[str, t.Any], tmp_path: Path
) -> None:
    alias = f"test-{uuid.uuid4().hex[:12]}"
    if setup.engine == "embedded":
        search_url, options = app_config["SEARCH_URL"], {}
    else:
        search_url, options = servers.search_url(setup.engine), {"index": alias, "timeout": 30}
    app = create_app(
        {**app_config, "SEARCH_URL": search_url, "SEARCH_OPTIONS": options},
        instance_path=str(tmp_path / "app"),
    )
    leftovers = Leftovers(setup, search_url, alias)
    try:
        _publish(app, 1, 20, "Булгур")
        assert app.test_cli_runner().invoke(args=["search", "reindex"]).exit_code == 0
        stray = _leave_behind(setup, search_url, alias)
        assert leftovers.all() == {*leftovers.live(), stray}

        again = app.test_cli_runner().invoke(args=["search", "reindex"])
        assert again.exit_code == 0, again.output
        assert leftovers.all() == set(leftovers.live())
        assert stray not in leftovers.all()
        assert _total(app.test_client()) == 20
    finally:
        app.extensions["search"].close()
        app.extensions["db"].dispose()
        if setup.engine != "embedded":
            drop_indices(ENGINE_CLASSES[setup.engine](search_url, index=alias, timeout=15))
