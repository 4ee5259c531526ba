"""Uzbek through the API: content written and read in uz, fallback to Russian, prices in so'm, search."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.services.card_png import card_labels
from tests.catalog.payloads import product
from tests.conftest import Tokens

APRICOTS = {
    "zh": {"name": "费尔干纳杏干 500克"},
    "ru": {"name": "Курага ферганская, 500 г", "description": "Сладкая курага без косточки."},
    "uz": {
        "name": "Fargʻona oʻrik qoqisi, 500 g",
        "description": "Danagi olingan shirin oʻrik qoqisi.",
        "highlights": ["Butun, danaksiz", "Fargʻona oʻrigi"],
    },
}


def create(client: FlaskClient, tokens: Tokens, sku: str, content: dict[str, object]) -> int:
    body = product(sku=sku, content=content, barcode=None, origin_country="UZ", booth=None)
    response = client.post("/api/v1/products", json=body, headers=tokens.headers("editor"))
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def test_uzbek_content_is_written_and_read_in_uzbek(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens, "UZ-DRIED-001", APRICOTS)
    body = client.get(f"/api/v1/products/{product_id}?locale=uz").json
    assert body["content"]["uz"]["name"] == "Fargʻona oʻrik qoqisi, 500 g"
    assert body["localized"]["locale"] == "uz"
    assert body["localized"]["name"] == "Fargʻona oʻrik qoqisi, 500 g"
    assert body["localized"]["highlights"] == ["Butun, danaksiz", "Fargʻona oʻrigi"]
    assert body["localized"]["fallback_from"] is None


def test_uzbek_falls_back_to_russian_before_english_and_chinese(client: FlaskClient, tokens: Tokens) -> None:
    content = {**APRICOTS, "en": {"name": "Fergana dried apricots, 500 g"}}
    del content["uz"]
    product_id = create(client, tokens, "UZ-DRIED-002", content)
    body = client.get(f"/api/v1/products/{product_id}?locale=uz").json
    assert body["localized"]["name"] == "Курага ферганская, 500 г"
    assert body["localized"]["fallback_from"] == "ru"


def test_uzbek_is_negotiated_from_accept_language(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens, "UZ-DRIED-003", APRICOTS)
    body = client.get(f"/api/v1/products/{product_id}", headers={"Accept-Language": "uz-UZ,ru;q=0.5"}).json
    assert (body["localized"]["locale"], body["localized"]["fallback_from"]) == ("uz", None)


def test_prices_in_uzbek_som(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens, "UZ-DRIED-004", APRICOTS)
    rate = client.put(
        "/api/v1/rates/UZS",
        headers=tokens.headers("admin"),
        json={"per_cny": "1745.00", "as_of": "2026-11-29T00:00:00+00:00"},
    )
    assert rate.status_code in (200, 201), rate.json
    price = client.get(f"/api/v1/products/{product_id}?locale=uz&currency=UZS").json["display_price"]
    assert (price["amount"], price["currency"]) == ("43625.00", "UZS")  # 25.00 CNY at 1745
    assert price["formatted"] == "43\xa0625,00\xa0soʻm"


def test_uzbek_text_is_edited_like_any_other_locale(client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens, "UZ-DRIED-005", APRICOTS)
    read = client.get(f"/api/v1/products/{product_id}")
    changed = {**APRICOTS, "uz": {**APRICOTS["uz"], "name": "Fargʻona oʻrik qoqisi «Qaysi», 500 g"}}
    response = client.patch(
        f"/api/v1/products/{product_id}",
        json={"content": changed},
        headers={**tokens.headers("editor"), "If-Match": read.headers["ETag"]},
    )
    assert response.status_code == 200, response.json
    assert response.json["content"]["uz"]["name"] == "Fargʻona oʻrik qoqisi «Qaysi», 500 g"


def test_a_fallback_chain_may_name_uzbek(client: FlaskClient, tokens: Tokens) -> None:
    body = product(sku="UZ-DRIED-006", content=APRICOTS, barcode=None, fallback_chain=["uz", "ru", "zh"])
    response = client.post("/api/v1/products", json=body, headers=tokens.headers("editor"))
    assert response.status_code == 201, response.json
    read = client.get(f"/api/v1/products/{response.json['id']}?locale=en").json
    assert (read["localized"]["name"], read["localized"]["fallback_from"]) == (
        "Fargʻona oʻrik qoqisi, 500 g",
        "uz",
    )


@pytest.mark.parametrize("query", ["oʻrik", "o'rik", "o‘rik", "o’rik", "o`rik", "ўрик", "ФАРҒОНА"])
def test_uzbek_search_folds_apostrophes_and_reads_cyrillic(
    client: FlaskClient, tokens: Tokens, query: str
) -> None:
    create(client, tokens, "UZ-DRIED-007", APRICOTS)
    response = client.get(f"/api/v1/search?q={quote(query)}&locale=uz")
    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert [item["sku"] for item in items] == ["UZ-DRIED-007"]
    assert items[0]["name"] == "Fargʻona oʻrik qoqisi, 500 g"


def test_unknown_content_locale_is_still_refused(client: FlaskClient, tokens: Tokens) -> None:
    body = product(sku="UZ-DRIED-008", content={**APRICOTS, "uz-Cyrl": {"name": "Ўрик"}}, barcode=None)
    response = client.post("/api/v1/products", json=body, headers=tokens.headers("editor"))
    assert response.status_code == 422
    assert "uz" in response.json["errors"][0]["message"]


def test_the_on_air_card_speaks_uzbek(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    product_id = create(client, tokens, "UZ-DRIED-009", APRICOTS)
    response = client.get(f"/api/v1/products/{product_id}/card.png?locale=uz&layout=square")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "image/png" and response.get_data().startswith(b"\x89PNG")
    with app.test_request_context():
        labels = card_labels("uz")
    assert (labels.origin, labels.booth, labels.scan, labels.flash) == (
        "Kelib chiqishi", "Pavilyon", "Sotib olish uchun skanerlang", "Maxsus narx"
    )  # fmt: skip
