"""Every way a client can get a product request wrong gets a clear 4xx, never a 500."""

from __future__ import annotations

import typing as t

import pytest
from flask.testing import FlaskClient

from tests.catalog.payloads import product
from tests.conftest import Tokens

URL = "/api/v1/products"


def post(client: FlaskClient, tokens: Tokens, body: t.Any) -> t.Any:
    return client.post(URL, json=body, headers=tokens.headers("editor"))


def test_malformed_json_is_400(client: FlaskClient, tokens: Tokens) -> None:
    response = client.post(
        URL, data=b'{"sku": ', content_type="application/json", headers=tokens.headers("editor")
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "not valid JSON" in response.json["detail"]


def test_wrong_content_type_is_415(client: FlaskClient, tokens: Tokens) -> None:
    response = client.post(
        URL, data="sku=X", content_type="application/x-www-form-urlencoded", headers=tokens.headers("editor")
    )
    assert response.status_code == 415
    assert "application/json" in response.json["detail"]


def test_body_over_one_mebibyte_is_413(client: FlaskClient, tokens: Tokens) -> None:
    body = product(content={"zh": {"name": "面粉", "description": "麦" * 600_000}})
    response = post(client, tokens, body)
    assert response.status_code == 413
    assert response.json["status"] == 413


def test_unknown_fields_are_422(client: FlaskClient, tokens: Tokens) -> None:
    response = post(client, tokens, product(colour="red"))
    assert response.status_code == 422
    assert {"field": "colour", "message": "Unknown field; remove it."} in response.json["errors"]


CASES: list[tuple[str, dict[str, t.Any], str]] = [
    ("sku lowercase", {"sku": "kz-flour"}, "sku"),
    ("sku too short", {"sku": "AB"}, "sku"),
    ("sku too long", {"sku": "A" * 41}, "sku"),
    ("no sku", {"sku": None}, "sku"),
    ("country not ISO", {"origin_country": "XX"}, "origin_country"),
    ("country lowercase", {"origin_country": "kz"}, "origin_country"),
    ("price zero", {"price": {"amount": "0.00", "currency": "CNY"}}, "price.amount"),
    ("price negative", {"price": {"amount": "-1", "currency": "CNY"}}, "price.amount"),
    ("price as a number", {"price": {"amount": 25.0, "currency": "CNY"}}, "price.amount"),
    ("too many decimals", {"price": {"amount": "25.001", "currency": "CNY"}}, "price.amount"),
    ("yen has no decimals", {"price": {"amount": "250.5", "currency": "JPY"}}, "price.amount"),
    ("unknown currency", {"price": {"amount": "25.00", "currency": "XYZ"}}, "price.currency"),
    ("bad barcode checksum", {"barcode": "4870001234567"}, "barcode"),
    ("barcode letters", {"barcode": "48700A1234567"}, "barcode"),
    ("no source name", {"content": {"ru": {"name": "Мука"}}}, "content.zh.name"),
    ("empty name", {"content": {"zh": {"name": "  "}}}, "content.zh.name"),
    ("unknown content locale", {"content": {"zh": {"name": "面粉"}, "fr": {"name": "Farine"}}}, "content.fr"),
    ("bad status", {"status": "deleted"}, "status"),
    ("negative stock", {"stock": -1}, "stock"),
    ("bad category", {"category": "Food/Flour"}, "category"),
    ("tier above retail", {"wholesale": [{"min_qty": 10, "amount": "30.00"}]}, "wholesale.0.amount"),
    (
        "tiers out of order",
        {"wholesale": [{"min_qty": 50, "amount": "20.00"}, {"min_qty": 20, "amount": "21.00"}]},
        "wholesale.1.min_qty",
    ),
    ("source locale unknown", {"source_locale": "de"}, "source_locale"),
    # as long as their columns, on every database (PostgreSQL would refuse longer text with a 500)
    ("brand too long", {"brand": "B" * 121}, "brand"),
    ("net quantity too long", {"net_quantity": "1" * 41}, "net_quantity"),
    # control characters break calendar feeds, XML exports and terminals
    ("control character in a name", {"content": {"zh": {"name": "面粉\x1b[31m"}}}, "content.zh.name"),
    ("bell in a description", {"content": {"zh": {"name": "面粉", "description": "好\x07"}}}, "content.zh"),
    ("escape in a highlight", {"content": {"zh": {"name": "面粉", "highlights": ["\x1b"]}}}, "content.zh"),
    ("null in the brand", {"brand": "Ақ\x00бидай"}, "brand"),
]


@pytest.mark.parametrize(("change", "field"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_each_validation_rule_is_422_naming_the_field(
    client: FlaskClient, tokens: Tokens, change: dict[str, t.Any], field: str
) -> None:
    response = post(client, tokens, product(**change))
    assert response.status_code == 422, response.json
    fields = [e["field"] for e in response.json["errors"]]
    assert any(f == field or f.startswith(field) for f in fields), fields
    assert all(e["message"] for e in response.json["errors"])


def test_body_that_is_not_an_object_is_422(client: FlaskClient, tokens: Tokens) -> None:
    response = post(client, tokens, ["not", "an", "object"])
    assert response.status_code == 422


def test_duplicate_sku_is_409(client: FlaskClient, tokens: Tokens) -> None:
    assert post(client, tokens, product()).status_code == 201
    response = post(client, tokens, product())
    assert response.status_code == 409
    assert "KZ-FLOUR-001" in response.json["detail"]


def test_missing_product_is_404(client: FlaskClient) -> None:
    response = client.get(f"{URL}/999999")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_missing_token_is_401(client: FlaskClient) -> None:
    response = client.post(URL, json=product())
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer tsk_wrong", "Basic dXNlcjpwYXNz", "Bearer "])
def test_wrong_token_is_401(client: FlaskClient, header: str) -> None:
    response = client.post(URL, json=product(), headers={"Authorization": header})
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["host", "translator_kk"])
def test_wrong_role_is_403(client: FlaskClient, tokens: Tokens, role: str) -> None:
    response = client.post(URL, json=product(), headers=tokens.headers(role))
    assert response.status_code == 403
    assert "editor" in response.json["detail"]


def test_patch_with_invalid_tiers_against_stored_price_is_422(client: FlaskClient, tokens: Tokens) -> None:
    created = post(client, tokens, product())
    response = client.patch(
        created.headers["Location"],
        json={"wholesale": [{"min_qty": 5, "amount": "99.00"}]},
        headers={**tokens.headers("editor"), "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "wholesale.0.amount"


def test_unknown_route_and_method_are_problems(client: FlaskClient) -> None:
    assert client.get("/api/v1/nothing-here").status_code == 404
    response = client.put(URL)
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"


def test_line_breaks_tabs_and_unicode_separators_are_kept(client: FlaskClient, tokens: Tokens) -> None:
    text = "Первая строка\nвторая\tс табуляцией\r\nтретья\u2028и\u2029ещё"
    created = post(client, tokens, product(content={"zh": {"name": "面粉", "description": text}}))
    assert created.status_code == 201, created.json
    assert created.json["content"]["zh"]["description"] == text


def test_longest_brand_and_net_quantity_fit(client: FlaskClient, tokens: Tokens) -> None:
    created = post(client, tokens, product(brand="Б" * 120, net_quantity="1" * 40))
    assert created.status_code == 201, created.json
    assert client.get(created.headers["Location"]).json["brand"] == "Б" * 120
