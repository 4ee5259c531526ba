"""The translation memory's FTS5 index: finding reviewed pairs by shared terms, per locale pair."""

from __future__ import annotations

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from search.memory import MemoryEntry
from search.memory import MemoryIndex
from search.memory import entries_of
from search.memory import source_terms
from translations.memory_match import rank_matches


def test_candidates_share_terms_and_stay_in_their_locale_pair() -> None:
    index = MemoryIndex()
    index.replace_products(
        [1, 2, 3, 4],
        [
            MemoryEntry(1, "name", "ru", "kk", "Мёд горный 500 г", "Тау балы 500 г"),
            MemoryEntry(2, "name", "ru", "kk", "Чай зелёный", "Жасыл шай"),
            MemoryEntry(3, "name", "ru", "en", "Мёд горный 500 г", "Mountain honey 500 g"),
            MemoryEntry(4, "name", "zh", "kk", "蜂蜜 500克", "Бал 500 г"),
        ],
    )
    found = index.candidates("Мёда горного 250 г", "ru", "kk", None, 10)
    assert [entry.target for entry in found] == ["Тау балы 500 г"]
    assert [e.target for e in index.candidates("哈萨克斯坦蜂蜜", "zh", "kk", None, 10)] == ["Бал 500 г"]
    assert index.candidates("Мёд", "ru", "kk", 1, 10) == []  # the product's own text is left out


def test_replacing_a_product_drops_its_old_entries() -> None:
    index = MemoryIndex()
    index.replace_products([1], [MemoryEntry(1, "name", "ru", "kk", "Мёд", "Бал")])
    index.replace_products([1], [])
    assert index.size() == 0
    assert index.candidates("Мёд", "ru", "kk", None, 10) == []


def test_odd_sources_do_not_break_the_query() -> None:
    index = MemoryIndex()
    index.replace_products([1], [MemoryEntry(1, "name", "ru", "kk", 'Мёд "AND" OR (NEAR', "Бал")])
    assert [e.target for e in index.candidates('"AND" OR (NEAR*', "ru", "kk", None, 10)] == ["Бал"]
    assert index.candidates("🍯 \u200f", "ru", "kk", None, 10) == []


def test_entries_need_both_source_and_translation() -> None:
    entries = entries_of(
        7, "ru", [("name", "Мёд"), ("description", "")], "kk", {"name": "Бал", "description": "x"}
    )
    assert [(e.field, e.target) for e in entries] == [("name", "Бал")]


def test_a_source_sharing_one_known_term_or_none_finds_nothing_and_never_fails() -> None:
    index = MemoryIndex()
    index.replace_products([1], [MemoryEntry(1, "name", "zh", "kk", "蜂蜜", "Бал")])
    assert index.candidates("哈萨克斯坦面粉", "zh", "kk", None, 10) == []
    assert index.candidates("Мука пшеничная", "ru", "kk", None, 10) == []
    assert [e.target for e in index.candidates("蜂蜜", "zh", "kk", None, 10)] == ["Бал"]


ODD = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"), st.sampled_from(list('"*()^:-+ANDORNEAR мёд蜂蜜🍯\u200f\u0301'))
    ),
    max_size=120,
)


@settings(max_examples=200, deadline=None)
@given(stored=ODD, asked=ODD)
def test_any_text_can_be_stored_and_looked_up(stored: str, asked: str) -> None:
    index = MemoryIndex()
    index.replace_products([1], [MemoryEntry(1, "name", "ru", "kk", stored, "x")])
    found = index.candidates(asked, "ru", "kk", None, 5)
    assert all(entry.source == stored for entry in found)
    if stored == asked and source_terms(stored, "ru"):
        assert found == [MemoryEntry(1, "name", "ru", "kk", stored, "x")]
    for match in rank_matches(asked, [(e.source, e.target) for e in found], 3):
        assert 50 <= match.score <= 100
