"""The tax refund filter and facet of ``/api/v1/search``, kept current as the rules and products change."""

from __future__ import annotations

import datetime as dt
import typing as t
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.models import Booth
from catalog.models import Product
from catalog.searching import get_search
from catalog.services.refund_rules import RefundRate
from catalog.services.refund_rules import RefundRules
from catalog.services.tax_refund import today
from search import SearchQuery
from tests.catalog.test_tax_refund_api import rules_body
from tests.catalog.test_tax_refund_products import create
from tests.catalog.test_tax_refund_products import qualify
from tests.conftest import Tokens

SEARCH = "/api/v1/search"


def refund_ids(client: FlaskClient, **params: str) -> set[int]:
    body = client.get(SEARCH, query_string={"tax_refund": "true", "limit": "100", **params}).json
    return {item["id"] for item in body["items"]}


def refund_facet(client: FlaskClient) -> list[dict[str, t.Any]]:
    return t.cast(list[dict[str, t.Any]], client.get(SEARCH).json["facets"]["tax_refund"])


def patch(client: FlaskClient, tokens: Tokens, product_id: int, **fields: t.Any) -> None:
    etag = client.get(f"/api/v1/products/{product_id}").headers["ETag"]
    response = client.patch(
        f"/api/v1/products/{product_id}", json=fields, headers=tokens.headers("editor", **{"If-Match": etag})
    )
    assert response.status_code == 200, response.json


def test_search_keeps_products_a_refund_can_be_claimed_on(client: FlaskClient, tokens: Tokens) -> None:
    flour = create(client, tokens)
    wine = create(client, tokens, sku="FR-WINE-1", booth="france")
    kept_out = create(client, tokens, sku="KZ-KEPT-OUT-1", tax_refund_excluded=True)
    exempt = create(client, tokens, sku="KZ-EXEMPT-1", vat_class="exempt")
    assert refund_facet(client) == []  # no booth qualified yet
    qualify(client, tokens, "kazakhstan")
    assert refund_ids(client) == {flour["id"]}
    assert refund_facet(client) == [{"value": "true", "count": 1}]
    everything = client.get(SEARCH, query_string={"limit": "100"}).json
    assert {i["id"] for i in everything["items"]} == {flour["id"], wine["id"], kept_out["id"], exempt["id"]}
    assert refund_ids(client, origin_country="FR") == set()


def test_a_booth_losing_its_qualification_leaves_the_filter(client: FlaskClient, tokens: Tokens) -> None:
    flour = create(client, tokens)
    qualify(client, tokens, "kazakhstan")
    assert refund_ids(client) == {flour["id"]}
    qualify(client, tokens)
    assert refund_ids(client) == set()
    assert refund_facet(client) == []
    assert client.get(SEARCH).json["total"] == 1  # still found without the filter


def test_a_products_exclusion_or_class_moves_it_in_and_out(client: FlaskClient, tokens: Tokens) -> None:
    flour = create(client, tokens)
    qualify(client, tokens, "kazakhstan")
    patch(client, tokens, flour["id"], tax_refund_excluded=True)
    assert refund_ids(client) == set()
    patch(client, tokens, flour["id"], tax_refund_excluded=False)
    assert refund_ids(client) == {flour["id"]}
    patch(client, tokens, flour["id"], vat_class="exempt")
    assert refund_ids(client) == set()


def test_a_rule_change_reindexes_the_products_of_its_class(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    flour = create(client, tokens, vat_class="9")
    other = create(client, tokens, sku="KZ-OTHER-13")
    qualify(client, tokens, "kazakhstan")
    assert refund_ids(client) == {flour["id"], other["id"]}
    tomorrow = today() + dt.timedelta(days=1)
    later = [{"vat_class": "9", "refund_percent": "8", "effective_from": tomorrow.isoformat()}]
    ours = [r for r in rules_body()["rates"] if r["vat_class"] != "9"]
    qualify(client, tokens, "kazakhstan", rates=ours + later)
    assert refund_ids(client) == {other["id"]}  # class 9's rule only takes effect tomorrow
    with app.app_context():
        engine = get_search().engine
        ahead = engine.search(SearchQuery(tax_refund=True, tax_refund_on=tomorrow, limit=10))
    assert {hit.id for hit in ahead.hits} == {flour["id"], other["id"]}


@pytest.mark.parametrize(
    "database_url", ["sqlite"], indirect=True
)  # refused before any write: one database shows it
def test_tax_refund_must_be_a_yes_or_no(client: FlaskClient) -> None:
    response = client.get(SEARCH, query_string={"tax_refund": "maybe"})
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert [e["field"] for e in response.json["errors"]] == ["tax_refund"]


def _rules(*rates: tuple[str, str, dt.date]) -> RefundRules:
    return RefundRules(
        qualified_booths=("kazakhstan",),
        rates=tuple(RefundRate(c, Decimal(p), d) for c, p, d in rates),
        min_spend_cny=Decimal("200"),
        cash_cap_cny=Decimal("20000"),
        version=1,
        updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


def test_the_indexed_days_follow_each_rule_of_the_class() -> None:
    april, june, march = dt.date(2025, 4, 1), dt.date(2026, 6, 1), dt.date(2027, 3, 1)
    rules = _rules(
        ("13", "11", april), ("13", "10", june), ("9", "8", april), ("9", "0", june), ("9", "7", march)
    )
    assert rules.periods_for("13") == ((april, None),)  # a new rate continues the refund
    assert rules.periods_for("9") == ((april, june), (march, None))  # a 0% rule pauses it
    assert rules.periods_for("exempt") == ()
    assert rules.refund_percent(_product("9"), dt.date(2026, 12, 2)) is None  # no estimate at 0%


def _product(vat_class: str) -> Product:
    return Product(vat_class=vat_class, tax_refund_excluded=False, booth=Booth(slug="kazakhstan"))
