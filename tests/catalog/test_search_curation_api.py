"""Staff synonyms and query rules over the API: CRUD with ETags, refusals, and what search then finds."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.services.search_synonyms import DEMO_SYNONYMS
from catalog.services.search_synonyms import seed_demo_synonyms
from tests.catalog.payloads import product
from tests.conftest import Tokens

SYNONYMS = "/api/v1/search/synonyms"
RULES = "/api/v1/search/rules"
WINE = {"ru": {"name": "Вино красное сухое Саперави"}, "zh": {"name": "萨佩拉维干红葡萄酒"}}
HONEY = {"ru": {"name": "Мёд горный алтайский"}, "zh": {"name": "阿尔泰山区蜂蜜"}}


def add_product(
    client: FlaskClient, tokens: Tokens, sku: str, content: t.Any, status: str = "published"
) -> int:
    body = product(sku=sku, content=content, barcode=None, status=status, category="food.misc")
    response = client.post("/api/v1/products", json=body, headers=tokens.headers("editor"))
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def skus(client: FlaskClient, q: str, locale: str = "kk") -> list[str]:
    response = client.get("/api/v1/search", query_string={"q": q, "locale": locale})
    assert response.status_code == 200, response.json
    return [item["sku"] for item in response.json["items"]]


def post(client: FlaskClient, tokens: Tokens, url: str, body: t.Any, role: str = "editor") -> t.Any:
    return client.post(url, json=body, headers=tokens.headers(role))


def test_a_synonym_entry_is_added_read_replaced_and_removed_with_etags(
    client: FlaskClient, tokens: Tokens
) -> None:
    created = post(
        client, tokens, SYNONYMS, {"locale": "kk", "term": "шарап", "synonyms": ["вино"], "two_way": True}
    )
    assert created.status_code == 201, created.json
    url = created.headers["Location"]
    etag = created.headers["ETag"]
    assert created.json["synonyms"] == ["вино"] and created.json["two_way"] is True
    read = client.get(url, headers=tokens.headers("editor"))
    assert read.headers["ETag"] == etag and read.json == created.json
    body = {"locale": "kk", "term": "шарап", "synonyms": ["вино", "wine"]}
    assert client.put(url, json=body, headers=tokens.headers("editor")).status_code == 428
    changed = client.put(url, json=body, headers=tokens.headers("admin", **{"If-Match": etag}))
    assert changed.status_code == 200, changed.json
    assert changed.json["synonyms"] == ["вино", "wine"] and changed.json["version"] == 2
    stale = client.put(url, json=body, headers=tokens.headers("editor", **{"If-Match": etag}))
    assert stale.status_code == 412
    assert client.delete(url, headers=tokens.headers("editor")).status_code == 428
    assert client.delete(url, headers=tokens.headers("editor", **{"If-Match": etag})).status_code == 412
    gone = client.delete(url, headers=tokens.headers("editor", **{"If-Match": changed.headers["ETag"]}))
    assert gone.status_code == 204
    assert client.get(url, headers=tokens.headers("editor")).status_code == 404


def test_a_synonym_changes_what_readers_of_its_locale_find(client: FlaskClient, tokens: Tokens) -> None:
    add_product(client, tokens, "GE-WINE-001", WINE)
    assert skus(client, "шарап") == []
    created = post(client, tokens, SYNONYMS, {"locale": "kk", "term": "шарап", "synonyms": ["вино"]})
    assert created.status_code == 201, created.json
    assert skus(client, "шарап") == ["GE-WINE-001"]
    assert skus(client, "sharap", locale="kk-Latn") == ["GE-WINE-001"]  # Kazakh in Latin reads kk's
    assert skus(client, "шарап", locale="en") == []  # another locale's synonyms do not apply
    etag = created.headers["ETag"]
    client.delete(created.headers["Location"], headers=tokens.headers("editor", **{"If-Match": etag}))
    assert skus(client, "шарап") == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"locale": "kk", "term": "", "synonyms": ["вино"]}, "term"),
        ({"locale": "kk", "term": "   ", "synonyms": ["вино"]}, "term"),
        ({"locale": "xx", "term": "шарап", "synonyms": ["вино"]}, "locale"),
        ({"locale": "kk", "term": "шарап", "synonyms": []}, "synonyms"),
        ({"locale": "kk", "term": "шарап", "synonyms": [""]}, "synonyms.0"),
        ({"locale": "kk", "term": "?!…", "synonyms": ["вино"]}, "term"),
        ({"locale": "zh", "term": "红酒", "synonyms": ["干红"]}, "term"),
        ({"locale": "kk", "term": "шарап", "synonyms": ["Шарап"]}, "synonyms"),
        ({"locale": "kk", "term": "шарап", "synonyms": ["вино"], "weight": 2}, "weight"),
    ],
)
def test_a_bad_synonym_entry_is_refused_naming_its_field(
    client: FlaskClient, tokens: Tokens, body: dict[str, t.Any], field: str
) -> None:
    response = post(client, tokens, SYNONYMS, body)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in [error["field"] for error in response.json["errors"]]


def test_synonyms_are_listed_per_locale_page_by_page(client: FlaskClient, tokens: Tokens) -> None:
    for term in ("алма", "жүзім", "өрік"):
        assert (
            post(client, tokens, SYNONYMS, {"locale": "kk", "term": term, "synonyms": ["fruit"]}).status_code
            == 201
        )
    post(client, tokens, SYNONYMS, {"locale": "ru", "term": "яблоко", "synonyms": ["apple"]})
    first = client.get(
        SYNONYMS, query_string={"locale": "kk", "limit": 2}, headers=tokens.headers("editor")
    ).json
    assert [item["term"] for item in first["items"]] == ["алма", "жүзім"]
    rest = client.get(
        SYNONYMS,
        query_string={"locale": "kk", "limit": 2, "cursor": first["next_cursor"]},
        headers=tokens.headers("editor"),
    ).json
    assert [item["term"] for item in rest["items"]] == ["өрік"] and rest["next_cursor"] is None
    other = client.get(
        SYNONYMS,
        query_string={"locale": "ru", "cursor": first["next_cursor"]},
        headers=tokens.headers("editor"),
    )
    assert other.status_code == 400


def test_a_rule_pins_and_hides_in_search_and_keeps_its_etag(client: FlaskClient, tokens: Tokens) -> None:
    wine = add_product(client, tokens, "GE-WINE-001", WINE)
    honey = add_product(client, tokens, "KZ-HONEY-001", HONEY)
    add_product(client, tokens, "KZ-HONEY-002", {"ru": {"name": "Мёд гречишный"}, "zh": {"name": "荞麦蜂蜜"}})
    assert sorted(skus(client, "мёд", "ru")) == ["KZ-HONEY-001", "KZ-HONEY-002"]
    created = post(
        client,
        tokens,
        RULES,
        {"query": "  Мёд ", "pins": [{"product_id": wine, "position": 1}], "hides": [honey]},
    )
    assert created.status_code == 201, created.json
    assert created.json["query"] == "мед" and created.json["active"] is True
    assert skus(client, "мед", "ru") == ["GE-WINE-001", "KZ-HONEY-002"]
    url, etag = created.headers["Location"], created.headers["ETag"]
    body = {
        "query": "мёд",
        "hides": [honey],
        "starts_at": "2020-01-01T19:00:00+06:00",
        "ends_at": "2020-01-01T23:00:00+06:00",
    }
    assert client.put(url, json=body, headers=tokens.headers("editor")).status_code == 428
    replaced = client.put(url, json=body, headers=tokens.headers("editor", **{"If-Match": etag}))
    assert replaced.status_code == 200, replaced.json
    assert replaced.json["active"] is False and replaced.json["starts_at"] == "2020-01-01T13:00:00+00:00"
    assert sorted(skus(client, "мёд", "ru")) == ["KZ-HONEY-001", "KZ-HONEY-002"]  # its window is over
    assert (
        client.put(url, json=body, headers=tokens.headers("editor", **{"If-Match": etag})).status_code == 412
    )
    listed = client.get(RULES, headers=tokens.headers("admin")).json["items"]
    assert [item["id"] for item in listed] == [created.json["id"]]
    removed = client.delete(url, headers=tokens.headers("admin", **{"If-Match": replaced.headers["ETag"]}))
    assert removed.status_code == 204
    assert client.get(url, headers=tokens.headers("editor")).status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"pins": [{"product_id": 9999, "position": 1}]}, "pins[0].product_id", "9999"),
        ({"hides": [9999]}, "hides[0]", "9999"),
        ({"pins": [{"product_id": "DRAFT", "position": 1}]}, "pins[0].product_id", "draft"),
        ({"hides": ["DRAFT"]}, "hides[0]", "draft"),
        ({"starts_at": "2026-12-02T20:00:00+06:00", "ends_at": "2026-12-02T19:00:00+06:00"}, "ends_at", ""),
        ({"starts_at": "2026-12-02T20:00:00"}, "starts_at", ""),
        ({"query": None}, "query", ""),
        ({"category": "food.misc"}, "query", ""),
        ({"query": "!!!"}, "query", ""),
        ({"query": None, "category": "no.such"}, "category", "no.such"),
        ({"hides": [], "note": "nothing"}, "pins", ""),
        ({"pins": [{"product_id": "LIVE", "position": 1}]}, "hides", ""),
    ],
)
def test_a_bad_rule_is_refused_naming_what_is_wrong(
    client: FlaskClient, tokens: Tokens, change: dict[str, t.Any], field: str, words: str
) -> None:
    ids = {
        "DRAFT": add_product(client, tokens, "KZ-DRAFT-001", HONEY, status="draft"),
        "LIVE": add_product(client, tokens, "KZ-LIVE-001", HONEY),
    }
    body: dict[str, t.Any] = {"query": "мёд", "hides": [ids["LIVE"]], **change}
    body["pins"] = [
        {**pin, "product_id": ids.get(pin["product_id"], pin["product_id"])} for pin in body.get("pins", [])
    ]
    body["hides"] = [ids.get(h, h) for h in body["hides"]]
    if words == "draft":
        words = str(ids["DRAFT"])
    response = post(client, tokens, RULES, body)
    assert response.status_code == 422, response.json
    errors = {error["field"]: error["message"] for error in response.json["errors"]}
    assert field in errors, errors
    assert words in errors[field]


@pytest.mark.parametrize("role", ["host", "translator_kk"])
@pytest.mark.parametrize("url", [SYNONYMS, RULES])
def test_viewers_and_other_roles_may_not_read_or_write(
    client: FlaskClient, tokens: Tokens, role: str, url: str
) -> None:
    assert client.get(url).status_code == 401
    assert client.get(url, headers=tokens.headers(role)).status_code == 403
    body = (
        {"locale": "kk", "term": "шарап", "synonyms": ["вино"]}
        if url == SYNONYMS
        else {"query": "мёд", "hides": [1]}
    )
    assert post(client, tokens, url, body, role=role).status_code == 403


def test_the_demo_synonyms_are_added_once(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    with app.app_context():
        session = get_session()
        assert seed_demo_synonyms(session) == len(DEMO_SYNONYMS)
        session.commit()
        assert seed_demo_synonyms(session) == 0
    listed = client.get(SYNONYMS, query_string={"locale": "kk"}, headers=tokens.headers("editor")).json[
        "items"
    ]
    assert {"шарап", "kumys"} <= {item["term"] for item in listed}
