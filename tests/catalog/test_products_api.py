"""The products API: the contract of ../shared/API.md, on SQLite and PostgreSQL."""

from __future__ import annotations

import typing as t

import pytest
from flask.testing import FlaskClient

from tests.catalog.payloads import product
from tests.conftest import Tokens

JSON = "application/json"


def create(client: FlaskClient, tokens: Tokens, **changes: t.Any) -> t.Any:
    response = client.post("/api/v1/products", json=product(**changes), headers=tokens.headers("editor"))
    assert response.status_code == 201, response.json
    return response


def set_rate(client: FlaskClient, tokens: Tokens, currency: str, per_cny: str) -> None:
    response = client.put(
        f"/api/v1/rates/{currency}",
        headers=tokens.headers("admin"),
        json={"per_cny": per_cny, "as_of": "2026-11-29T00:00:00+00:00"},
    )
    assert response.status_code in (200, 201), response.json


def test_create_answers_201_with_location_and_etag(client: FlaskClient, tokens: Tokens) -> None:
    response = create(client, tokens)
    body = response.json
    assert response.headers["Location"] == f"/api/v1/products/{body['id']}"
    assert response.headers["ETag"] == f'"product-{body["id"]}-v1"'
    assert body["sku"] == "KZ-FLOUR-001"
    assert body["price"] == {"amount": "25.00", "currency": "CNY"}
    assert body["wholesale"] == [{"min_qty": 20, "amount": "21.00"}]
    assert body["category"] == "food.flour"
    assert body["content"]["ru"]["name"] == "Мука пшеничная высший сорт"


def test_json_is_utf8_not_escaped(client: FlaskClient, tokens: Tokens) -> None:
    body = create(client, tokens).get_data()
    assert "哈萨克斯坦面粉".encode() in body
    assert b"\\u" not in body


def test_read_falls_back_along_the_chain_and_converts_the_price(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens).json["id"]
    set_rate(client, tokens, "KZT", "74")
    body = client.get(f"/api/v1/products/{product_id}?locale=kk&currency=KZT").json
    assert body["localized"]["locale"] == "kk"
    assert body["localized"]["name"] == "Мука пшеничная высший сорт"
    assert body["localized"]["fallback_from"] == "ru"
    assert body["display_price"]["amount"] == "1850.00"
    assert body["display_price"]["currency"] == "KZT"
    assert body["display_price"]["formatted"] == "1\xa0850,00\xa0₸"
    assert body["display_price"]["rate_as_of"] == "2026-11-29T00:00:00+00:00"


def test_read_in_the_asked_locale_has_no_fallback(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens).json["id"]
    body = client.get(f"/api/v1/products/{product_id}?locale=zh").json
    assert body["localized"]["name"] == "哈萨克斯坦面粉"
    assert body["localized"]["fallback_from"] is None
    assert body["display_price"]["formatted"] == "¥25.00"


def test_locale_comes_from_accept_language_without_a_parameter(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens).json["id"]
    body = client.get(f"/api/v1/products/{product_id}", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).json
    assert body["localized"]["locale"] == "ru"
    assert body["localized"]["fallback_from"] is None


def test_kazakh_latin_is_a_rendering_of_kazakh(client: FlaskClient, tokens: Tokens) -> None:
    content = {"zh": {"name": "面粉"}, "kk": {"name": "Бидай ұны", "highlights": ["Жоғары сұрып"]}}
    product_id = create(client, tokens, content=content).json["id"]
    body = client.get(f"/api/v1/products/{product_id}?locale=kk-Latn").json
    assert body["localized"]["name"] == "Bidai ūny"
    assert body["localized"]["fallback_from"] is None


def test_price_in_a_currency_without_a_rate_is_a_clear_422(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens).json["id"]
    response = client.get(f"/api/v1/products/{product_id}?currency=USD")
    assert response.status_code == 422
    assert "USD" in response.json["detail"] and "/api/v1/rates/USD" in response.json["detail"]


def test_unknown_locale_is_422_listing_the_allowed(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens).json["id"]
    response = client.get(f"/api/v1/products/{product_id}?locale=fr")
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "locale"


def test_patch_needs_if_match_and_refuses_stale_etags(client: FlaskClient, tokens: Tokens) -> None:
    created = create(client, tokens)
    url, etag = created.headers["Location"], created.headers["ETag"]
    editor = tokens.headers("editor")
    missing = client.patch(url, json={"stock": 10}, headers=editor)
    assert missing.status_code == 428
    assert missing.mimetype == "application/problem+json"
    assert "If-Match" in missing.json["detail"]
    ok = client.patch(url, json={"stock": 10}, headers={**editor, "If-Match": etag})
    assert ok.status_code == 200
    assert ok.json["stock"] == 10
    assert ok.headers["ETag"] != etag
    stale = client.patch(url, json={"stock": 11}, headers={**editor, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.json["current_etag"] == ok.headers["ETag"]
    assert client.get(url).json["stock"] == 10


def test_patch_merges_content_and_records_history(client: FlaskClient, tokens: Tokens, app: t.Any) -> None:
    created = create(client, tokens)
    url = created.headers["Location"]
    response = client.patch(
        url,
        json={
            "content": {"en": {"name": "Kazakh wheat flour"}},
            "price": {"amount": "27.50", "currency": "CNY"},
        },
        headers={**tokens.headers("editor"), "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 200
    assert set(response.json["content"]) == {"zh", "ru", "en"}
    assert response.json["price"]["amount"] == "27.50"
    from catalog.db import get_session
    from catalog.models import AuditEntry

    with app.app_context():
        entries = (
            get_session().query(AuditEntry).filter_by(entity_type="product").order_by(AuditEntry.id).all()
        )
    assert [e.action for e in entries] == ["product.create", "product.update"]
    assert entries[1].changes["price"] == ["25.00 CNY", "27.50 CNY"]
    assert entries[1].user_id is not None


def test_delete_archives_and_keeps_the_product(client: FlaskClient, tokens: Tokens) -> None:
    created = create(client, tokens)
    url = created.headers["Location"]
    response = client.delete(url, headers={**tokens.headers("admin"), "If-Match": created.headers["ETag"]})
    assert response.status_code == 200
    assert response.json["status"] == "archived"
    assert client.get(url, headers=tokens.headers("editor")).json["status"] == "archived"
    assert client.get(url).status_code == 404  # archived products are staff-only


def test_list_filters_and_pages_with_a_cursor(client: FlaskClient, tokens: Tokens) -> None:
    for i in range(5):
        create(client, tokens, sku=f"KZ-FLOUR-{i:03d}", barcode=None)
    create(client, tokens, sku="FR-WINE-001", origin_country="FR", category="drinks.wine", barcode=None)
    first = client.get("/api/v1/products?origin_country=KZ&limit=2").json
    assert [p["sku"] for p in first["items"]] == ["KZ-FLOUR-000", "KZ-FLOUR-001"]
    second = client.get(f"/api/v1/products?origin_country=KZ&limit=2&cursor={first['next_cursor']}").json
    assert [p["sku"] for p in second["items"]] == ["KZ-FLOUR-002", "KZ-FLOUR-003"]
    third = client.get(f"/api/v1/products?origin_country=KZ&limit=2&cursor={second['next_cursor']}").json
    assert [p["sku"] for p in third["items"]] == ["KZ-FLOUR-004"]
    assert third["next_cursor"] is None
    drinks = client.get("/api/v1/products?category=drinks").json
    assert [p["sku"] for p in drinks["items"]] == ["FR-WINE-001"]


def test_categories_are_created_on_first_use(client: FlaskClient, tokens: Tokens) -> None:
    create(client, tokens)
    tree = client.get("/api/v1/categories").json["items"]
    assert tree[0]["path"] == "food"
    assert tree[0]["children"][0]["path"] == "food.flour"
    assert tree[0]["children"][0]["name"] == "flour"


@pytest.mark.parametrize("cursor", ["garbage", "eyJrIjoicHJvZHVjdHMiLCJhZnRlciI6MX0.AAAA"])
def test_tampered_cursor_is_400(client: FlaskClient, cursor: str) -> None:
    response = client.get(f"/api/v1/products?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json["detail"]


def test_cursor_from_other_filters_is_400(client: FlaskClient, tokens: Tokens) -> None:
    for i in range(3):
        create(client, tokens, sku=f"KZ-FLOUR-{i:03d}", barcode=None)
    cursor = client.get("/api/v1/products?limit=1").json["next_cursor"]
    response = client.get(f"/api/v1/products?limit=1&origin_country=KZ&cursor={cursor}")
    assert response.status_code == 400


@pytest.mark.parametrize("limit", ["0", "101", "ten", "-1"])
def test_limit_out_of_range_is_422(client: FlaskClient, limit: str) -> None:
    response = client.get(f"/api/v1/products?limit={limit}")
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "limit"


def test_cached_reads_follow_changes_to_the_product_and_the_rates(
    client: FlaskClient, tokens: Tokens
) -> None:
    created = create(client, tokens)
    url = created.headers["Location"]
    set_rate(client, tokens, "KZT", "74")
    assert client.get(f"{url}?currency=KZT").json["display_price"]["amount"] == "1850.00"
    rate_etag = client.get("/api/v1/rates/KZT").headers["ETag"]
    client.put(
        "/api/v1/rates/KZT",
        json={"per_cny": "70"},
        headers={**tokens.headers("admin"), "If-Match": rate_etag},
    )
    assert client.get(f"{url}?currency=KZT").json["display_price"]["amount"] == "1750.00"
    client.patch(
        url, json={"stock": 7}, headers={**tokens.headers("editor"), "If-Match": created.headers["ETag"]}
    )
    read = client.get(f"{url}?currency=KZT")
    assert read.json["stock"] == 7
    assert read.headers["ETag"] == f'"product-{created.json["id"]}-v2"'
