"""The card on air carries the tax refund mark of a qualifying product, in every locale and currency."""

from __future__ import annotations

import typing as t

import pytest
from flask.testing import FlaskClient

from tests.catalog.test_streams_helpers import add_product
from tests.catalog.test_streams_helpers import move
from tests.catalog.test_streams_helpers import put_lineup
from tests.catalog.test_streams_helpers import schedule
from tests.catalog.test_streams_helpers import set_rate
from tests.catalog.test_tax_refund_api import put_rules
from tests.catalog.test_tax_refund_api import rules_body
from tests.conftest import Tokens


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "SEARCH_SYNC_AFTER_REQUEST": False}


def card_on_air(client: FlaskClient, tokens: Tokens, product_id: int) -> dict[str, t.Any]:
    stream_id = schedule(client, tokens).json["id"]
    put_lineup(client, tokens, stream_id, {"items": [{"product_id": product_id, "number": 1}]})
    client.post(f"/api/v1/streams/{stream_id}/start", headers=tokens.headers("host"))
    return t.cast(dict[str, t.Any], move(client, tokens, stream_id, "next").json["card"])


def test_the_card_of_a_qualifying_product_has_the_estimate(client: FlaskClient, tokens: Tokens) -> None:
    set_rate(client, tokens)
    product_id = add_product(client, tokens, "KZ-HONEY-01")
    assert put_rules(client, tokens, rules_body(qualified_booths=["kazakhstan"])).status_code == 200
    card = card_on_air(client, tokens, product_id)
    kk = card["locales"]["kk"]["tax_refund"]
    assert kk["refund_percent"] == "11"
    assert kk["estimate"]["CNY"]["amount"] == "2.75"
    assert kk["estimate"]["KZT"] == {
        "amount": "203.50",
        "currency": "KZT",
        "formatted": "203,50\xa0₸",
        "rate_as_of": kk["estimate"]["KZT"]["rate_as_of"],
    }
    assert kk["min_spend"]["KZT"]["amount"] == "14800.00"
    assert card["locales"]["ru"]["tax_refund"]["estimate"]["CNY"]["amount"] == "2.75"


@pytest.mark.parametrize("excluded", [False, True], ids=["booth not qualified", "excluded"])
def test_the_card_of_a_product_that_does_not_qualify_has_no_mark(
    client: FlaskClient, tokens: Tokens, excluded: bool
) -> None:
    set_rate(client, tokens)
    product_id = add_product(client, tokens, "KZ-HONEY-01", tax_refund_excluded=excluded)
    qualified = ["kazakhstan"] if excluded else []
    assert put_rules(client, tokens, rules_body(qualified_booths=qualified)).status_code == 200
    card = card_on_air(client, tokens, product_id)
    assert card["locales"]["kk"]["tax_refund"] is None
    assert card["locales"]["ru"]["tax_refund"] is None
