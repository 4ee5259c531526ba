"""Translation memory through HTTP: reviewed translations of similar sources, per field."""

from __future__ import annotations

import typing as t

from flask import Flask
from flask.testing import FlaskClient

from tests.catalog.test_translations_api import add_translator
from tests.catalog.test_translations_api import create
from tests.catalog.test_translations_api import put_text
from tests.conftest import Tokens


def _honey(client: FlaskClient, tokens: Tokens, sku: str, name: str) -> int:
    content = {"ru": {"name": name, "description": "Горный мёд с пасеки.", "highlights": []}}
    return int(create(client, tokens, sku=sku, source_locale="ru", content=content)["id"])


def _translate(client: FlaskClient, tokens: Tokens, product_id: int, name: str, reviewer: str | None) -> None:
    text = {"name": name, "description": "Тау балы умарталықтан.", "highlights": []}
    assert put_text(client, tokens, product_id, **text).status_code == 200
    if reviewer is not None:
        url = f"/api/v1/products/{product_id}/content/kk/review"
        assert client.post(url, headers={"Authorization": f"Bearer {reviewer}"}).status_code == 200


def _field(body: dict[str, t.Any], name: str) -> dict[str, t.Any]:
    return next(f for f in body["fields"] if f["field"] == name)


def test_reviewed_translations_of_similar_sources_are_offered_identical_first(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    reviewer = add_translator(app, "aigerim", "kk")
    big = _honey(client, tokens, "HONEY-500", "Мёд горный 500 г")
    same = _honey(client, tokens, "HONEY-250-OLD", "Мёд горный 250 г")
    draft = _honey(client, tokens, "HONEY-DRAFT", "Мёд горный 250 г")
    tea = _honey(client, tokens, "TEA", "Чай зелёный")
    _translate(client, tokens, big, "Тау балы 500 г", reviewer)
    _translate(client, tokens, same, "Тау балы, 250 г", reviewer)
    _translate(client, tokens, draft, "Бал 250 г (жоба)", None)
    _translate(client, tokens, tea, "Жасыл шай", reviewer)
    wanted = _honey(client, tokens, "HONEY-250", "Мёд горный 250 г")
    response = client.get(
        f"/api/v1/products/{wanted}/content/kk/suggestions", headers=tokens.headers("editor")
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["product_id"], body["locale"], body["source_locale"]) == (wanted, "kk", "ru")
    name = _field(body, "name")
    assert name["source"] == "Мёд горный 250 г"
    offered = [(s["text"], s["score"], s["identical"], s["sku"]) for s in name["suggestions"]]
    assert offered == [
        ("Тау балы, 250 г", 100, True, "HONEY-250-OLD"),
        ("Тау балы 500 г", 75, False, "HONEY-500"),
    ]
    assert name["suggestions"][1]["diff"] == [
        {"op": "equal", "text": "Мёд горный "},
        {"op": "delete", "text": "500"},
        {"op": "insert", "text": "250"},
        {"op": "equal", "text": " г"},
    ]
    assert name["suggestions"][1]["diff_html"] == "Мёд горный <del>500</del><ins>250</ins> г"
    description = _field(body, "description")
    assert {s["text"] for s in description["suggestions"]} == {"Тау балы умарталықтан."}
    # A reviewed text edited again is a draft: it leaves the memory.
    _translate(client, tokens, same, "Тау балы 250 г", None)
    again = client.get(f"/api/v1/products/{wanted}/content/kk/suggestions", headers=tokens.headers("editor"))
    assert [s["sku"] for s in _field(again.json, "name")["suggestions"]] == ["HONEY-500"]


def test_the_source_locale_and_unknown_paths(client: FlaskClient, tokens: Tokens) -> None:
    honey = _honey(client, tokens, "HONEY-ONE", "Мёд")
    own = client.get(f"/api/v1/products/{honey}/content/ru/suggestions", headers=tokens.headers("editor"))
    assert own.status_code == 200 and all(f["suggestions"] == [] for f in own.json["fields"])
    missing = client.get("/api/v1/products/999999/content/kk/suggestions", headers=tokens.headers("editor"))
    assert missing.status_code == 404
    assert missing.headers["Content-Type"].startswith("application/problem+json")
    unknown = client.get(f"/api/v1/products/{honey}/content/de/suggestions", headers=tokens.headers("editor"))
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "locale"
    assert client.get(f"/api/v1/products/{honey}/content/kk/suggestions").status_code == 401
