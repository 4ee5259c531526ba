"""Staff synonyms and query rules (pins, hides, boosts, time windows), the same on every engine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t

import pytest

from search import LocalizedText
from search import SearchEngine
from search import SearchQuery
from search import SearchResult
from search.curation import Pin
from search.curation import QueryRule
from search.curation import curated_search
from search.curation import rules_for
from search.documents import Boosts
from search.synonyms import SynonymEntry
from search.synonyms import compile_table
from tests.search.contract import catalog as c
from tests.search.contract.helpers import found
from tests.search.contract.helpers import ids

NOW = dt.datetime(2026, 12, 2, 14, 0, tzinfo=dt.UTC)
KAZAKH_WINE, BORDEAUX, DRINK = 101, 102, 103


def _table(*entries: tuple[str, tuple[str, ...], bool]) -> t.Any:
    return compile_table(SynonymEntry(term, synonyms, two_way) for term, synonyms, two_way in entries)


@pytest.fixture
def wine_engine(engine: SearchEngine) -> SearchEngine:
    """A Kazakh wine (шарап), a popular Bordeaux (вино) and a drink (сусын) nothing else names."""
    base = c.by_id(c.WINE)
    engine.index(
        [
            dataclasses.replace(
                base,
                id=KAZAKH_WINE,
                sku="KZ-WINE-0101",
                texts={"kk": LocalizedText("Қызыл шарап")},
                popularity=0,
            ),
            dataclasses.replace(
                base,
                id=BORDEAUX,
                sku="FR-WINE-0102",
                texts={"ru": LocalizedText("Вино Бордо")},
                popularity=500,
            ),
            dataclasses.replace(
                base, id=DRINK, sku="KZ-DRINK-0103", texts={"kk": LocalizedText("Сусын")}, popularity=900
            ),
        ]
    )
    return engine


def test_a_one_way_synonym_finds_its_target_below_what_was_typed(wine_engine: SearchEngine) -> None:
    table = _table(("шарап", ("вино",), False))
    assert found(wine_engine, "шарап") == [KAZAKH_WINE]
    assert found(wine_engine, "шарап", synonyms=table) == [KAZAKH_WINE, BORDEAUX]
    assert found(wine_engine, "вино", synonyms=table) == [BORDEAUX]


def test_a_two_way_synonym_finds_each_side_from_the_other(wine_engine: SearchEngine) -> None:
    table = _table(("шарап", ("вино",), True))
    assert found(wine_engine, "вино", synonyms=table) == [BORDEAUX, KAZAKH_WINE]
    # typed in Latin, шарап itself matches by transliteration, at the synonym's level
    assert set(found(wine_engine, "sharap", synonyms=table)) == {KAZAKH_WINE, BORDEAUX}


def test_a_multi_word_phrase_is_expanded_as_a_whole(wine_engine: SearchEngine) -> None:
    table = _table(("қызыл вино", ("шарап",), False))
    assert found(wine_engine, "қызыл вино") == []
    assert set(found(wine_engine, "қызыл вино", synonyms=table)) == {KAZAKH_WINE}
    assert found(wine_engine, "вино", synonyms=table) == [BORDEAUX]


def test_cycles_and_chains_expand_one_step_only(wine_engine: SearchEngine) -> None:
    table = _table(
        ("шарап", ("вино",), False),
        ("вино", ("шарап",), False),
        ("вино", ("сусын",), False),
        ("сусын", ("шарап", "вино"), True),
    )
    assert found(wine_engine, "шарап", synonyms=table) == [KAZAKH_WINE, DRINK, BORDEAUX]
    table = _table(("шарап", ("вино",), False), ("вино", ("сусын",), False))
    assert found(wine_engine, "шарап", synonyms=table) == [KAZAKH_WINE, BORDEAUX]


def _curated(engine: SearchEngine, text: str, rules: list[QueryRule], **options: t.Any) -> SearchResult:
    options.setdefault("locales", ("ru", "en"))
    options.setdefault("limit", 50)
    query = SearchQuery(text=text, **options)
    return curated_search(engine, query, rules_for(rules, query, NOW))


def _pin(product: int, position: int) -> Pin:
    return Pin(product, c.by_id(product).sku, position)


def test_a_pinned_product_takes_its_position(catalog_engine: SearchEngine) -> None:
    plain = found(catalog_engine, "Мёд")
    rule = QueryRule(query="мед", pins=(_pin(c.TEA, 1),))
    result = _curated(catalog_engine, "Мёд", [rule])
    assert ids(result) == [c.TEA, *plain]
    assert result.total == len(plain) + 1
    second = _curated(catalog_engine, "мёд", [QueryRule(query="мед", pins=(_pin(c.TEA, 2),))])
    assert ids(second)[:2] == [plain[0], c.TEA]


def test_a_pin_keeps_the_readers_filters_and_the_index(catalog_engine: SearchEngine) -> None:
    rule = QueryRule(query="мед", pins=(_pin(c.TEA, 1), Pin(999, "XX-GONE-0999", 2)))
    result = _curated(catalog_engine, "мёд", [rule], origin_countries=("KZ",))
    assert c.TEA not in ids(result)  # from Sri Lanka
    assert 999 not in ids(result)  # not indexed: never published


def test_a_hidden_product_is_left_out(catalog_engine: SearchEngine) -> None:
    plain = found(catalog_engine, "мёд")
    assert c.HONEY in plain
    result = _curated(catalog_engine, "мёд", [QueryRule(query="мед", hides=(c.HONEY,))])
    assert ids(result) == [p for p in plain if p != c.HONEY]
    assert result.total == len(plain) - 1


def test_pages_after_a_pin_and_a_hide_neither_repeat_nor_skip(catalog_engine: SearchEngine) -> None:
    plain = found(catalog_engine, "", categories=("food",))
    rule = QueryRule(category="food", pins=(_pin(c.KURT, 2),), hides=(plain[0],))
    pages = [
        ids(_curated(catalog_engine, "", [rule], categories=("food",), limit=3, offset=offset))
        for offset in (0, 3, 6, 9, 12)
    ]
    whole = ids(_curated(catalog_engine, "", [rule], categories=("food",)))
    assert [p for page in pages for p in page] == whole
    assert whole[1] == c.KURT and plain[0] not in whole
    assert sorted(whole) == sorted(plain[1:])


def test_a_boosted_category_ranks_first_among_equal_matches(catalog_engine: SearchEngine) -> None:
    plain = found(catalog_engine, "молоко")
    assert plain[:2] == [c.MILK, c.KUMIS]
    boosted = _curated(
        catalog_engine, "молоко", [QueryRule(query="молоко", boosts=Boosts(categories=("drinks",)))]
    )
    assert ids(boosted)[:2] == [c.KUMIS, c.MILK]


@pytest.mark.parametrize(
    ("boosts", "field", "value"),
    [(Boosts(booths=("russia",)), "booth", "russia"), (Boosts(countries=("RU",)), "origin_country", "RU")],
)
def test_a_boosted_booth_or_country_leads_a_category(
    catalog_engine: SearchEngine, boosts: Boosts, field: str, value: str
) -> None:
    chosen = {d.id for d in c.CATALOG if getattr(d, field) == value and d.category.startswith("food.")}
    plain = found(catalog_engine, "", categories=("food",))
    assert set(plain[: len(chosen)]) != chosen
    curated = ids(
        _curated(catalog_engine, "", [QueryRule(category="food", boosts=boosts)], categories=("food",))
    )
    assert set(curated[: len(chosen)]) == chosen
    assert sorted(curated) == sorted(plain)


def test_a_boost_never_lifts_a_typo_above_an_exact_match(catalog_engine: SearchEngine) -> None:
    rule = QueryRule(query="пшеничнвя", boosts=Boosts(booths=("sri-lanka",)))
    assert ids(_curated(catalog_engine, "пшеничнвя", [rule]))[0] == c.FLOUR


@pytest.mark.parametrize(
    ("starts", "ends", "applies"),
    [(-1, 1, True), (-2, -1, False), (1, 2, False), (None, 1, True), (-1, None, True)],
)
def test_a_rule_applies_within_its_time_window_only(
    catalog_engine: SearchEngine, starts: int | None, ends: int | None, applies: bool
) -> None:
    def hours(offset: int | None) -> dt.datetime | None:
        return None if offset is None else NOW + dt.timedelta(hours=offset)

    rule = QueryRule(query="мед", pins=(_pin(c.TEA, 1),), starts_at=hours(starts), ends_at=hours(ends))
    assert (ids(_curated(catalog_engine, "мёд", [rule]))[0] == c.TEA) is applies
