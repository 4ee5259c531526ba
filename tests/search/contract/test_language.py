"""A query finds products whatever the language, script, word form or keyboard it is typed in."""

from __future__ import annotations

import dataclasses

import pytest

from search import LocalizedText
from search import SearchEngine
from tests.search.contract import catalog as c
from tests.search.contract.helpers import found
from tests.search.contract.helpers import run


@pytest.mark.parametrize("text", ["чай", "чая", "чаю", "чаем"])
def test_russian_word_forms_find_each_other(catalog_engine: SearchEngine, text: str) -> None:
    assert c.TEA in found(catalog_engine, text)


@pytest.mark.parametrize("text", ["chocolates", "chocolate", "Chocolate"])
def test_english_plural_and_case(catalog_engine: SearchEngine, text: str) -> None:
    hits = found(catalog_engine, text)
    assert {c.DARK_CHOCOLATE, c.MILK_CHOCOLATE} <= set(hits)


@pytest.mark.parametrize("text", ["ұн", "Ұн", "ūn", "un", "UN"])
def test_kazakh_special_letters_fold(catalog_engine: SearchEngine, text: str) -> None:
    assert found(catalog_engine, text)[:1] == [c.FLOUR]


@pytest.mark.parametrize(("text", "product"), [("qymyz", c.KUMIS), ("Qazy", c.KAZY)])
def test_kazakh_latin_finds_kazakh_cyrillic(catalog_engine: SearchEngine, text: str, product: int) -> None:
    assert product in found(catalog_engine, text)


def test_kazakh_cyrillic_finds_kazakh(catalog_engine: SearchEngine) -> None:
    assert found(catalog_engine, "қымыз") == [c.KUMIS]


@pytest.mark.parametrize("text", ["bugʻdoy", "bug'doy", "bug‘doy", "bug’doy", "bug`doy", "BUGʻDOY"])
def test_uzbek_apostrophe_spellings_fold(catalog_engine: SearchEngine, text: str) -> None:
    assert found(catalog_engine, text)[:1] == [c.FLOUR]


@pytest.mark.parametrize("text", ["toʻplami", "to'plami", "to‘plami", "to’plami", "to`plami"])
def test_uzbek_o_with_any_apostrophe(catalog_engine: SearchEngine, text: str) -> None:
    assert found(catalog_engine, text) == [c.TEA_SET]


@pytest.mark.parametrize(
    ("text", "product"),
    [("буғдой уни", c.FLOUR), ("чой тўплами", c.TEA_SET), ("тоғ асали", c.HONEY), ("ТЎПЛАМИ", c.TEA_SET)],
)
def test_uzbek_cyrillic_finds_uzbek_latin(catalog_engine: SearchEngine, text: str, product: int) -> None:
    assert found(catalog_engine, text)[:1] == [product]


def test_uzbek_reader_sees_the_uzbek_name(catalog_engine: SearchEngine) -> None:
    hit = run(catalog_engine, "bug'doy", locales=("uz", "ru", "en", "zh", "kk")).hits[0]
    assert (hit.id, hit.locale, hit.name) == (c.FLOUR, "uz", "Bugʻdoy uni, oliy nav, 2 kg")


@pytest.mark.parametrize(
    ("text", "product"),
    [("chai", c.TEA), ("chay", c.TEA), ("muka", c.FLOUR), ("shokolad", c.DARK_CHOCOLATE),
     ("shuba", c.FUR_COAT), ("kumys", c.KUMIS)],
)  # fmt: skip
def test_russian_typed_in_latin_letters(catalog_engine: SearchEngine, text: str, product: int) -> None:
    assert product in found(catalog_engine, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("面粉", {c.FLOUR}),
        ("巧克力", {c.DARK_CHOCOLATE, c.MILK_CHOCOLATE, c.COOKIES}),
        # every product from Kazakhstan: the origin country's name is searchable in every locale
        ("哈萨克斯坦", {c.FLOUR, c.MILK, c.HONEY, c.KURT, c.KAZY, c.MILK_CHOCOLATE, c.KUMIS}),
        ("红茶", {c.TEA}),
        ("茶", {c.TEA, c.TEA_SET, c.MASALA}),
    ],
)
def test_chinese_without_spaces(catalog_engine: SearchEngine, text: str, expected: set[int]) -> None:
    assert set(found(catalog_engine, text)) == expected


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("шоколат", c.DARK_CHOCOLATE),  # one edit, seven letters
        ("chocolatte", c.MILK_CHOCOLATE),
        ("ультрапастерезованое", c.MILK),  # two edits, nine letters or more
        ("Kazakstan", c.FLOUR),
    ],
)
def test_typos_are_tolerated(catalog_engine: SearchEngine, text: str, product: int) -> None:
    assert product in found(catalog_engine, text)


def test_short_words_tolerate_no_typo(catalog_engine: SearchEngine) -> None:
    assert found(catalog_engine, "mulk") == []  # "milk" with one edit, four letters


def test_two_typos_need_nine_letters(catalog_engine: SearchEngine) -> None:
    assert found(catalog_engine, "шокалат") == []  # "шоколад" with two edits, seven letters


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("ie,f", c.FUR_COAT),  # шуба typed on a Latin layout
        ("vjkjrj", c.MILK),  # молоко
        ("09hn", c.KURT),  # құрт on the Kazakh layout
        ("срщсщдфеу", c.DARK_CHOCOLATE),  # chocolate typed on a Cyrillic layout
    ],
)
def test_wrong_keyboard_layout(catalog_engine: SearchEngine, text: str, product: int) -> None:
    assert product in found(catalog_engine, text)


def test_words_found_as_typed_are_not_read_on_another_layout(engine: SearchEngine) -> None:
    # "vjkjrj" is "молоко" typed on a Latin layout, and also a brand's name
    brand = dataclasses.replace(c.by_id(c.TEA), texts={"en": LocalizedText("Vjkjrj green tea")})
    engine.index([brand, c.by_id(c.MILK)])
    assert found(engine, "vjkjrj") == [c.TEA]


@pytest.mark.parametrize(("text", "product"), [("balm", c.BALM), ("tea", c.TEA), ("kurt", c.KURT)])
def test_good_latin_words_are_not_retyped(catalog_engine: SearchEngine, text: str, product: int) -> None:
    assert found(catalog_engine, text)[0] == product


def test_any_language_searches_every_field_and_shows_the_reader_locale(
    catalog_engine: SearchEngine,
) -> None:
    result = run(catalog_engine, "шуба", locales=("en", "ru"))
    assert [(hit.id, hit.name, hit.locale) for hit in result.hits] == [
        (c.FUR_COAT, "Sheepskin fur coat", "en")
    ]
    chinese = run(catalog_engine, "Sheepskin", locales=("zh",))
    assert [(hit.name, hit.locale) for hit in chinese.hits] == [("羊皮大衣", "zh")]


def test_product_without_the_reader_locale_is_found_and_shown(
    catalog_engine: SearchEngine,
) -> None:
    result = run(catalog_engine, "Бордо", locales=("kk", "ru", "en", "zh"))
    assert [(hit.id, hit.name, hit.locale) for hit in result.hits] == [
        (c.WINE, "Вино красное сухое Бордо", "ru")
    ]
    in_any_script = run(catalog_engine, "Bordeaux", locales=("kk", "ru"))
    assert [hit.id for hit in in_any_script.hits] == [c.WINE]
