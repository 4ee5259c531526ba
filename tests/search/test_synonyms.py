"""Compiling and applying synonym tables: script-neutral phrases, one step, bounded."""

from __future__ import annotations

from search.analysis import analyze_query
from search.analysis import fold_key
from search.synonym_context import applied
from search.synonyms import MAX_KEYS_PER_WORD
from search.synonyms import SynonymEntry
from search.synonyms import compile_table
from search.synonyms import expand


def _added(text: str, *entries: SynonymEntry) -> list[frozenset[str]]:
    plain = analyze_query(text)
    expanded = expand(plain, compile_table(entries))
    return [after.key - before.key for before, after in zip(plain, expanded, strict=True)]


def test_a_source_typed_in_any_script_gains_its_targets_keys() -> None:
    entry = SynonymEntry("шарап", ("вино",))
    assert _added("шарап", entry) == _added("sharap", entry)
    assert "vino" in _added("Шарап", entry)[0]
    assert _added("вино", entry) == [frozenset()]


def test_a_phrase_expands_only_where_all_its_words_stand_together() -> None:
    entry = SynonymEntry("қызыл вино", ("шарап",))
    first, second = _added("қызыл вино", entry)
    assert "sharap" in first and "sharap" in second
    assert _added("вино қызыл", entry) == [frozenset(), frozenset()]


def test_a_cycle_of_hundreds_stays_within_the_bound() -> None:
    words = [f"soz{i}" for i in range(300)]
    entries = [
        SynonymEntry(word, (words[(i + 1) % len(words)],), two_way=True) for i, word in enumerate(words)
    ]
    entries.append(SynonymEntry(words[0], tuple(words[1:]), two_way=True))
    table = compile_table(entries)
    (keys,) = _added(words[0], *entries)
    assert 0 < len(keys) <= MAX_KEYS_PER_WORD
    assert len(table.lookup) == len({fold_key(word) for word in words})  # soz22 reads as soz2


def test_tables_of_the_same_synonyms_are_equal_and_analysis_uses_the_active_one() -> None:
    entries = [SynonymEntry("kumys", ("қымыз",), two_way=True)]
    assert compile_table(entries) == compile_table(list(entries))
    with applied(compile_table(entries)):
        (inside,) = analyze_query("kumys")
    (outside,) = analyze_query("kumys")
    assert inside.key > outside.key
