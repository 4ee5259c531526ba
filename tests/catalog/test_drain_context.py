"""The search sync after a request builds documents with the rates, category names and refund rules
it remembers (:func:`catalog.caches.document_context`), read again once one of their tables changes."""

from __future__ import annotations

import re
import typing as t
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_db
from tests.catalog.test_freshness import edit
from tests.catalog.test_products_api import create
from tests.catalog.test_products_api import set_rate
from tests.conftest import Tokens

#: A statement reading one of the tables a document's context comes from.
CONTEXT_READ = re.compile(r"\bFROM (exchange_rates|categories|tax_refund_limits|tax_refund_rates|booths)\b")
#: The drain's first statement: the entries that are due.
DRAIN_START = re.compile(r"^SELECT .* FROM search_outbox\b")


def statements_of(app: Flask, action: t.Callable[[], object]) -> list[str]:
    """The SQL the app's database engine ran during *action*, whitespace collapsed."""
    ran: list[str] = []

    def note(_conn: t.Any, _cursor: t.Any, statement: str, *_args: t.Any) -> None:
        ran.append(" ".join(statement.split()))

    with app.app_context():
        engine = get_db().engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    return ran


def found_in_price_range(client: FlaskClient, **bounds: str) -> bool:
    query = urlencode({"q": "мука", "currency": "CNY", **bounds})
    body = client.get(f"/api/v1/search?{query}").json
    assert body is not None
    return bool(body["items"])


def test_the_sync_after_a_change_reads_no_rates_names_or_rules_while_their_tables_are_unchanged(
    app: Flask, tokens: Tokens
) -> None:
    client = app.test_client()
    created = create(client, tokens)
    first = edit(client, tokens, created.json["id"], created, {"stock": 1})  # the sync reads them once

    ran = statements_of(app, lambda: edit(client, tokens, created.json["id"], first, {"stock": 2}))

    start = next(i for i, statement in enumerate(ran) if DRAIN_START.search(statement))
    drained = ran[start:]
    assert any(re.search(r"\bFROM products\b", statement) for statement in drained)  # it read the product
    assert [statement for statement in drained if CONTEXT_READ.search(statement)] == []


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


def test_the_sync_reads_rates_names_and_rules_again_on_the_connection_it_writes_with(
    app: Flask, tokens: Tokens
) -> None:
    """A sync holds SQLite's write lock: had it to wait for a second connection from the pool, while
    every request that writes held one waiting for that lock, neither would go on."""
    client = app.test_client()
    created = create(client, tokens)
    read = edit(client, tokens, created.json["id"], created, {"stock": 1})
    set_rate(client, tokens, "KZT", "74")  # a table of the context changed: the next sync reads it again
    with app.app_context():
        engine = get_db().engine
    out, most = [0], [0]

    def checked_out(*_args: t.Any) -> None:
        out[0] += 1
        most[0] = max(most[0], out[0])

    def checked_in(*_args: t.Any) -> None:
        out[0] -= 1

    sa.event.listen(engine, "checkout", checked_out)
    sa.event.listen(engine, "checkin", checked_in)
    try:
        ran = statements_of(app, lambda: edit(client, tokens, created.json["id"], read, {"stock": 2}))
    finally:
        sa.event.remove(engine, "checkout", checked_out)
        sa.event.remove(engine, "checkin", checked_in)
    start = next(i for i, statement in enumerate(ran) if DRAIN_START.search(statement))
    assert any(CONTEXT_READ.search(statement) for statement in ran[start:])  # read again, as it must be
    assert most[0] == 1
