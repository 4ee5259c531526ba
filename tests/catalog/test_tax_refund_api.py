"""The departure tax refund rules over the API: defaults, edits with history, and refusals."""

from __future__ import annotations

import datetime as dt
import typing as t

import pytest
from flask.testing import FlaskClient

from catalog.services.tax_refund import today
from tests.catalog.payloads import product
from tests.conftest import Tokens

URL = "/api/v1/tax-refund/rules"


def rules_body(**changes: t.Any) -> dict[str, t.Any]:
    """Today's rules as a PUT body, with *changes* applied."""
    body: dict[str, t.Any] = {
        "qualified_booths": ["kazakhstan"],
        "rates": [
            {"vat_class": "13", "refund_percent": "11", "effective_from": "2025-04-01"},
            {"vat_class": "9", "refund_percent": "8", "effective_from": "2025-04-01"},
        ],
        "min_spend_cny": "200.00",
        "cash_cap_cny": "20000.00",
    }
    body.update(changes)
    return body


def put_rules(client: FlaskClient, tokens: Tokens, body: t.Any, role: str = "admin") -> t.Any:
    etag = client.get(URL).headers["ETag"]
    return client.put(URL, json=body, headers=tokens.headers(role, **{"If-Match": etag}))


def add_booth(client: FlaskClient, tokens: Tokens, booth: str = "kazakhstan") -> None:
    sku = f"{booth.upper()}-1"
    response = client.post(
        "/api/v1/products", json=product(sku=sku, booth=booth), headers=tokens.headers("editor")
    )
    assert response.status_code == 201, response.json


def test_defaults_are_todays_rules(client: FlaskClient) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert response.headers["ETag"]
    assert response.json["rates"] == [
        {"vat_class": "13", "refund_percent": "11", "effective_from": "2025-04-01"},
        {"vat_class": "9", "refund_percent": "8", "effective_from": "2025-04-01"},
    ]
    assert response.json["min_spend_cny"] == "200.00"
    assert response.json["cash_cap_cny"] == "20000.00"
    assert response.json["qualified_booths"] == []


def test_admin_replaces_the_rules_and_the_history_keeps_the_change(
    client: FlaskClient, tokens: Tokens
) -> None:
    add_booth(client, tokens)
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    rates = [
        *rules_body()["rates"],
        {"vat_class": "13", "refund_percent": "10.5", "effective_from": tomorrow},
    ]
    response = put_rules(client, tokens, rules_body(rates=rates, min_spend_cny="150"))
    assert response.status_code == 200, response.json
    assert response.json["qualified_booths"] == ["kazakhstan"]
    assert response.json["min_spend_cny"] == "150.00"
    assert {"vat_class": "13", "refund_percent": "10.5", "effective_from": tomorrow} in response.json["rates"]
    assert client.get(URL).json == response.json
    history = client.get(f"{URL}/history", headers=tokens.headers("admin")).json["items"]
    assert len(history) == 1
    assert history[0]["user"] == "admin"
    assert history[0]["changes"]["min_spend_cny"] == ["200.00", "150.00"]
    assert history[0]["changes"]["qualified_booths"] == [[], ["kazakhstan"]]


def test_the_same_rules_again_change_nothing(client: FlaskClient, tokens: Tokens) -> None:
    add_booth(client, tokens)
    first = put_rules(client, tokens, rules_body())
    second = put_rules(client, tokens, rules_body())
    assert second.status_code == 200
    assert second.json["version"] == first.json["version"]
    assert len(client.get(f"{URL}/history", headers=tokens.headers("admin")).json["items"]) == 1


def test_put_needs_if_match_and_refuses_a_stale_one(client: FlaskClient, tokens: Tokens) -> None:
    add_booth(client, tokens)
    stale = client.get(URL).headers["ETag"]
    missing = client.put(URL, json=rules_body(), headers=tokens.headers("admin"))
    assert missing.status_code == 428
    assert put_rules(client, tokens, rules_body(min_spend_cny="100")).status_code == 200
    conflict = client.put(URL, json=rules_body(), headers=tokens.headers("admin", **{"If-Match": stale}))
    assert conflict.status_code == 412
    assert client.get(URL).json["min_spend_cny"] == "100.00"


@pytest.mark.parametrize(("role", "status"), [("editor", 403), ("host", 403), ("translator_kk", 403)])
def test_only_admins_edit_the_rules(client: FlaskClient, tokens: Tokens, role: str, status: int) -> None:
    assert put_rules(client, tokens, rules_body(qualified_booths=[]), role).status_code == status
    assert client.get(f"{URL}/history", headers=tokens.headers(role)).status_code == status


def test_anonymous_cannot_edit_or_read_the_history(client: FlaskClient) -> None:
    etag = client.get(URL).headers["ETag"]
    assert client.put(URL, json=rules_body(), headers={"If-Match": etag}).status_code == 401
    assert client.get(f"{URL}/history").status_code == 401


def _rate(vat_class: str, percent: str, effective_from: str) -> dict[str, str]:
    return {"vat_class": vat_class, "refund_percent": percent, "effective_from": effective_from}


YESTERDAY = (today() - dt.timedelta(days=1)).isoformat()
NEXT_YEAR = (today() + dt.timedelta(days=366)).isoformat()
TODAYS = rules_body()["rates"]

BAD: list[tuple[str, dict[str, t.Any], str]] = [
    ("rate above 20%", {"rates": [_rate("13", "20.01", NEXT_YEAR)]}, "rates.0.refund_percent"),
    ("rate below 0", {"rates": [_rate("13", "-1", NEXT_YEAR)]}, "rates.0.refund_percent"),
    ("rate as a number", {"rates": [_rate("13", 11, NEXT_YEAR)]}, "rates.0.refund_percent"),  # type: ignore[arg-type]
    ("unknown VAT class", {"rates": [_rate("5", "4", NEXT_YEAR)]}, "rates.0.vat_class"),
    ("no date", {"rates": [{"vat_class": "13", "refund_percent": "11"}]}, "rates.0.effective_from"),
    ("past rule over another", {"rates": [*TODAYS, _rate("13", "9", YESTERDAY)]}, "rates.2.effective_from"),
    (
        "two rules one day",
        {"rates": [*TODAYS, _rate("9", "7", NEXT_YEAR), _rate("9", "6", NEXT_YEAR)]},
        "rates.3.effective_from",
    ),
    ("no rate at all", {"rates": []}, "rates"),
    ("threshold below 0", {"min_spend_cny": "-0.01"}, "min_spend_cny"),
    ("cash cap below 0", {"cash_cap_cny": "-5"}, "cash_cap_cny"),
    ("threshold not a decimal", {"min_spend_cny": "two hundred"}, "min_spend_cny"),
    ("unknown booth", {"qualified_booths": ["atlantis"]}, "qualified_booths.0"),
    ("booth not a slug", {"qualified_booths": ["Kazakhstan Hall"]}, "qualified_booths.0"),
    ("unknown field", {"currency": "KZT"}, "currency"),
]


@pytest.mark.parametrize(
    "database_url", ["sqlite"], indirect=True
)  # refused before any write: one database shows it
@pytest.mark.parametrize(("change", "field"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_rules_are_422_naming_the_field(
    client: FlaskClient, tokens: Tokens, change: dict[str, t.Any], field: str
) -> None:
    add_booth(client, tokens)
    before = client.get(URL).json
    response = put_rules(client, tokens, rules_body(**change))
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in [e["field"] for e in response.json["errors"]]
    assert client.get(URL).json == before


def test_a_past_rule_before_every_other_of_its_class_is_kept(client: FlaskClient, tokens: Tokens) -> None:
    add_booth(client, tokens)
    rates = [*TODAYS, _rate("9", "7", "2024-01-01")]
    response = put_rules(client, tokens, rules_body(rates=rates))
    assert response.status_code == 200, response.json
    assert _rate("9", "7", "2024-01-01") in response.json["rates"]
