"""A product's VAT class and its departure tax refund on the API product read."""

from __future__ import annotations

import datetime as dt
import typing as t

import pytest
from flask.testing import FlaskClient

from catalog.services.tax_refund import today
from tests.catalog.payloads import product
from tests.catalog.test_tax_refund_api import put_rules
from tests.catalog.test_tax_refund_api import rules_body
from tests.conftest import Tokens

PRODUCTS = "/api/v1/products"


def create(client: FlaskClient, tokens: Tokens, **changes: t.Any) -> dict[str, t.Any]:
    response = client.post(PRODUCTS, json=product(**changes), headers=tokens.headers("editor"))
    assert response.status_code == 201, response.json
    return t.cast(dict[str, t.Any], response.json)


def qualify(client: FlaskClient, tokens: Tokens, *booths: str, **changes: t.Any) -> None:
    response = put_rules(client, tokens, rules_body(qualified_booths=list(booths), **changes))
    assert response.status_code == 200, response.json


def set_kzt(client: FlaskClient, tokens: Tokens) -> None:
    body = {"per_cny": "70", "as_of": "2026-11-29T00:00:00+00:00"}
    assert client.put("/api/v1/rates/KZT", json=body, headers=tokens.headers("admin")).status_code == 201


def test_a_product_of_a_qualified_booth_shows_the_estimate(client: FlaskClient, tokens: Tokens) -> None:
    flour = create(client, tokens, price={"amount": "250.00", "currency": "CNY"}, wholesale=[])
    qualify(client, tokens, "kazakhstan")
    refund = client.get(f"{PRODUCTS}/{flour['id']}?locale=en").json["tax_refund"]
    assert refund["eligible"] is True
    assert refund["refund_percent"] == "11"
    assert refund["estimate"]["amount"] == "27.50"
    assert refund["estimate"]["currency"] == "CNY"
    assert refund["min_spend"]["amount"] == "200.00"
    assert refund["cash_cap"]["amount"] == "20000.00"
    assert "estimate" in refund["note"].lower()
    assert "200" in refund["note"]


def test_the_estimate_is_in_the_readers_currency_and_language(client: FlaskClient, tokens: Tokens) -> None:
    flour = create(client, tokens, price={"amount": "250.00", "currency": "CNY"}, wholesale=[], vat_class="9")
    set_kzt(client, tokens)
    qualify(client, tokens, "kazakhstan")
    refund = client.get(f"{PRODUCTS}/{flour['id']}?locale=kk&currency=KZT").json["tax_refund"]
    assert refund["refund_percent"] == "8"
    assert refund["estimate"] == {"amount": "1400.00", "currency": "KZT", "formatted": "1\xa0400,00\xa0₸"}
    assert refund["min_spend"]["amount"] == "14000.00"


@pytest.mark.parametrize(
    ("changes", "booths"),
    [
        ({}, []),
        ({"tax_refund_excluded": True}, ["kazakhstan"]),
        ({"vat_class": "exempt"}, ["kazakhstan"]),
        ({"booth": None}, ["kazakhstan"]),
        ({"booth": "france"}, ["kazakhstan"]),
    ],
    ids=["booth not qualified", "excluded", "exempt", "no booth", "other booth"],
)
def test_the_estimate_never_shows_for_a_product_that_does_not_qualify(
    client: FlaskClient, tokens: Tokens, changes: dict[str, t.Any], booths: list[str]
) -> None:
    create(client, tokens, sku="KZ-OTHER-1")  # the kazakhstan booth exists whatever the case
    item = create(client, tokens, **changes)
    qualify(client, tokens, *booths)
    body = client.get(f"{PRODUCTS}/{item['id']}").json
    assert body["tax_refund"] == {"eligible": False}


def test_qualifying_the_booth_changes_a_product_read_before(client: FlaskClient, tokens: Tokens) -> None:
    flour = create(client, tokens)
    url = f"{PRODUCTS}/{flour['id']}"
    assert client.get(url).json["tax_refund"]["eligible"] is False
    qualify(client, tokens, "kazakhstan")
    assert client.get(url).json["tax_refund"]["eligible"] is True
    qualify(client, tokens)
    assert client.get(url).json["tax_refund"]["eligible"] is False


def test_a_rule_taking_effect_tomorrow_is_not_applied_today(client: FlaskClient, tokens: Tokens) -> None:
    flour = create(client, tokens, price={"amount": "100.00", "currency": "CNY"}, wholesale=[])
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    rates = [*rules_body()["rates"], {"vat_class": "13", "refund_percent": "5", "effective_from": tomorrow}]
    qualify(client, tokens, "kazakhstan", rates=rates)
    assert client.get(f"{PRODUCTS}/{flour['id']}").json["tax_refund"]["estimate"]["amount"] == "11.00"


def test_the_vat_class_and_exclusion_are_stored_and_changed(client: FlaskClient, tokens: Tokens) -> None:
    flour = create(client, tokens, vat_class="9")
    assert (flour["vat_class"], flour["tax_refund_excluded"]) == ("9", False)
    headers = tokens.headers(
        "editor", **{"If-Match": client.get(f"{PRODUCTS}/{flour['id']}").headers["ETag"]}
    )
    changed = client.patch(
        f"{PRODUCTS}/{flour['id']}",
        json={"vat_class": "exempt", "tax_refund_excluded": True},
        headers=headers,
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["vat_class"], changed.json["tax_refund_excluded"]) == ("exempt", True)


def test_a_product_without_a_vat_class_is_taxed_at_13(client: FlaskClient, tokens: Tokens) -> None:
    assert create(client, tokens)["vat_class"] == "13"


@pytest.mark.parametrize(
    "database_url", ["sqlite"], indirect=True
)  # refused before any write: one database shows it
@pytest.mark.parametrize("vat_class", ["5", "13%", 13, "", "EXEMPT"])
def test_an_unknown_vat_class_is_422(client: FlaskClient, tokens: Tokens, vat_class: t.Any) -> None:
    response = client.post(PRODUCTS, json=product(vat_class=vat_class), headers=tokens.headers("editor"))
    assert response.status_code == 422
    assert "vat_class" in [e["field"] for e in response.json["errors"]]
    flour = create(client, tokens)
    headers = tokens.headers(
        "editor", **{"If-Match": client.get(f"{PRODUCTS}/{flour['id']}").headers["ETag"]}
    )
    patched = client.patch(f"{PRODUCTS}/{flour['id']}", json={"vat_class": vat_class}, headers=headers)
    assert patched.status_code == 422
    assert "vat_class" in [e["field"] for e in patched.json["errors"]]


def test_excluded_must_be_a_boolean(client: FlaskClient, tokens: Tokens) -> None:
    response = client.post(
        PRODUCTS, json=product(tax_refund_excluded="maybe"), headers=tokens.headers("editor")
    )
    assert response.status_code == 422
    assert "tax_refund_excluded" in [e["field"] for e in response.json["errors"]]
