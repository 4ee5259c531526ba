"""Typo tolerance on Elasticsearch and OpenSearch: a word's typo forms looked up once, then matched as terms.

A fuzzy query is expanded anew in every field of every clause it appears in: the search for one
misspelt word walked the term dictionary about forty times (first pass, what finds a product, the
ranking of each text group, in each group's three exact fields), and that was half of its time.
Instead, the request that counts each word without typos (:func:`search.dsl_query.correction_body`)
asks the engines' term suggester for every term within each word's typo budget in the
every-group exact fields (:func:`suggesters`): the same terms a fuzzy query with a
``max_expansions`` of :data:`EXPANSIONS` finds there. The search then matches them as plain terms
in each group's fields (:func:`typo_match`), and the correction is picked from the same answer
(:func:`correction_options`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from search.analysis import QueryWord
from search.analysis import normalize_word
from search.dsl import EVERY_GROUP
from search.dsl import exact_fields

#: Most terms a word's typos are looked up as, per field (a fuzzy query's ``max_expansions``).
EXPANSIONS = 50
#: Corrections offered per word.
CORRECTION_OPTIONS = 3
#: Suggestions of a word whatever its frequency (the suggester's ``max_term_freq``: a count above one).
ANY_FREQUENCY = 2**31 - 1


@dataclasses.dataclass(frozen=True)
class TypoTerms:
    """The terms each expanded word is within its typo budget of, as the engine found them.

    ``by_word`` maps a word's text to one tuple of terms per field of
    ``exact_fields(EVERY_GROUP)``, in that order. A word not in it is matched by a fuzzy query.
    """

    by_word: Mapping[str, tuple[tuple[str, ...], ...]]


#: The fields a word's typo forms are looked up in: every group's exact words, per folding.
_VOCABULARY: tuple[str, ...] = tuple(exact_fields(EVERY_GROUP))
#: A typo-form suggester's options beyond :func:`_within_budget`: every term, whatever its
#: similarity or the word's own frequency, as a fuzzy query expands it.
_EVERY_TERM: dict[str, Any] = {
    "size": EXPANSIONS,
    "accuracy": 0.0,
    "min_word_length": 1,
    "max_term_freq": ANY_FREQUENCY,
}
#: The part of a suggester's name that marks a word's corrections (typo forms are numbered by field).
_CORRECTIONS = "c"
#: How a request body treats typos: not at all, by fuzzy queries, or by the terms looked up.
Typos = bool | TypoTerms


def _expanded(word: QueryWord) -> bool:
    return bool(word.max_typos) and not word.cjk


def typo_match(word: QueryWord, group: str, typos: Typos) -> dict[str, Any] | None:
    """*word* within its typo budget in one text group's exact fields; a typo never changes the first letter.

    Never the word's transliteration key. ``None`` when the index holds no such term.
    """
    terms = typos.by_word.get(word.text) if isinstance(typos, TypoTerms) else None
    if terms is None:
        fuzzy = {"fuzziness": word.max_typos, "prefix_length": 1, "max_expansions": EXPANSIONS}
        return {
            "multi_match": {"query": word.text, "fields": exact_fields(group), "operator": "and", **fuzzy}
        }
    should = [
        {"terms": {field: list(found)}}
        for field, found in zip(exact_fields(group), terms, strict=True)
        if found
    ]
    return {"bool": {"should": should, "minimum_should_match": 1}} if should else None


def suggesters(words: Sequence[QueryWord], others: Sequence[QueryWord] = ()) -> dict[str, Any]:
    """Term suggestions for *words* (named ``w<index>-...``) and *others* (``o<index>-...``).

    Every one of *words* gets its corrections (``-c``): the suggester's own defaults, on the word
    as normalised. A word with a typo budget, of *words* or of *others* (the words of the text's
    other readings), also gets every term within it in each field of ``exact_fields(EVERY_GROUP)``
    (``-0``, ``-1``...), the word as typed, as a fuzzy query reads it: what :func:`typo_terms` reads.
    """
    suggest: dict[str, Any] = {}
    for index, word in enumerate(words):
        suggest[_name("w", index, _CORRECTIONS)] = {
            "text": normalize_word(word.text),
            "term": {**_within_budget(word, _VOCABULARY[0]), "size": CORRECTION_OPTIONS},
        }
    for prefix, group in (("w", words), ("o", others)):
        for index, word in enumerate(group):
            if not _expanded(word):
                continue
            for number, field in enumerate(_VOCABULARY):
                suggest[_name(prefix, index, number)] = {
                    "text": word.text,
                    "term": {**_within_budget(word, field), **_EVERY_TERM},
                }
    return suggest


def _name(prefix: str, index: int, part: int | str) -> str:
    """The name of a suggester: ``w`` (the search's words) or ``o`` (other readings'), the word's
    index, then :data:`_CORRECTIONS` or the number of the field of :data:`_VOCABULARY`."""
    return f"{prefix}{index}-{part}"


def _within_budget(word: QueryWord, field: str) -> dict[str, Any]:
    """A term suggester's terms within *word*'s typo budget (one at least), keeping its first letter."""
    return {
        "field": field,
        "suggest_mode": "always",
        "max_edits": max(1, min(2, word.max_typos)),
        "prefix_length": 1,
    }


def typo_terms(
    response: Mapping[str, Any], words: Sequence[QueryWord], others: Sequence[QueryWord] = ()
) -> TypoTerms:
    """The terms of each expanded word in *response* to :func:`suggesters` of *words* and *others*.

    A word read as several terms in a field (which a fuzzy query must find together) is left out,
    to be matched by a fuzzy query.
    """
    suggest = response.get("suggest") or {}
    by_word: dict[str, tuple[tuple[str, ...], ...]] = {}
    for prefix, group in (("w", words), ("o", others)):
        for index, word in enumerate(group):
            if not _expanded(word) or word.text in by_word:
                continue
            per_field = [suggest.get(_name(prefix, index, number), []) for number in range(len(_VOCABULARY))]
            if any(len(entries) > 1 for entries in per_field):
                continue
            by_word[word.text] = tuple(_terms(entries[0]) if entries else () for entries in per_field)
    return TypoTerms(by_word)


def _terms(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The entry's own term (a fuzzy query finds it too when the index holds it) and its suggestions."""
    return tuple(dict.fromkeys([entry["text"], *(option["text"] for option in entry["options"])]))


def correction_options(response: Mapping[str, Any]) -> dict[int, tuple[str, ...]]:
    """Each word's corrections in *response* to :func:`suggesters`, best (similarity, then frequency) first."""
    scored: dict[int, dict[str, tuple[float, int]]] = {}
    for name, entries in (response.get("suggest") or {}).items():
        prefix, _, part = name.partition("-")
        if not prefix.startswith("w") or part != _CORRECTIONS:
            continue
        best = scored.setdefault(int(prefix[1:]), {})
        for entry in entries:
            for option in entry.get("options", ()):
                rank = (float(option.get("score", 0.0)), int(option.get("freq", 0)))
                best[option["text"]] = max(rank, best.get(option["text"], rank))
    return {
        index: tuple(sorted(terms, key=lambda term: terms[term], reverse=True))
        for index, terms in scored.items()
        if terms
    }
