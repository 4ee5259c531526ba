"""The search service's rules, called directly (no engine, no request)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from catalog.domain_errors import Invalid
from catalog.domain_errors import Malformed
from catalog.models import ExchangeRate
from catalog.services.product_search import SearchFilters
from catalog.services.product_search import bounds_in_yuan
from catalog.services.product_search import check_filters
from catalog.services.product_search import first_row

RATES = {
    "KZT": ExchangeRate(currency="KZT", per_cny=Decimal("70"), as_of=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
}


def test_unknown_sorts_and_facets_are_named_together() -> None:
    with pytest.raises(Invalid) as caught:
        check_filters(SearchFilters(sort="cheapest", facets=("colour", "category")))
    assert [e["field"] for e in caught.value.errors] == ["sort", "facets"]
    assert (
        "colour" in caught.value.errors[1]["message"]
        and "origin_country" in caught.value.errors[1]["message"]
    )


def test_a_lowest_price_above_the_highest_is_refused() -> None:
    with pytest.raises(Invalid) as caught:
        check_filters(SearchFilters(price_min=Decimal("30"), price_max=Decimal("10")))
    assert caught.value.detail == "price_min is greater than price_max."
    assert caught.value.errors == [
        {"field": "price_min", "message": "The lowest price is above the highest; swap them or clear one."}
    ]
    check_filters(SearchFilters(price_min=Decimal("10"), price_max=Decimal("10")))


def test_bounds_are_converted_to_yuan_or_refused_without_a_rate() -> None:
    bounded = SearchFilters(price_min=Decimal("1400"), price_max=Decimal("2100"), currency="KZT")
    assert bounds_in_yuan(bounded, RATES) == (Decimal("20.00"), Decimal("30.00"))
    assert bounds_in_yuan(SearchFilters(price_max=Decimal("5"), currency="CNY"), {}) == (
        None,
        Decimal("5.00"),
    )
    assert bounds_in_yuan(SearchFilters(currency="USD"), {}) == (None, None)
    with pytest.raises(Invalid) as caught:
        bounds_in_yuan(SearchFilters(price_min=Decimal("5"), currency="USD"), RATES)
    assert caught.value.errors == [
        {"field": "currency", "message": "No exchange rate for USD has been entered."}
    ]


def test_the_cursor_key_covers_what_picks_and_orders_the_hits() -> None:
    base = SearchFilters(text="мёд", countries=("KZ",))
    assert base.key() == SearchFilters(text="мёд", countries=("KZ",), currency="KZT").key()
    assert base.key() != SearchFilters(text="мёд", countries=("KZ",), sort="newest").key()
    assert base.key() != SearchFilters(text="мед", countries=("KZ",)).key()
    bounded = SearchFilters(text="мёд", price_min=Decimal("5"))
    assert bounded.key() != SearchFilters(text="мёд", price_min=Decimal("5"), currency="KZT").key()


def test_a_cursor_must_belong_to_the_same_search() -> None:
    filters = SearchFilters(text="чай")
    assert first_row(filters, None) == 0
    assert first_row(filters, {"k": "search", "o": 40, "q": filters.key()}) == 40
    for foreign in (
        {"k": "search", "o": 40, "q": SearchFilters(text="кофе").key()},
        {"k": "search", "o": "40", "q": filters.key()},
        {"k": "search", "o": True, "q": filters.key()},
        {"k": "search", "q": filters.key()},
    ):
        with pytest.raises(Malformed):
            first_row(filters, foreign)
