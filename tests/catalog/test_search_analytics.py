"""Search analytics: searches and clicks counted without personal data, and the staff's report."""

from __future__ import annotations

import datetime as dt
import typing as t

from flask.testing import FlaskClient

from catalog.services.search_analytics import normalize_query
from catalog.services.search_analytics import query_script
from tests.catalog.test_streams_helpers import add_product
from tests.conftest import Tokens


def search(client: FlaskClient, query: str, locale: str = "ru", times: int = 1) -> t.Any:
    for _ in range(times):
        answer = client.get("/api/v1/search", query_string={"q": query, "locale": locale})
        assert answer.status_code == 200, answer.json
    return answer.json


def click(client: FlaskClient, query: str, product_id: int, position: int = 1, locale: str = "ru") -> t.Any:
    body = {"q": query, "locale": locale, "position": position, "product_id": product_id}
    return client.post("/api/v1/search/clicks", json=body)


def report(client: FlaskClient, tokens: Tokens, **params: t.Any) -> dict[str, t.Any]:
    answer = client.get("/api/v1/search/analytics", query_string=params, headers=tokens.headers("editor"))
    assert answer.status_code == 200, answer.json
    return t.cast(dict[str, t.Any], answer.json)


def by_query(items: list[dict[str, t.Any]]) -> dict[tuple[str, str], dict[str, t.Any]]:
    return {(item["query"], item["locale"]): item for item in items}


def test_top_zero_result_and_low_click_through_queries(client: FlaskClient, tokens: Tokens) -> None:
    flour = add_product(client, tokens, "KZ-FLOUR-777")
    found = search(client, "Мука", times=6)
    assert found["total"] >= 1
    search(client, "мука  ", locale="kk", times=2)  # the same words in another locale count apart
    search(client, "zzqqxx", times=3)
    search(client, "шарап", times=1)
    for _ in range(2):
        assert click(client, "МУКА", flour).status_code == 202
    body = report(client, tokens, min_searches=5)
    top = by_query(body["top_queries"])
    assert [(i["query"], i["locale"]) for i in body["top_queries"][:2]] == [("мука", "ru"), ("zzqqxx", "ru")]
    assert top[("мука", "ru")]["searches"] == 6
    assert top[("мука", "ru")]["clicks"] == 2
    assert top[("мука", "ru")]["click_through"] == round(2 / 6, 4)
    assert top[("мука", "ru")]["script"] == "Cyrl"
    assert top[("мука", "kk")]["searches"] == 2
    zero = by_query(body["zero_result_queries"])
    assert zero[("zzqqxx", "ru")]["zero_results"] == 3
    assert ("мука", "ru") not in zero
    low = body["low_click_through_queries"]
    assert [(i["query"], i["locale"]) for i in low] == [("мука", "ru")]  # only it has 5 answered searches
    assert body["searches"] == 12
    assert body["clicks"] == 2
    only_kk = report(client, tokens, locale="kk")
    assert [(i["query"], i["locale"]) for i in only_kk["top_queries"]] == [("мука", "kk")]


def test_later_pages_and_empty_queries_are_not_new_searches(client: FlaskClient, tokens: Tokens) -> None:
    for i in range(3):
        add_product(client, tokens, f"KZ-FLOUR-{i:03d}")
    first = client.get("/api/v1/search", query_string={"q": "мука", "locale": "ru", "limit": 1})
    assert first.json["next_cursor"]
    following = client.get(
        "/api/v1/search",
        query_string={"q": "мука", "locale": "ru", "limit": 1, "cursor": first.json["next_cursor"]},
    )
    assert following.status_code == 200
    assert client.get("/api/v1/search", query_string={"q": "   ", "locale": "ru"}).status_code == 200
    body = report(client, tokens)
    assert [(i["query"], i["searches"]) for i in body["top_queries"]] == [("мука", 1)]


def test_the_search_page_counts_its_searches_too(client: FlaskClient, tokens: Tokens) -> None:
    add_product(client, tokens, "KZ-FLOUR-001")
    assert client.get("/search?q=мука&locale=ru").status_code == 200
    assert report(client, tokens)["searches"] == 1


def test_a_period_and_the_access_of_the_report(client: FlaskClient, tokens: Tokens) -> None:
    search(client, "мёд")
    now = dt.datetime.now(dt.UTC)
    later = (now + dt.timedelta(hours=2)).isoformat()
    assert (
        report(client, tokens, **{"from": later, "to": (now + dt.timedelta(hours=3)).isoformat()})["searches"]
        == 0
    )
    assert report(client, tokens, **{"from": now.date().isoformat()})["searches"] == 1
    backwards = client.get(
        "/api/v1/search/analytics",
        query_string={"from": later, "to": now.isoformat()},
        headers=tokens.headers("admin"),
    )
    assert backwards.status_code == 422
    assert backwards.json["errors"][0]["field"] == "to"
    assert (
        client.get("/api/v1/search/analytics?from=yesterday", headers=tokens.headers("admin")).status_code
        == 422
    )
    assert (
        client.get("/api/v1/search/analytics?locale=xx", headers=tokens.headers("admin")).status_code == 422
    )
    assert client.get("/api/v1/search/analytics").status_code == 401
    for role in ("host", "translator_kk"):
        assert client.get("/api/v1/search/analytics", headers=tokens.headers(role)).status_code == 403


def test_clicks_on_unknown_products_or_positions_are_refused(client: FlaskClient, tokens: Tokens) -> None:
    flour = add_product(client, tokens, "KZ-FLOUR-001")
    draft = add_product(client, tokens, "KZ-FLOUR-002", status="draft")
    for product_id, position, field in (
        (999_999, 1, "product_id"),
        (draft, 1, "product_id"),
        (flour, 0, "position"),
        (flour, 501, "position"),
    ):
        refused = click(client, "мука", product_id, position)
        assert refused.status_code == 422, (product_id, position)
        assert refused.json["errors"][0]["field"] == field
    assert click(client, "   ", flour).status_code == 422
    assert click(client, "x" * 201, flour).status_code == 422
    assert client.post("/api/v1/search/clicks", json={"q": "мука"}).status_code == 422
    assert client.post("/api/v1/search/clicks", data="q=мука").status_code == 415
    assert report(client, tokens)["clicks"] == 0


def test_queries_are_counted_as_typed_in_any_script() -> None:
    assert normalize_query("  Мёд   Алтая ") == "мёд алтая"
    assert normalize_query("ＭＵＫＡ") == "muka"
    assert [query_script(q) for q in ("мука", "muka", "面粉", "4870001234560", "мука flour")] == [
        "Cyrl",
        "Latn",
        "Hani",
        "none",
        "mixed",
    ]
