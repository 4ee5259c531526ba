"""Numbers in request bodies that a 32-bit column stores: one past its largest value is a 422
naming the field, never a database error (PostgreSQL refuses it, SQLite would not)."""

from __future__ import annotations

import typing as t

import pytest
from flask.testing import FlaskClient

from tests.catalog.test_streams_helpers import live_stream
from tests.catalog.test_translations_api import create
from tests.catalog.test_translations_api import etag
from tests.catalog.test_translations_api import put_text
from tests.conftest import Tokens

#: One more than a PostgreSQL ``integer`` holds.
TOO_LARGE = 2**31


def _text(client: FlaskClient, tokens: Tokens) -> tuple[str, dict[str, str]]:
    made = create(client, tokens)
    assert put_text(client, tokens, made["id"], name="Ұн 1").status_code == 200
    headers = tokens.headers("editor", **{"If-Match": etag(client, made["id"])})
    return f"/api/v1/products/{made['id']}/content/kk", headers


def _stream(client: FlaskClient, tokens: Tokens) -> tuple[str, dict[str, str]]:
    stream_id, _ = live_stream(client, tokens, count=1)
    return f"/api/v1/streams/{stream_id}", tokens.headers("admin", **{"If-Match": "*"})


#: (where, method, path under it, body, the field the answer names)
CASES: list[tuple[t.Callable[..., tuple[str, dict[str, str]]], str, str, dict[str, t.Any], str]] = [
    (_text, "POST", "/revert", {"revision": TOO_LARGE}, "revision"),
    (_text, "POST", "/review", {"revision": TOO_LARGE}, "revision"),
    (_text, "POST", "/reject", {"revision": TOO_LARGE, "note": "Ұзын"}, "revision"),
    (_stream, "PUT", "/lineup", {"product_ids": [TOO_LARGE]}, "product_ids.0"),
    (_stream, "PUT", "/lineup", {"items": [{"product_id": TOO_LARGE}]}, "items.0.product_id"),
    (_stream, "POST", "/lineup/items", {"product_id": TOO_LARGE}, "product_id"),
    (_stream, "POST", "/lineup/items", {"product_id": 1, "at": TOO_LARGE}, "at"),
    (_stream, "POST", "/cursor", {"action": "goto", "position": TOO_LARGE}, "position"),
]


@pytest.mark.parametrize(("where", "method", "path", "body", "field"), CASES)
def test_a_number_past_what_the_database_stores_is_a_422_naming_its_field(
    client: FlaskClient,
    tokens: Tokens,
    where: t.Callable[..., tuple[str, dict[str, str]]],
    method: str,
    path: str,
    body: dict[str, t.Any],
    field: str,
) -> None:
    base, headers = where(client, tokens)
    response = client.open(base + path, method=method, json=body, headers=headers)
    assert response.status_code == 422, response.json
    errors = response.json["errors"]
    assert [error["field"] for error in errors] == [field]
    assert "2147483647" in errors[0]["message"]
