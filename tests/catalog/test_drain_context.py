"""The search sync after a request builds documents with the rates, category names and refund rules
it remembers (:func:`catalog.caches.remembered_document_context`), read again once one of their
tables changes, on the connection the sync writes with."""

from __future__ import annotations

import dataclasses
import re
import typing as t
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_db
from catalog.services import indexing
from tests.catalog.test_freshness import edit
from tests.catalog.test_products_api import create
from tests.catalog.test_products_api import set_rate
from tests.catalog.test_tax_refund_products import qualify
from tests.catalog.test_tax_refund_search import patch
from tests.catalog.test_tax_refund_search import refund_ids
from tests.conftest import Tokens
from tests.support.statements import statements_run

#: A statement reading one of the tables a document's context comes from.
CONTEXT_READ = re.compile(r"\bFROM (exchange_rates|categories|tax_refund_limits|tax_refund_rates|booths)\b")


@dataclasses.dataclass
class Syncs:
    """What the syncs after requests did while watched."""

    statements: list[str] = dataclasses.field(default_factory=list)
    #: The most pool connections a sync had out at once, beyond those out when it began.
    most_connections: int = 0


@pytest.fixture
def syncs(app: Flask, monkeypatch: pytest.MonkeyPatch) -> t.Iterator[Syncs]:
    """Watches every :func:`catalog.services.indexing.drain` the app runs after a request."""
    watched = Syncs()
    with app.app_context():
        engine = get_db().engine
    out = [0]
    drain = indexing.drain

    def checked_out(*_args: t.Any) -> None:
        out[0] += 1

    def checked_in(*_args: t.Any) -> None:
        out[0] -= 1

    def watching(*args: t.Any, **kwargs: t.Any) -> indexing.DrainReport:
        began = out[0]

        def most(*_args: t.Any) -> None:
            watched.most_connections = max(watched.most_connections, out[0] - began)

        sa.event.listen(engine, "checkout", most)
        try:
            with statements_run(engine) as ran:
                return drain(*args, **kwargs)
        finally:
            sa.event.remove(engine, "checkout", most)
            watched.statements += ran

    sa.event.listen(engine, "checkout", checked_out)
    sa.event.listen(engine, "checkin", checked_in)
    monkeypatch.setattr(indexing, "drain", watching)
    try:
        yield watched
    finally:
        sa.event.remove(engine, "checkout", checked_out)
        sa.event.remove(engine, "checkin", checked_in)


def found_in_price_range(client: FlaskClient, **bounds: str) -> bool:
    body = client.get(f"/api/v1/search?{urlencode({'q': 'мука', 'currency': 'CNY', **bounds})}").json
    assert body is not None
    return bool(body["items"])


def test_the_sync_after_a_change_reads_no_rates_names_or_rules_while_their_tables_are_unchanged(
    app: Flask, tokens: Tokens, syncs: Syncs
) -> None:
    client = app.test_client()
    created = create(client, tokens)  # its sync reads them
    syncs.statements.clear()

    edit(client, tokens, created.json["id"], created, {"stock": 2})

    assert any(re.search(r"\bFROM products\b", statement) for statement in syncs.statements)
    assert [statement for statement in syncs.statements if CONTEXT_READ.search(statement)] == []


def test_the_sync_reads_them_again_on_the_connection_it_writes_with(
    app: Flask, tokens: Tokens, syncs: Syncs
) -> None:
    """A sync holds SQLite's write lock: had it to wait for a second connection from the pool, while
    every request that writes held one waiting for that lock, neither would go on."""
    client = app.test_client()
    created = create(client, tokens)
    set_rate(client, tokens, "KZT", "74")  # a table of the context changed: the next sync reads it again
    syncs.statements.clear()

    edit(client, tokens, created.json["id"], created, {"stock": 2})

    assert any(CONTEXT_READ.search(statement) for statement in syncs.statements)
    assert syncs.most_connections == 1


def test_the_sync_prices_documents_with_rates_another_worker_changed_since_it_last_read_them(
    app: Flask, other_worker: Flask, tokens: Tokens
) -> None:
    client, other = app.test_client(), other_worker.test_client()
    set_rate(client, tokens, "KZT", "74")
    created = create(client, tokens, price={"amount": "1850.00", "currency": "KZT"})  # 25 yuan
    read = edit(client, tokens, created.json["id"], created, {"stock": 1})
    assert found_in_price_range(client, price_max="25.50")

    etag = other.get("/api/v1/rates/KZT").headers["ETag"]
    changed = other.put(
        "/api/v1/rates/KZT", json={"per_cny": "70"}, headers={**tokens.headers("admin"), "If-Match": etag}
    )
    assert changed.status_code == 200, changed.json
    # this worker's sync builds the product's document again: at 70 tenge it costs 26.43 yuan
    edit(client, tokens, created.json["id"], read, {"stock": 2})

    assert not found_in_price_range(client, price_max="25.50")
    assert found_in_price_range(client, price_min="26.40", price_max="26.50")


def test_the_sync_keeps_a_refund_another_worker_allowed_since_it_last_read_the_rules(
    app: Flask, other_worker: Flask, tokens: Tokens
) -> None:
    client, other = app.test_client(), other_worker.test_client()
    flour = create(client, tokens).json  # its sync reads the rules: no booth qualifies yet
    assert refund_ids(client) == set()

    qualify(other, tokens, "kazakhstan")
    # this worker's sync builds the flour's document again, with the booth qualified
    patch(client, tokens, flour["id"], stock=3)

    assert refund_ids(client) == {flour["id"]}
