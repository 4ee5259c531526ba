"""Typo forms looked up once by the term suggester and matched as terms (:mod:`search.dsl_typos`)."""

from __future__ import annotations

import json
from typing import Any

from search.analysis import analyze_query
from search.documents import SearchQuery
from search.dsl import EVERY_GROUP
from search.dsl import exact_fields
from search.dsl_query import correction_body
from search.dsl_query import other_reading_words
from search.dsl_query import search_body
from search.dsl_typos import EXPANSIONS
from search.dsl_typos import TypoTerms
from search.dsl_typos import correction_options
from search.dsl_typos import typo_match
from search.dsl_typos import typo_terms


def _entry(text: str, *options: tuple[str, float, int]) -> dict[str, Any]:
    return {
        "text": text,
        "offset": 0,
        "length": len(text),
        "options": [{"text": term, "score": score, "freq": freq} for term, score, freq in options],
    }


def test_every_word_gets_its_corrections_and_a_word_with_a_typo_budget_its_terms_in_each_field() -> None:
    words = analyze_query("шаколад мёд")  # seven letters (one typo), three (none)
    others = analyze_query("ifrjkfl")  # another reading's word, seven letters
    suggest = correction_body(words, others)["suggest"]
    fields = exact_fields(EVERY_GROUP)
    numbers = range(len(fields))
    assert sorted(suggest) == sorted(
        ["w0-c", "w1-c", *(f"w0-{n}" for n in numbers), *(f"o0-{n}" for n in numbers)]
    )
    assert [suggest[f"w0-{n}"]["term"]["field"] for n in numbers] == fields
    typo_forms = suggest["w0-0"]["term"]
    assert (typo_forms["size"], typo_forms["max_edits"], typo_forms["prefix_length"]) == (EXPANSIONS, 1, 1)
    # corrections: the suggester's defaults (a few options, frequent words left alone), ё read as е
    assert set(suggest["w0-c"]["term"]) == {"field", "suggest_mode", "max_edits", "prefix_length", "size"}
    assert suggest["w1-c"]["text"] == "мед" and suggest["w1-c"]["term"]["max_edits"] == 1
    assert correction_body(words)["aggs"].keys() == {"w0", "w1"}


def test_typo_terms_hold_the_word_s_own_term_and_every_suggestion_per_field() -> None:
    words = analyze_query("шаколад")
    response = {
        "suggest": {
            "w0-0": [_entry("шаколад", ("шоколад", 0.857, 12), ("шакалад", 0.857, 1))],
            "w0-1": [_entry("shakolad", ("shokolad", 0.875, 9))],
            "w0-2": [],  # the field's analyzer made no term of it
        }
    }
    terms = typo_terms(response, words)
    assert terms.by_word == {"шаколад": (("шаколад", "шоколад", "шакалад"), ("shakolad", "shokolad"), ())}
    match = typo_match(words[0], "name", terms)
    fields = exact_fields("name")
    assert match == {
        "bool": {
            "should": [
                {"terms": {fields[0]: ["шаколад", "шоколад", "шакалад"]}},
                {"terms": {fields[1]: ["shakolad", "shokolad"]}},
            ],
            "minimum_should_match": 1,
        }
    }


def test_a_word_read_as_several_terms_is_left_to_a_fuzzy_query() -> None:
    words = analyze_query("шаколад")
    response = {
        "suggest": {"w0-0": [_entry("шако"), _entry("лад")], "w0-1": [_entry("shakolad")], "w0-2": []}
    }
    terms = typo_terms(response, words)
    assert terms.by_word == {}
    fuzzy = typo_match(words[0], "name", terms)
    assert fuzzy is not None and fuzzy["multi_match"]["fuzziness"] == 1


def test_a_word_without_typo_forms_in_the_index_gets_no_typo_clause() -> None:
    words = analyze_query("шаколад")
    assert typo_match(words[0], "name", TypoTerms({"шаколад": ((), (), ())})) is None


def test_a_search_with_typo_terms_sends_no_fuzzy_query() -> None:
    query = SearchQuery(text="ifrjkfl", locales=("ru",))
    words = analyze_query(query.text)
    others = other_reading_words(query.text, words)
    assert [word.text for word in others] == ["шаколад"]  # typed on the English layout
    terms = {word.text: (("x",), (), ()) for word in [*words, *others]}
    assert "fuzziness" not in json.dumps(search_body(query, typos=TypoTerms(terms)))
    assert '"x"' in json.dumps(search_body(query, typos=TypoTerms(terms)))
    assert "fuzziness" in json.dumps(search_body(query, typos=True))


def test_corrections_are_read_from_their_own_suggestions_best_first() -> None:
    response = {
        "suggest": {
            "w0-c": [_entry("шаколад", ("шоколад", 0.857, 12), ("шакалад", 0.857, 40), ("шпагат", 0.5, 3))],
            "w0-0": [_entry("шаколад", ("шарлотка", 0.9, 9))],  # typo forms, not corrections
            "w1-c": [_entry("мет")],
            "o0-0": [_entry("ifrjkfl", ("ifrjkfk", 0.857, 5))],  # another reading's word
        }
    }
    assert correction_options(response) == {0: ("шакалад", "шоколад", "шпагат")}
