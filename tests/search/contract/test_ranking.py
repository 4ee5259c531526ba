"""Ranking: SKU and barcode first, then name over highlights over description, exact forms first."""

from __future__ import annotations

import html
import re

import pytest

from search import SearchEngine
from tests.search.contract import catalog as c
from tests.search.contract.helpers import found
from tests.search.contract.helpers import run


@pytest.mark.parametrize("text", ["TH-BALM-0007", "th-balm-0007", " TH-BALM-0007 "])
def test_exact_sku_comes_first(catalog_engine: SearchEngine, text: str) -> None:
    assert found(catalog_engine, text)[0] == c.BALM


def test_exact_barcode_comes_first(catalog_engine: SearchEngine) -> None:
    assert found(catalog_engine, "4870001234567")[0] == c.FLOUR


def test_name_over_highlights_over_description(catalog_engine: SearchEngine) -> None:
    # "bread": the bread's name, the flour's highlights, the honey's description
    assert found(catalog_engine, "bread") == [c.BREAD, c.FLOUR, c.HONEY]


def test_name_over_description(catalog_engine: SearchEngine) -> None:
    hits = found(catalog_engine, "шоколад")
    assert set(hits[:2]) == {c.DARK_CHOCOLATE, c.MILK_CHOCOLATE}
    assert hits[2:] == [c.COOKIES]


def test_exact_form_above_stemmed_form(catalog_engine: SearchEngine) -> None:
    assert found(catalog_engine, "чая")[:2] == [c.TEA_SET, c.TEA]  # "для чая" / "чай"
    assert found(catalog_engine, "чай")[:2] == [c.TEA, c.TEA_SET]


def test_exact_above_transliterated(catalog_engine: SearchEngine) -> None:
    assert found(catalog_engine, "chai")[0] == c.MASALA  # "Masala chai" before "чай"


def test_exact_above_typo(catalog_engine: SearchEngine) -> None:
    hits = found(catalog_engine, "Kazakhstan")
    assert set(hits[:2]) == {c.FLOUR, c.MILK_CHOCOLATE}


def test_scores_do_not_increase(catalog_engine: SearchEngine) -> None:
    scores = [hit.score for hit in run(catalog_engine, "шоколад").hits]
    assert scores == sorted(scores, reverse=True)


def test_highlight_marks_matches_and_escapes_html(catalog_engine: SearchEngine) -> None:
    hit = run(catalog_engine, "bread", locales=("en",)).hits[0]
    assert hit.highlight == "Borodinsky rye <mark>bread</mark> &amp; coriander"


def test_a_product_found_by_its_description_alone_shows_it_marked(catalog_engine: SearchEngine) -> None:
    hits = {hit.id: hit for hit in run(catalog_engine, "bread", locales=("en",)).hits}
    assert hits[c.HONEY].highlight == "Natural flower honey, good on <mark>bread</mark>."
    assert hits[c.BREAD].highlight == "Borodinsky rye <mark>bread</mark> &amp; coriander"


def test_the_same_text_is_marked_for_each_query_that_finds_it(catalog_engine: SearchEngine) -> None:
    rye = run(catalog_engine, "rye", locales=("en",)).hits[0]
    bread = run(catalog_engine, "bread", locales=("en",)).hits[0]
    assert rye.id == bread.id
    assert rye.highlight == "Borodinsky <mark>rye</mark> bread &amp; coriander"
    assert bread.highlight == "Borodinsky rye <mark>bread</mark> &amp; coriander"


def test_highlight_marks_other_word_forms(catalog_engine: SearchEngine) -> None:
    hit = run(catalog_engine, "чая", locales=("ru",)).hits[1]
    assert "<mark>чай</mark>" in hit.highlight


def test_highlight_marks_chinese(catalog_engine: SearchEngine) -> None:
    hit = run(catalog_engine, "面粉", locales=("zh",)).hits[0]
    assert "<mark>面粉</mark>" in hit.highlight


def test_highlight_is_plain_escaped_text_apart_from_marks(catalog_engine: SearchEngine) -> None:
    for hit in run(catalog_engine, "шоколад bread чай", limit=50).hits:
        without_marks = re.sub("</?mark>", "", hit.highlight)
        assert "<" not in without_marks
        assert html.escape(html.unescape(without_marks), quote=False) == without_marks.replace(
            "&#x27;", "'"
        ).replace("&quot;", '"')
