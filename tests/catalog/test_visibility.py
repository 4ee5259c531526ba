"""Who sees what: drafts, archived products and texts waiting for review stay with the staff.

Anonymous callers see published products and visible texts only, on every read: the product,
the list (whatever ``status`` they ask for), the card PNG, the picture list and search. Any
member of staff sees them all. The rule is one function (``catalog.services.visibility``).
"""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.models import ProductStatus
from catalog.models import Role
from catalog.models import User
from catalog.services.visibility import product_visible
from catalog.services.visibility import visible_statuses
from tests.catalog.payloads import product
from tests.conftest import Tokens

KK_TEXT = {"name": "Қазақстан ұны", "description": "Жоғары сортты ұн.", "highlights": []}


def _create(client: FlaskClient, tokens: Tokens, status: str, sku: str) -> int:
    response = client.post(
        "/api/v1/products",
        json=product(status=status, sku=sku, barcode=None),
        headers=tokens.headers("editor"),
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])  # type: ignore[index]


@pytest.fixture
def drafts(client: FlaskClient, tokens: Tokens) -> dict[str, int]:
    return {status: _create(client, tokens, status, f"VIS-{status.upper()}") for status in ProductStatus}


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_unpublished_products_are_not_found_without_a_token(
    client: FlaskClient, drafts: dict[str, int], status: str
) -> None:
    pid = drafts[status]
    for path in (
        f"/api/v1/products/{pid}",
        f"/api/v1/products/{pid}?locale=kk",
        f"/api/v1/products/{pid}/card.png",
        f"/api/v1/products/{pid}/images",
    ):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert response.mimetype == "application/problem+json", path
        assert b"340" not in response.data and "Мука".encode() not in response.data, path
    assert client.get(f"/products/{pid}").status_code == 404


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_a_list_shows_no_unpublished_product_without_a_token(
    client: FlaskClient, drafts: dict[str, int], status: str
) -> None:
    asked = client.get(f"/api/v1/products?status={status}").json
    assert asked is not None and asked["items"] == []
    every = client.get("/api/v1/products?limit=100").json
    assert every is not None and [p["id"] for p in every["items"]] == [drafts["published"]]


@pytest.mark.parametrize("role", ["admin", "editor", "host", "translator_kk"])
def test_staff_read_drafts(client: FlaskClient, tokens: Tokens, drafts: dict[str, int], role: str) -> None:
    headers = tokens.headers(role)
    for status in ("draft", "archived"):
        pid = drafts[status]
        read = client.get(f"/api/v1/products/{pid}", headers=headers)
        assert read.status_code == 200 and read.json is not None and read.json["status"] == status
        assert client.get(f"/api/v1/products/{pid}/card.png", headers=headers).status_code == 200
        assert client.get(f"/api/v1/products/{pid}/images", headers=headers).status_code == 200
        listed = client.get(f"/api/v1/products?status={status}", headers=headers).json
        assert listed is not None and [p["id"] for p in listed["items"]] == [pid]


def test_an_anonymous_read_after_a_staff_read_is_still_refused(
    client: FlaskClient, tokens: Tokens, drafts: dict[str, int]
) -> None:
    """A body rendered for staff is never served from the cache to anyone else."""
    pid = drafts["draft"]
    assert client.get(f"/api/v1/products/{pid}", headers=tokens.headers("editor")).status_code == 200
    assert client.get(f"/api/v1/products/{pid}").status_code == 404


def _hide_kk(client: FlaskClient, tokens: Tokens, pid: int) -> None:
    etag = client.get(f"/api/v1/products/{pid}").headers["ETag"]
    saved = client.put(
        f"/api/v1/products/{pid}/content/kk",
        json={**KK_TEXT, "hidden_until_reviewed": True},
        headers=tokens.headers("translator_kk", **{"If-Match": etag}),
    )
    assert saved.status_code == 200, saved.json


def test_texts_hidden_until_reviewed_stay_out_of_the_public_json(
    client: FlaskClient, tokens: Tokens, drafts: dict[str, int]
) -> None:
    pid = drafts["published"]
    _hide_kk(client, tokens, pid)
    for path in (f"/api/v1/products/{pid}?locale=kk", "/api/v1/products?locale=kk"):
        body = client.get(path).get_data(as_text=True)
        assert "Қазақстан ұны" not in body, path
    public = client.get(f"/api/v1/products/{pid}?locale=kk").json
    assert public is not None and set(public["content"]) == {"zh", "ru"}
    staff = client.get(f"/api/v1/products/{pid}?locale=kk", headers=tokens.headers("editor")).json
    assert staff is not None and staff["content"]["kk"]["name"] == KK_TEXT["name"]
    # and the anonymous answer is still the public one after staff have read it
    again = client.get(f"/api/v1/products/{pid}?locale=kk").get_data(as_text=True)
    assert "Қазақстан ұны" not in again


def test_search_finds_no_unpublished_product(client: FlaskClient, drafts: dict[str, int]) -> None:
    found = client.get("/api/v1/search?q=VIS-DRAFT").json
    assert found is not None and drafts["draft"] not in [i["id"] for i in found["items"]]


def test_one_function_decides(app: Flask) -> None:
    staff = User(name="x", role=Role.HOST, locales=[], disabled=False)
    assert visible_statuses(None) == (ProductStatus.PUBLISHED,)
    assert set(visible_statuses(staff)) == set(ProductStatus)
    disabled = User(name="y", role=Role.ADMIN, locales=[], disabled=True)
    assert visible_statuses(disabled) == (ProductStatus.PUBLISHED,)
    draft = t.cast(t.Any, type("P", (), {"status": ProductStatus.DRAFT}))
    assert not product_visible(draft, None) and product_visible(draft, staff)
