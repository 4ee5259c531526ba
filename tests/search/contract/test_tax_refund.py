"""The departure tax refund filter and its facet: products a refund can be claimed on, by day."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from search import TAX_REFUND
from search import FacetValue
from search import RefundPeriod
from search import SearchDocument
from search import SearchEngine
from tests.search.contract import catalog as c
from tests.search.contract.fixtures import MakeEngine
from tests.search.contract.helpers import found
from tests.search.contract.helpers import run

#: Booths qualified from the day the lower threshold came in.
QUALIFIED_FROM = date(2025, 4, 1)
#: The Sri Lankan tea's VAT class gets a refund rate only from this later day.
TEA_FROM = date(2030, 1, 1)
#: The French wine's refund ended when a 0% rule took effect.
WINE_UNTIL = date(2026, 1, 1)
TODAY = date(2026, 12, 2)
KAZAKH_BOOTH = {doc.id for doc in c.CATALOG if doc.booth == "kazakhstan"}


def _periods(doc: SearchDocument) -> tuple[RefundPeriod, ...]:
    if doc.booth == "kazakhstan":
        return ((QUALIFIED_FROM, None),)
    if doc.id == c.WINE:
        return ((QUALIFIED_FROM, WINE_UNTIL),)
    return ((TEA_FROM, None),) if doc.id == c.TEA else ()


def _indexed(engine: SearchEngine) -> SearchEngine:
    docs = [dataclasses.replace(doc, tax_refund_periods=_periods(doc)) for doc in c.CATALOG]
    assert engine.index(docs).failed == ()
    return engine


@pytest.fixture(scope="module")
def refund_engine(make_engine: MakeEngine) -> SearchEngine:
    """The fixed catalog with refund days, shared by the read-only tests of this module."""
    return _indexed(make_engine())


def _refund_count(engine: SearchEngine, text: str = "", **options: object) -> int:
    facet = run(engine, text, facets=("tax_refund",), tax_refund_on=TODAY, **options).facets["tax_refund"]
    assert all(value.value == TAX_REFUND for value in facet)
    return sum(value.count for value in facet)


def test_filter_keeps_products_a_refund_can_be_claimed_on(refund_engine: SearchEngine) -> None:
    assert set(found(refund_engine, "", tax_refund=True, tax_refund_on=TODAY)) == KAZAKH_BOOTH
    chocolate = set(found(refund_engine, "шоколад"))
    assert (
        set(found(refund_engine, "шоколад", tax_refund=True, tax_refund_on=TODAY)) == chocolate & KAZAKH_BOOTH
    )
    assert len(chocolate) > len(chocolate & KAZAKH_BOOTH) > 0


def test_filter_follows_the_day_rules_take_effect(refund_engine: SearchEngine) -> None:
    assert found(refund_engine, "", tax_refund=True, tax_refund_on=date(2025, 3, 31)) == []
    first_day = set(found(refund_engine, "", tax_refund=True, tax_refund_on=QUALIFIED_FROM))
    assert first_day == KAZAKH_BOOTH | {c.WINE}
    assert c.WINE in found(refund_engine, "", tax_refund=True, tax_refund_on=date(2025, 12, 31))
    assert c.WINE not in found(refund_engine, "", tax_refund=True, tax_refund_on=WINE_UNTIL)
    later = set(found(refund_engine, "", tax_refund=True, tax_refund_on=TEA_FROM))
    assert later == KAZAKH_BOOTH | {c.TEA}


def test_facet_counts_products_a_refund_can_be_claimed_on(refund_engine: SearchEngine) -> None:
    result = run(refund_engine, "", facets=("tax_refund", "booth"), tax_refund_on=TODAY)
    assert result.facets["tax_refund"] == (FacetValue(TAX_REFUND, len(KAZAKH_BOOTH)),)
    chocolate = set(found(refund_engine, "шоколад"))
    assert _refund_count(refund_engine, "шоколад") == len(chocolate & KAZAKH_BOOTH)
    russian = {doc.id for doc in c.CATALOG if doc.origin_country == "RU"}
    assert _refund_count(refund_engine, "", origin_countries=("RU",)) == len(russian & KAZAKH_BOOTH)
    assert (
        run(refund_engine, "", facets=("tax_refund",), tax_refund_on=date(2025, 1, 1)).facets["tax_refund"]
        == ()
    )


def test_facet_ignores_its_own_filter_and_restricts_the_others(refund_engine: SearchEngine) -> None:
    result = run(refund_engine, "", tax_refund=True, tax_refund_on=TODAY, facets=("tax_refund", "booth"))
    assert result.total == len(KAZAKH_BOOTH)
    assert result.facets["tax_refund"] == (FacetValue(TAX_REFUND, len(KAZAKH_BOOTH)),)
    assert result.facets["booth"] == (FacetValue("kazakhstan", len(KAZAKH_BOOTH)),)


def test_a_booth_losing_its_qualification_leaves_the_filter_and_facet(engine: SearchEngine) -> None:
    _indexed(engine)
    lost = [
        dataclasses.replace(doc, version=2, tax_refund_periods=())
        for doc in c.CATALOG
        if doc.id in KAZAKH_BOOTH
    ]
    assert engine.index(lost).failed == ()
    assert found(engine, "", tax_refund=True, tax_refund_on=TODAY) == []
    assert _refund_count(engine) == 0
    assert set(found(engine, "", tax_refund=True, tax_refund_on=TEA_FROM)) == {c.TEA}
    assert set(found(engine, "", booths=("kazakhstan",))) >= KAZAKH_BOOTH  # still found otherwise
