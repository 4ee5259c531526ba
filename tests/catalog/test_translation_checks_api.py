"""Quality checks of a locale's text through HTTP: every check on a saved draft, and bad paths."""

from __future__ import annotations

import typing as t

from flask import Flask
from flask.testing import FlaskClient

from tests.catalog.test_translations_api import add_translator
from tests.catalog.test_translations_api import create
from tests.catalog.test_translations_api import put_text
from tests.conftest import Tokens

HONEY_RU = {
    "name": "Мёд «Алтай» 500 г",
    "description": "Сладкий мёд.",
    "highlights": ["Объём 750 мл", "Без сахара"],
}


def _honey(client: FlaskClient, tokens: Tokens, sku: str) -> int:
    made = create(client, tokens, sku=sku, source_locale="ru", content={"ru": HONEY_RU})
    return int(made["id"])


def _reviewed_kazakh(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    """A product whose Kazakh text, reviewed, knows the words ``қазақ`` and ``бал``."""
    other = _honey(client, tokens, "KZ-HONEY-REVIEWED")
    text = {
        "name": "Қазақ бал «Алтай» 500 г",
        "description": "Тәтті бал.",
        "highlights": ["Көлемі 750 мл", "Қантсыз"],
    }
    assert put_text(client, tokens, other, **text).status_code == 200
    colleague = add_translator(app, "aigerim", "kk")
    reviewed = client.post(
        f"/api/v1/products/{other}/content/kk/review", headers={"Authorization": f"Bearer {colleague}"}
    )
    assert reviewed.status_code == 200, reviewed.json


def _checks_of(body: dict[str, t.Any], field: str) -> list[tuple[str, str, str | None]]:
    entry = next(f for f in body["fields"] if f["field"] == field)
    return sorted((c["check"], c["severity"], c["suggestion"]) for c in entry["checks"])


def test_a_draft_with_every_kind_of_problem_is_saved_and_its_checks_name_each(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    _reviewed_kazakh(app, client, tokens)
    glossary_url = "/api/v1/translations/glossary/kk"
    current = client.get(glossary_url, headers=tokens.headers("editor"))
    terms = {"terms": [{"source": "мёд", "target": "бал"}]}
    headers = tokens.headers("editor", **{"If-Match": current.headers["ETag"]})
    assert client.put(glossary_url, json=terms, headers=headers).status_code == 200
    honey = _honey(client, tokens, "KZ-HONEY-250")
    draft = {
        "name": 'Казак бaл "Алтай" 250 г',  # Russian к for қ, a Latin "a", straight quotes, another weight
        "description": " Тәтті  балы.",
        "highlights": ["Көлемі 0,75 л", "Қантсыз (таза"],
    }
    saved = put_text(client, tokens, honey, **draft)
    assert saved.status_code == 200, saved.json
    response = client.get(
        f"/api/v1/products/{honey}/content/kk/checks", headers=tokens.headers("translator_ru")
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["product_id"], body["locale"], body["source_locale"], body["state"]) == (
        honey,
        "kk",
        "ru",
        "draft",
    )
    assert [f["field"] for f in body["fields"]] == ["name", "description", "highlights.0", "highlights.1"]
    assert _checks_of(body, "name") == [
        ("glossary", "warning", "бал"),
        ("kazakh-letters", "warning", "Қазақ"),
        ("mixed-script", "error", "бал"),
        ("numbers", "error", None),
        ("numbers", "error", None),
        ("quotes", "warning", "Казак бaл «Алтай» 250 г"),
    ]
    numbers = [c["message"] for c in body["fields"][0]["checks"] if c["check"] == "numbers"]
    assert any("500 г" in m for m in numbers) and any("250 г" in m for m in numbers)
    assert _checks_of(body, "description") == [
        ("spaces", "warning", " Тәтті балы."),
        ("spaces", "warning", "Тәтті  балы."),
    ]
    assert _checks_of(body, "highlights.0") == []  # 0,75 л is the 750 мл of the source
    assert _checks_of(body, "highlights.1") == [("brackets", "error", None)]
    assert body["counts"] == {"error": 4, "warning": 5}


def test_a_text_not_yet_written_has_no_fields(client: FlaskClient, tokens: Tokens) -> None:
    honey = _honey(client, tokens, "KZ-HONEY-EMPTY")
    response = client.get(f"/api/v1/products/{honey}/content/uz/checks", headers=tokens.headers("editor"))
    assert response.status_code == 200
    assert response.json["fields"] == [] and response.json["counts"] == {"error": 0, "warning": 0}
    assert response.json["state"] == "missing"


def test_unknown_products_and_locales_are_problems(client: FlaskClient, tokens: Tokens) -> None:
    honey = _honey(client, tokens, "KZ-HONEY-404")
    missing = client.get("/api/v1/products/999999/content/kk/checks", headers=tokens.headers("editor"))
    assert missing.status_code == 404
    assert missing.headers["Content-Type"].startswith("application/problem+json")
    unknown = client.get(f"/api/v1/products/{honey}/content/xx/checks", headers=tokens.headers("editor"))
    assert unknown.status_code == 422
    assert unknown.json["errors"][0]["field"] == "locale"
    anonymous = client.get(f"/api/v1/products/{honey}/content/kk/checks")
    assert anonymous.status_code == 401
