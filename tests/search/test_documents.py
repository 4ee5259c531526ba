"""Value objects refuse what no engine can run, with messages a person can act on."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal

import pytest

from search import InvalidQuery
from search import LocalizedText
from search import SearchError
from search import SearchQuery
from search import category_ancestors
from search import document_problem
from tests.search.contract.catalog import CATALOG


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "x" * 201}, "query text is 201 characters long; the limit is 200"),
        ({"sort": "cheapest"}, "unknown sort 'cheapest'; use one of: relevance, price_asc"),
        ({"facets": ("brand",)}, "unknown facet 'brand'; use any of: origin_country"),
        ({"limit": 0}, "limit must be between 1 and 100, got 0"),
        ({"limit": 101}, "limit must be between 1 and 100, got 101"),
        ({"offset": -1}, "offset must be zero or more, got -1"),
        ({"offset": 9990, "limit": 20}, "offset + limit may not exceed 10000"),
        ({"locales": ()}, "locales must name at least one locale"),
        ({"price_min_cny": Decimal("-1")}, "price_min_cny may not be negative, got -1"),
        ({"price_max_cny": Decimal("NaN")}, "price_max_cny must be a finite Decimal"),
        (
            {"price_min_cny": Decimal("10"), "price_max_cny": Decimal("5")},
            "price_min_cny (10) is greater than price_max_cny (5)",
        ),
    ],
)
def test_bad_queries_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidQuery) as caught:
        SearchQuery(**fields)  # type: ignore[arg-type]
    assert message in str(caught.value)
    assert isinstance(caught.value, SearchError)
    assert isinstance(caught.value, ValueError)


def test_a_plain_query_is_accepted() -> None:
    query = SearchQuery(text="чай", limit=100, offset=9900)
    assert query.sort == "relevance"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": 0}, "id must be a positive integer, got 0"),
        ({"sku": " "}, "sku is empty"),
        ({"texts": {"de": LocalizedText("Tee")}}, "unknown content locale 'de'"),
        ({"texts": {"ru": LocalizedText("")}}, "the product has no name in any locale"),
        ({"category": "food..tea"}, "category must be a dotted slug path"),
        ({"price_cny": Decimal("Infinity")}, "price_cny must be a finite Decimal"),
        ({"created_at": datetime(2026, 1, 1)}, "created_at must be timezone-aware"),
    ],
)
def test_document_problems(changes: dict[str, object], message: str) -> None:
    doc = dataclasses.replace(CATALOG[0], **changes)  # type: ignore[arg-type]
    problem = document_problem(doc)
    assert problem is not None and message in problem


def test_catalog_documents_have_no_problem() -> None:
    assert [document_problem(doc) for doc in CATALOG] == [None] * len(CATALOG)


def test_category_ancestors() -> None:
    assert category_ancestors("food.sweets.chocolate") == (
        "food",
        "food.sweets",
        "food.sweets.chocolate",
    )
