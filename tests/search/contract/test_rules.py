"""The ranking rules, the same on every engine: typo budgets, exact before typo, ignored words."""

from __future__ import annotations

import dataclasses

import pytest

from search import LocalizedText
from search import SearchEngine
from tests.search.contract import catalog as c
from tests.search.contract.helpers import found
from tests.search.contract.helpers import run


@pytest.mark.parametrize("text", ["мукп", "мкуа", "tae"])
def test_no_typo_under_five_letters(catalog_engine: SearchEngine, text: str) -> None:
    # four Cyrillic letters are eight bytes: the budget counts characters
    assert found(catalog_engine, text) == []


def test_signs_do_not_count_towards_the_typo_budget(engine: SearchEngine) -> None:
    # "дрель" reads "drel" wherever it is transliterated: four letters, no typo, so never "del"
    malbec = dataclasses.replace(
        c.by_id(c.WINE),
        texts={"en": LocalizedText("Altos del Plata Malbec"), "kk": LocalizedText("Altos del Plata")},
    )
    engine.index([malbec])
    assert found(engine, "дрель") == []
    assert found(engine, "Plata") == [c.WINE]


@pytest.mark.parametrize(("text", "product"), [("Ceylin", c.TEA), ("чёрнвй", c.TEA), ("пшеничнвя", c.FLOUR)])
def test_one_typo_from_five_letters(catalog_engine: SearchEngine, text: str, product: int) -> None:
    assert product in found(catalog_engine, text)


@pytest.mark.parametrize("text", ["Ceyxxn", "чуртый"])
def test_two_typos_need_nine_letters(catalog_engine: SearchEngine, text: str) -> None:
    assert c.TEA not in found(catalog_engine, text)


def test_two_typos_from_nine_letters(catalog_engine: SearchEngine) -> None:
    assert c.FLOUR in found(catalog_engine, "пшиничнвя")


def test_a_typo_keeps_the_first_letter(catalog_engine: SearchEngine) -> None:
    assert found(catalog_engine, "Xeylon") == []


def test_typos_are_corrected_from_descriptions_too(catalog_engine: SearchEngine) -> None:
    # "Крупнолистовой" appears only in the tea's description; a letter is missing in its middle
    assert found(catalog_engine, "Крупнолиствой") == [c.TEA]


def test_typos_widen_the_search_only_when_the_words_as_typed_find_nothing(engine: SearchEngine) -> None:
    typo_in_name = dataclasses.replace(
        c.by_id(c.TEA), texts={"en": LocalizedText("Saperavi dry red")}, popularity=1000
    )
    exact_in_description = dataclasses.replace(
        c.by_id(c.WINE), texts={"en": LocalizedText("Dry red", "Made of saperavo grapes.")}, popularity=0
    )
    engine.index([typo_in_name, exact_in_description])
    assert found(engine, "saperavo") == [c.WINE]
    assert set(found(engine, "saperava")) == {c.WINE, c.TEA}  # a typo away from both


def test_a_typo_is_corrected_on_the_word_as_typed_never_on_its_transliteration(engine: SearchEngine) -> None:
    felt = dataclasses.replace(c.by_id(c.FUR_COAT), texts={"uz": LocalizedText("Kigiz gilam")})
    engine.index([felt])
    assert found(engine, "kigiz") == [c.FUR_COAT]
    assert found(engine, "kigis") == [c.FUR_COAT]  # a typo of the word as typed
    assert found(engine, "қымыз") == []  # its Latin reading "kimiz" is a typo away from "kigiz"


def test_another_form_of_a_word_in_a_description_alone_does_not_find_it(engine: SearchEngine) -> None:
    walnuts = dataclasses.replace(
        c.by_id(c.HONEY),
        texts={"ru": LocalizedText("Орех грецкий", "После вскрытия храните в холодильнике.")},
    )
    engine.index([walnuts])
    assert found(engine, "холодильник") == []
    assert found(engine, "холодильнике") == [c.HONEY]  # the description's word as typed
    assert found(engine, "орех холодильник") == [c.HONEY]  # the name holds the other word


def test_a_stem_finds_the_words_of_a_name_derived_from_it(engine: SearchEngine) -> None:
    nectar = dataclasses.replace(c.by_id(c.MILK), texts={"ru": LocalizedText("Нектар облепиховый")})
    engine.index([nectar])
    assert found(engine, "облепиха") == [c.MILK]
    assert found(engine, "облепих") == [c.MILK]
    assert found(engine, "обле") == []  # a stem of four letters is not enough


def test_a_word_matching_nothing_is_named_and_left_out(catalog_engine: SearchEngine) -> None:
    result = run(catalog_engine, "шоколад zzzzqqq")
    assert {hit.id for hit in result.hits} == {c.DARK_CHOCOLATE, c.MILK_CHOCOLATE, c.COOKIES}
    assert result.ignored_words == ("zzzzqqq",)


def test_a_query_of_unknown_words_finds_nothing_and_says_so(catalog_engine: SearchEngine) -> None:
    result = run(catalog_engine, "zzzzqqq")
    assert (result.total, result.ignored_words) == (0, ("zzzzqqq",))


def test_mostly_unknown_words_find_nothing(catalog_engine: SearchEngine) -> None:
    result = run(catalog_engine, "чай qqqqqqqqq")
    assert (result.total, result.ignored_words) == (0, ("qqqqqqqqq",))


def test_an_answer_through_typos_says_did_you_mean(catalog_engine: SearchEngine) -> None:
    result = run(catalog_engine, "шоклад")
    assert c.DARK_CHOCOLATE in {hit.id for hit in result.hits}
    assert result.corrected_query == "шоколад"


def test_an_exact_answer_has_no_correction(catalog_engine: SearchEngine) -> None:
    result = run(catalog_engine, "шоколад")
    assert result.hits
    assert (result.corrected_query, result.ignored_words) == (None, ())


def test_an_exact_sku_names_its_product_alone(catalog_engine: SearchEngine) -> None:
    assert found(catalog_engine, "KZ-FLOUR-0001") == [c.FLOUR]


def test_chinese_words_written_together_are_found_apart(catalog_engine: SearchEngine) -> None:
    # no listing writes "哈萨克斯坦巧克力": the country is one name, chocolate another
    assert found(catalog_engine, "哈萨克斯坦巧克力") == [c.MILK_CHOCOLATE]
