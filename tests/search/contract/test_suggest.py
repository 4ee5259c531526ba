"""Type-ahead over product names in every locale, from the second letter."""

from __future__ import annotations

import dataclasses

import pytest

from search import LocalizedText
from search import SearchDocument
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


def _named(doc_id: int, name: str, popularity: float = 0.0, locale: str = "ru") -> SearchDocument:
    """A product of the contract catalog's shape with only *name*, in *locale*."""
    template = c.by_id(c.TEA)
    texts = {locale: LocalizedText(name)}
    return dataclasses.replace(template, id=doc_id, sku=f"SUG-{doc_id}", popularity=popularity, texts=texts)


def test_a_crowded_prefix_gives_names_starting_with_it_first_then_the_most_popular(
    engine: SearchEngine,
) -> None:
    """Far more names hold a word starting with the text than a suggestion list shows.

    The few unpopular names that start with it still come first, then the most popular of the
    names whose later word starts with it.
    """
    later = [_named(1000 + n, f"Йогурт клубничный {n} вкус", 100 + n) for n in range(60)]
    starting = [_named(2000 + n, f"Клубника садовая {n} сорт", n) for n in range(3)]
    engine.index([*later, *starting])
    assert texts(engine, "клуб") == [
        *(f"Клубника садовая {n} сорт" for n in (2, 1, 0)),
        *(f"Йогурт клубничный {n} вкус" for n in range(59, 52, -1)),
    ]
    assert texts(engine, "клубничный 4") == [
        f"Йогурт клубничный {n} вкус" for n in (49, 48, 47, 46, 45, 44, 43, 42, 41, 40)
    ]


def test_typed_chinese_and_latin_letters_are_not_crowded_out(engine: SearchEngine) -> None:
    """Chinese has no transliteration key: the other typed words' keys alone must not decide.

    More popular names whose Latin key starts with the typed letters would otherwise take every
    place of the suggest query's answer (no completion input starts with these words).
    """
    sausage = _named(1, "Sobal 哈萨克斯坦礼盒装马肉肠 250毫升", locale="zh")
    juices = [_named(3000 + n, f"Сок Соболев {n}, 250 мл", 100 + n) for n in range(60)]
    engine.index([sausage, *juices])
    assert texts(engine, "马肉肠 sob", "zh") == ["Sobal 哈萨克斯坦礼盒装马肉肠 250毫升"]
    assert texts(engine, "哈萨克斯坦礼盒装马肉肠 25", "zh") == ["Sobal 哈萨克斯坦礼盒装马肉肠 250毫升"]


def test_a_later_word_and_the_start_of_the_next_are_found_in_a_row_among_popular_names_holding_them_apart(
    engine: SearchEngine,
) -> None:
    """Popular products hold the typed words apart, in their Russian and English names; a few in a row.

    Only the names holding them in a row continue the typed text; they are found however many
    more popular products hold the words apart.
    """
    crowd = [
        dataclasses.replace(
            _named(4000 + n, f"Чай горный {n}", 100 + n),
            texts={"ru": LocalizedText(f"Чай горный {n}"), "en": LocalizedText(f"Tasty mountain tea {n}")},
        )
        for n in range(60)
    ]
    honey = [_named(5000 + n, f"Мёд горный таёжный {n}", n) for n in range(3)]
    engine.index([*crowd, *honey])
    assert texts(engine, "горный та") == [f"Мёд горный таёжный {n}" for n in (2, 1, 0)]
    assert texts(engine, "ГОРНЫЙ ТАЁЖ") == [f"Мёд горный таёжный {n}" for n in (2, 1, 0)]
