"""Search through the HTTP API: index sync from writes, the contract's answers, bad input."""

from __future__ import annotations

import typing as t
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog import create_app
from tests.catalog.payloads import product
from tests.conftest import Tokens

CHOCOLATE = {
    "zh": {"name": "俄罗斯黑巧克力 100克", "highlights": ["可可含量72%"]},
    "ru": {"name": "Шоколад горький «Бабаевский» 100 г", "description": "Горький шоколад с какао 72%."},
    "en": {"name": "Babaevsky dark chocolate 100 g"},
    "kk": {"name": "Ащы шоколад 100 г"},
}
TEA = {
    "zh": {"name": "斯里兰卡锡兰红茶 200克"},
    "ru": {"name": "Чай чёрный цейлонский 200 г"},
    "kk": {"name": "Цейлон қара шайы 200 г"},
    "en": {"name": "Ceylon black tea 200 g"},
}


def seed(client: FlaskClient, tokens: Tokens) -> dict[str, int]:
    ids = {}
    for sku, country, category, content, price in (
        ("KZ-FLOUR-001", "KZ", "food.flour", None, "25.00"),
        ("RU-CHOC-001", "RU", "food.sweets", CHOCOLATE, "18.50"),
        ("LK-TEA-001", "LK", "drinks.tea", TEA, "46.00"),
    ):
        body = product(
            sku=sku,
            origin_country=country,
            category=category,
            barcode=None,
            price={"amount": price, "currency": "CNY"},
            wholesale=[],
        )
        if content:
            body["content"] = content
        response = client.post("/api/v1/products", json=body, headers=tokens.headers("editor"))
        assert response.status_code == 201, response.json
        ids[sku] = response.json["id"]
    return ids


def skus(client: FlaskClient, query: str) -> list[str]:
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 200, response.json
    return [item["sku"] for item in response.json["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=чая", "LK-TEA-001"),
        ("q=muka", "KZ-FLOUR-001"),
        ("q=面粉", "KZ-FLOUR-001"),
        ("q=шоколат", "RU-CHOC-001"),
        ("q=chocolate&locale=ru", "RU-CHOC-001"),
        ("q=巧克力&locale=ru", "RU-CHOC-001"),
        ("q=shokolad", "RU-CHOC-001"),
        ("q=RU-CHOC-001", "RU-CHOC-001"),
    ],
)
def test_writes_are_searchable_at_once(
    client: FlaskClient, tokens: Tokens, query: str, expected: str
) -> None:
    seed(client, tokens)
    assert skus(client, query)[:1] == [expected]


def test_results_are_shown_in_the_readers_locale(client: FlaskClient, tokens: Tokens) -> None:
    seed(client, tokens)
    body = client.get("/api/v1/search?q=chocolate&locale=kk").json
    item = body["items"][0]
    assert item["name"] == "Ащы шоколад 100 г"
    assert item["price"] == {"amount": "18.50", "currency": "CNY"}
    latin = client.get("/api/v1/search?q=chocolate&locale=kk-Latn").json["items"][0]
    assert latin["name"] == "Aşy şokolad 100 g"
    assert "<mark>" in client.get("/api/v1/search?q=шоколад&locale=ru").json["items"][0]["highlight"]


def test_filters_and_disjunctive_facets(client: FlaskClient, tokens: Tokens) -> None:
    seed(client, tokens)
    body = client.get("/api/v1/search?origin_country=KZ").json
    assert body["total"] == 1
    countries = {f["value"]: f["count"] for f in body["facets"]["origin_country"]}
    assert countries == {"KZ": 1, "RU": 1, "LK": 1}
    assert skus(client, "category=food&sort=price_asc") == ["RU-CHOC-001", "KZ-FLOUR-001"]
    assert skus(client, "price_min=20&price_max=30") == ["KZ-FLOUR-001"]


def test_price_filter_in_another_currency(client: FlaskClient, tokens: Tokens) -> None:
    seed(client, tokens)
    client.put("/api/v1/rates/KZT", json={"per_cny": "70"}, headers=tokens.headers("admin"))
    assert skus(client, "currency=KZT&price_min=1500&price_max=2000") == ["KZ-FLOUR-001"]


def test_archived_and_draft_products_leave_search(client: FlaskClient, tokens: Tokens) -> None:
    ids = seed(client, tokens)
    url = f"/api/v1/products/{ids['LK-TEA-001']}"
    etag = client.get(url).headers["ETag"]
    assert client.delete(url, headers={**tokens.headers("editor"), "If-Match": etag}).status_code == 200
    assert skus(client, "q=чай") == []
    draft = product(sku="KZ-FLOUR-002", status="draft", barcode=None)
    client.post("/api/v1/products", json=draft, headers=tokens.headers("editor"))
    assert skus(client, "q=KZ-FLOUR-002") == []


def test_pages_with_a_cursor(client: FlaskClient, tokens: Tokens) -> None:
    seed(client, tokens)
    first = client.get("/api/v1/search?limit=2&sort=price_asc").json
    assert first["total"] == 3 and len(first["items"]) == 2
    second = client.get(f"/api/v1/search?limit=2&sort=price_asc&cursor={first['next_cursor']}").json
    assert [i["sku"] for i in second["items"]] == ["LK-TEA-001"]
    assert second["next_cursor"] is None
    other = client.get(f"/api/v1/search?limit=2&sort=newest&cursor={first['next_cursor']}")
    assert other.status_code == 400


def test_suggest_from_the_second_letter(client: FlaskClient, tokens: Tokens) -> None:
    ids = seed(client, tokens)
    body = client.get("/api/v1/search/suggest?q=шо&locale=ru").json
    assert {"text": "Шоколад горький «Бабаевский» 100 г", "product_id": ids["RU-CHOC-001"]} in body[
        "suggestions"
    ]


HOSTILE = [
    '"',
    "'",
    "*",
    "-",
    "NEAR",
    "AND",
    "OR NOT",
    "(",
    ")",
    "((чай",
    "чай)",
    "[",
    "{",
    "}",
    '"unbalanced',
    "name:чай",
    "^",
    "\\",
    "%",
    "_",
    "'; DROP TABLE products; --",
    "\ud800",
    "🍫🍫",
    "чай*",
    "NEAR(чай мука)",
    "a" * 200,
    "  ",
    "\u200b",
    "\u0301",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_queries_are_text_never_syntax(client: FlaskClient, tokens: Tokens, query: str) -> None:
    seed(client, tokens)
    raw = quote(query, safe="", errors="surrogatepass")  # lone surrogates arrive as raw bytes
    response = client.get(f"/api/v1/search?q={raw}")
    assert response.status_code == 200, response.json
    for item in response.json["items"]:
        assert "<script>" not in item["highlight"]
    assert client.get(f"/api/v1/search/suggest?q={raw}").status_code in (200, 422)


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"q": "a" * 201}, "q", "200"),
        ({"q": "a" * 10_000}, "q", "200"),
        ({"q": "чай\x00"}, "q", "control"),
        ({"q": "\x07\x1b"}, "q", "control"),
        ({"sort": "cheapest"}, "sort", "relevance"),
        ({"facets": "colour"}, "facets", "origin_country"),
        ({"price_min": "30", "price_max": "10"}, "price_min", "price_max"),
        ({"price_min": "abc"}, "price_min", ""),
        ({"limit": "1000"}, "limit", ""),
        ({"locale": "xx"}, "locale", "zh"),
        ({"currency": "ZZZ", "price_min": "1"}, "currency", ""),
    ],
)
def test_bad_search_parameters_are_422(
    client: FlaskClient, params: dict[str, str], field: str, words: str
) -> None:
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 422, response.json
    assert response.json["errors"][0]["field"] == field
    assert words in response.json["errors"][0]["message"] + response.json["detail"]


@pytest.fixture
def engine_down_app(app_config: dict[str, t.Any], tmp_path: t.Any) -> t.Iterator[Flask]:
    from tests.support.postgres import free_port

    config = {
        **app_config,
        "SEARCH_URL": f"elasticsearch://127.0.0.1:{free_port()}",
        "SEARCH_OPTIONS": {"timeout": 1, "retries": 0},
    }
    app = create_app(config, instance_path=str(tmp_path / "down"))
    yield app
    app.extensions["db"].dispose()


def test_engine_down_writes_succeed_and_search_says_so(engine_down_app: Flask) -> None:
    from catalog.db import get_session
    from catalog.models import Role
    from catalog.services.indexing import backlog
    from catalog.services.users import add_user

    with engine_down_app.app_context():
        _, token = add_user(get_session(), "ed", Role.EDITOR)
        get_session().commit()
    client = engine_down_app.test_client()
    response = client.post("/api/v1/products", json=product(), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    with engine_down_app.app_context():
        assert backlog(get_session()) == 1
    search = client.get("/api/v1/search?q=muka")
    assert search.status_code == 503
    assert "Search is unavailable" in search.json["detail"]
    assert client.get("/healthz").json == {"status": "degraded"}
    health = client.get("/healthz", headers={"Authorization": f"Bearer {token}"}).json
    assert health["status"] == "degraded" and health["search"]["ok"] is False


def test_a_cursor_keeps_its_place_when_only_the_display_changes(client: FlaskClient, tokens: Tokens) -> None:
    seed(client, tokens)
    first = client.get("/api/v1/search?limit=2&sort=price_asc&locale=zh").json
    second = client.get(f"/api/v1/search?limit=2&sort=price_asc&locale=ru&cursor={first['next_cursor']}")
    assert second.status_code == 200, second.json
    assert [i["sku"] for i in second.json["items"]] == ["LK-TEA-001"]
    other = client.get(f"/api/v1/search?limit=2&sort=price_asc&q=tea&cursor={first['next_cursor']}")
    assert other.status_code == 400
    assert "belongs to another search" in other.json["detail"]


def test_unknown_words_are_named_and_typos_get_a_correction(client: FlaskClient, tokens: Tokens) -> None:
    seed(client, tokens)
    partly = client.get(f"/api/v1/search?q={quote('шоколад zzzzqqq')}").json
    assert [item["sku"] for item in partly["items"]] == ["RU-CHOC-001"]
    assert (partly["ignored_words"], partly["corrected_query"]) == (["zzzzqqq"], None)
    typo = client.get(f"/api/v1/search?q={quote('шоклад')}").json
    assert [item["sku"] for item in typo["items"]] == ["RU-CHOC-001"]
    assert (typo["ignored_words"], typo["corrected_query"]) == ([], "шоколад")


def test_country_category_and_booth_names_find_products(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    from catalog.db import get_session
    from catalog.services.categories import ensure_booth
    from catalog.services.categories import ensure_category

    with app.app_context():
        session = get_session()
        ensure_category(session, "drinks").names = {"ru": "Напитки", "en": "Drinks"}
        ensure_category(session, "drinks.tea").names = {"ru": "Чай", "kk": "Шай"}
        ensure_booth(session, "sri-lanka").names = {"ru": "Шри-Ланка", "en": "Sri Lanka"}
        session.commit()
    seed(client, tokens)
    body = product(
        sku="LK-GIFT-001", origin_country="LK", category="drinks.tea", booth="sri-lanka", barcode=None
    )
    body["content"] = {"zh": {"name": "礼盒"}, "en": {"name": "Gift box of four tins"}}
    created = client.post("/api/v1/products", json=body, headers=tokens.headers("editor"))
    assert created.status_code == 201, created.json
    assert set(skus(client, f"q={quote('напитки')}")) == {"LK-TEA-001", "LK-GIFT-001"}
    assert skus(client, "q=Kazakhstan") == ["KZ-FLOUR-001"]  # the country's CLDR name in English
    assert skus(client, f"q={quote('казахская мука')}") == ["KZ-FLOUR-001"]
    assert set(skus(client, f"q={quote('Шри-Ланка')}")) == {"LK-TEA-001", "LK-GIFT-001"}


@pytest.mark.parametrize(("query", "words"), [("a" * 201, "100 characters"), ("шо\x00", "control")])
def test_bad_suggest_text_is_422(client: FlaskClient, query: str, words: str) -> None:
    response = client.get("/api/v1/search/suggest", query_string={"q": query})
    assert response.status_code == 422, response.json
    assert response.json["errors"][0]["field"] == "q"
    assert words in response.json["errors"][0]["message"]


@pytest.mark.parametrize("query", ["?!…", "((", "🍫🍫"])
def test_text_without_letters_or_digits_answers_nothing_and_says_so(
    client: FlaskClient, tokens: Tokens, query: str
) -> None:
    seed(client, tokens)
    body = client.get("/api/v1/search", query_string={"q": query}).json
    assert (body["total"], body["items"], body["ignored_words"]) == (0, [], [query])
