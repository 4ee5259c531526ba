"""Query text is text, never syntax: odd input gets a normal answer, too long a clear error."""

from __future__ import annotations

import pytest

from search import MAX_QUERY_LENGTH
from search import InvalidQuery
from search import SearchEngine
from search import SearchQuery
from search import SearchResult
from tests.search.contract import catalog as c
from tests.search.contract.helpers import found

ODD_TEXTS = [
    '"', '""', "'", "`", "*", "**", "-", "--", "-чай", "+", "NEAR", "NEAR(чай мука)",
    "NEAR/2", "AND", "OR", "NOT", "чай AND", "AND мука", "чай OR NOT мука", "(", ")", "((",
    "())", "[", "]", "[чай", "{", "}", "{name}: чай", "name:чай", "nx:чай", "^чай", "чай*",
    "*чай*", "чай~2", "~", "/", "\\", "%", "_", "%_%", "&&", "||", "!", "?", ";",
    "; DROP TABLE docs; --", "' OR 1=1 --", "<script>alert(1)</script>", "&amp;", "null",
    "\ud800", "чай\udfff", "\ud83d", "\x00", "чай\x00мука", "\x1b[31mчай", "\u200b", "\ufeff",
    "😀", "🍫 шоколад", "👍🏽", "\u0301", "ᅟ", "     ", "\t\n\r", "a" * MAX_QUERY_LENGTH,
    "чай " * 50, "﷽", "𠀀𠀁", "ＡＢＣ", "¹²³", "ǅ",
]  # fmt: skip


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_text_gets_a_normal_answer(catalog_engine: SearchEngine, text: str) -> None:
    result = catalog_engine.search(SearchQuery(text=text, locales=("ru",)))
    assert isinstance(result, SearchResult)
    assert result.total >= len(result.hits)
    assert isinstance(catalog_engine.suggest(text[:100], locales=("ru",)), list)


def test_syntax_characters_around_a_word_still_find_it(catalog_engine: SearchEngine) -> None:
    assert c.TEA in found(catalog_engine, '"чай"')
    assert c.TEA in found(catalog_engine, "(чай)")
    assert c.TEA in found(catalog_engine, "чай*")
    assert c.DARK_CHOCOLATE in found(catalog_engine, "🍫 шоколад")


def test_too_long_text_is_refused_with_a_clear_message(catalog_engine: SearchEngine) -> None:
    with pytest.raises(InvalidQuery, match="201 characters long; the limit is 200"):
        catalog_engine.search(SearchQuery(text="a" * (MAX_QUERY_LENGTH + 1)))
    with pytest.raises(InvalidQuery, match="the limit is 200"):
        catalog_engine.suggest("a" * (MAX_QUERY_LENGTH + 1), locales=("ru",))


@pytest.mark.parametrize("text", ["?!…", "((", "😀", " -- "])
def test_text_without_letters_or_digits_finds_nothing_and_says_so(
    catalog_engine: SearchEngine, text: str
) -> None:
    result = catalog_engine.search(SearchQuery(text=text, locales=("ru",)))
    assert (result.total, result.hits, result.ignored_words) == (0, (), (text.strip(),))
