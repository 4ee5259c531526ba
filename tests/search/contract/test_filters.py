"""Filters, disjunctive facets, sorting and paging."""

from __future__ import annotations

from decimal import Decimal

from search import FacetValue
from search import SearchEngine
from tests.search.contract import catalog as c
from tests.search.contract.helpers import found
from tests.search.contract.helpers import ids
from tests.search.contract.helpers import run

ALL = {doc.id for doc in c.CATALOG}


def where(**attributes: object) -> set[int]:
    return {
        doc.id for doc in c.CATALOG if all(getattr(doc, name) == value for name, value in attributes.items())
    }


def test_empty_text_lists_every_product(catalog_engine: SearchEngine) -> None:
    result = run(catalog_engine, "", limit=100)
    assert result.total == len(c.CATALOG)
    assert set(ids(result)) == ALL


def test_country_filter(catalog_engine: SearchEngine) -> None:
    assert set(found(catalog_engine, "", origin_countries=("KZ",))) == where(origin_country="KZ")
    assert set(found(catalog_engine, "", origin_countries=("LK", "TH"))) == {c.TEA, c.BALM}


def test_category_filter_includes_subcategories(catalog_engine: SearchEngine) -> None:
    sweets = {c.DARK_CHOCOLATE, c.MILK_CHOCOLATE, c.COOKIES}
    assert set(found(catalog_engine, "", categories=("food.sweets",))) == sweets
    food = {doc.id for doc in c.CATALOG if doc.category.startswith("food.")}
    assert set(found(catalog_engine, "", categories=("food",))) == food
    assert found(catalog_engine, "", categories=("food.sw",)) == []  # whole segments only


def test_booth_filter(catalog_engine: SearchEngine) -> None:
    assert set(found(catalog_engine, "", booths=("russia",))) == where(booth="russia")


def test_price_range_is_inclusive(catalog_engine: SearchEngine) -> None:
    hits = found(catalog_engine, "", price_min_cny=Decimal("18"), price_max_cny=Decimal("25.00"))
    assert set(hits) == {c.DARK_CHOCOLATE, c.BALM, c.MILK_CHOCOLATE, c.FLOUR}
    assert set(found(catalog_engine, "", price_min_cny=Decimal("1000"))) == {c.FUR_COAT}
    assert set(found(catalog_engine, "", price_max_cny=Decimal("9.90"))) == {c.COOKIES, c.BREAD}


def test_text_and_filters_combine(catalog_engine: SearchEngine) -> None:
    assert found(catalog_engine, "шоколад", origin_countries=("RU",)) == [c.DARK_CHOCOLATE]


def test_facets_count_matches(catalog_engine: SearchEngine) -> None:
    result = run(catalog_engine, "шоколад", facets=("origin_country", "category", "booth"))
    assert result.facets["origin_country"] == (
        FacetValue("KZ", 1),
        FacetValue("RU", 1),
        FacetValue("UZ", 1),
    )
    assert result.facets["category"] == (
        FacetValue("food.sweets.chocolate", 2),
        FacetValue("food.sweets.cookies", 1),
    )
    assert {v.value for v in result.facets["booth"]} == {"kazakhstan", "russia", "uzbekistan"}


def test_facets_ignore_their_own_filter(catalog_engine: SearchEngine) -> None:
    result = run(catalog_engine, "", origin_countries=("KZ",), facets=("origin_country", "category"))
    countries = {v.value: v.count for v in result.facets["origin_country"]}
    assert countries["KZ"] == len(where(origin_country="KZ"))
    assert countries["RU"] == len(where(origin_country="RU"))  # still offered
    categories = {v.value: v.count for v in result.facets["category"]}
    assert categories == {
        doc.category: sum(1 for d in c.CATALOG if d.origin_country == "KZ" and d.category == doc.category)
        for doc in c.CATALOG
        if doc.origin_country == "KZ"
    }


def test_facets_follow_the_other_filters(catalog_engine: SearchEngine) -> None:
    result = run(catalog_engine, "", categories=("food.sweets",), origin_countries=("KZ",))
    assert dict((v.value, v.count) for v in result.facets["origin_country"]) == {
        "KZ": 1,
        "RU": 1,
        "UZ": 1,
    }
    assert result.total == 1


def test_only_requested_facets(catalog_engine: SearchEngine) -> None:
    assert set(run(catalog_engine, "", facets=()).facets) == set()
    assert set(run(catalog_engine, "", facets=("booth",)).facets) == {"booth"}


def test_sort_by_price(catalog_engine: SearchEngine) -> None:
    ascending = found(catalog_engine, "", sort="price_asc")
    prices = [next(d.price_cny for d in c.CATALOG if d.id == i) for i in ascending]
    assert prices == sorted(prices)
    assert found(catalog_engine, "", sort="price_desc")[0] == c.FUR_COAT


def test_sort_by_newest(catalog_engine: SearchEngine) -> None:
    newest = found(catalog_engine, "", sort="newest")
    dates = [next(d.created_at for d in c.CATALOG if d.id == i) for i in newest]
    assert dates == sorted(dates, reverse=True)


def test_sorting_keeps_the_text_match(catalog_engine: SearchEngine) -> None:
    assert found(catalog_engine, "шоколад", sort="price_asc") == [
        c.COOKIES,
        c.DARK_CHOCOLATE,
        c.MILK_CHOCOLATE,
    ]


def test_offset_paging_walks_every_result_once(catalog_engine: SearchEngine) -> None:
    pages = [run(catalog_engine, "", sort="price_asc", limit=5, offset=offset) for offset in range(0, 20, 5)]
    walked = [hit_id for page in pages for hit_id in ids(page)]
    assert walked == found(catalog_engine, "", sort="price_asc")
    assert all(page.total == len(c.CATALOG) for page in pages)
    assert [len(page.hits) for page in pages] == [5, 5, 5, 2]


def test_hits_carry_display_fields(catalog_engine: SearchEngine) -> None:
    hit = run(catalog_engine, "TH-BALM-0007", locales=("ru",)).hits[0]
    assert (hit.sku, hit.name, hit.locale) == ("TH-BALM-0007", "Тайская травяная мазь", "ru")
    assert (hit.price, hit.currency, hit.thumbnail) == (
        Decimal("22.00"),
        "CNY",
        f"/media/thumb/{c.BALM}.webp",
    )
