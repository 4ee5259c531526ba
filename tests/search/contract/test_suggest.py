"""Type-ahead over product names in every locale, from the second letter."""

from __future__ import annotations

import pytest

from search import SearchEngine
from tests.search.contract import catalog as c


def texts(engine: SearchEngine, typed: str, *locales: str) -> list[str]:
    return [s.text for s in engine.suggest(typed, locales=locales or ("ru",))]


def test_prefix_of_a_name(catalog_engine: SearchEngine) -> None:
    suggestions = catalog_engine.suggest("Мук", locales=("ru",))
    assert [(s.text, s.product_id) for s in suggestions] == [("Мука пшеничная высшего сорта, 2 кг", c.FLOUR)]


def test_answers_from_the_second_letter(catalog_engine: SearchEngine) -> None:
    assert texts(catalog_engine, "М") == []
    assert texts(catalog_engine, " ") == []
    assert "Мука пшеничная высшего сорта, 2 кг" in texts(catalog_engine, "Му")


def test_transliterated_prefix(catalog_engine: SearchEngine) -> None:
    assert "Мука пшеничная высшего сорта, 2 кг" in texts(catalog_engine, "mu", "ru")


@pytest.mark.parametrize("typed", ["ұн", "ūn", "un"])
def test_kazakh_prefix_in_any_script(catalog_engine: SearchEngine, typed: str) -> None:
    assert texts(catalog_engine, typed, "kk")[:1] == ["Ұн, бидай, жоғары сорт, 2 кг"]


def test_words_inside_the_name(catalog_engine: SearchEngine) -> None:
    assert set(texts(catalog_engine, "шоко")) == {
        "Шоколад тёмный «Бабаевский» 70%",
        "Шоколад молочный «Казахстан»",
    }
    assert texts(catalog_engine, "пшеничная му") == ["Мука пшеничная высшего сорта, 2 кг"]


def test_chinese_prefix(catalog_engine: SearchEngine) -> None:
    assert "哈萨克斯坦面粉 高筋 2公斤" in texts(catalog_engine, "哈萨", "zh")
    assert texts(catalog_engine, "面粉", "zh") == ["哈萨克斯坦面粉 高筋 2公斤"]


def test_names_in_every_locale_prefer_the_reader_locale(catalog_engine: SearchEngine) -> None:
    english = catalog_engine.suggest("Borod", locales=("en", "ru"))
    assert [(s.text, s.product_id) for s in english] == [("Borodinsky rye bread & coriander", c.BREAD)]
    assert texts(catalog_engine, "хлеб", "en") == ["Хлеб бородинский ржаной"]


def test_limit_and_distinct_texts(catalog_engine: SearchEngine) -> None:
    suggestions = catalog_engine.suggest("ka", locales=("en",), limit=2)
    assert len(suggestions) <= 2
    many = texts(catalog_engine, "ka", "en")
    assert len(many) == len(set(many))


def test_nothing_matches(catalog_engine: SearchEngine) -> None:
    assert texts(catalog_engine, "zzzq") == []
