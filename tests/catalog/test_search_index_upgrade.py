"""An embedded index written by an earlier release: searches say how to rebuild it, and `db upgrade` does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner

from tests.catalog.test_streams_helpers import add_product
from tests.conftest import Tokens

#: The full-text columns of the release before names of places, categories and brands had their own.
EARLIER_COLUMNS = "nx, ns, nk, hx, hs, hk, dx, ds, dk"


def _write_as_earlier_release(index: Path) -> None:
    """Give the live table set the full-text table of the earlier release (emptied, as a rebuild would find it)."""
    conn = sqlite3.connect(index, isolation_level=None)
    try:
        live = conn.execute("SELECT value FROM meta WHERE key = 'live'").fetchone()[0]
        conn.execute(f"DROP TABLE fts_{live}")
        conn.execute(f"CREATE VIRTUAL TABLE fts_{live} USING fts5({EARLIER_COLUMNS})")
    finally:
        conn.close()


def _flour_ids(client: FlaskClient) -> list[int]:
    found = client.get("/api/v1/search?q=мука&locale=ru")
    assert found.status_code == 200, found.json
    return [item["id"] for item in found.json["items"]]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_index_of_an_earlier_release_is_rebuilt_by_db_upgrade(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, tokens: Tokens
) -> None:
    flour = add_product(client, tokens, "KZ-UPGRADE-1")
    assert _flour_ids(client) == [flour]
    _write_as_earlier_release(Path(app.config["SEARCH_URL"].removeprefix("sqlite:///")))

    refused = client.get("/api/v1/search?q=пшеничная&locale=ru")  # not an answer remembered
    assert refused.status_code == 503
    assert "tianshan search reindex" in refused.json["engine_error"]

    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "written by an earlier release; rebuilding it" in upgraded.output
    assert "Indexed 1 published products" in upgraded.output
    assert _flour_ids(client) == [flour]

    again = runner.invoke(args=["db", "upgrade"])
    assert again.exit_code == 0, again.output
    assert "rebuilding" not in again.output
