"""How Elasticsearch and OpenSearch answer a search, in as many requests as it takes.

One request answers most queries. More follow only when the first answer calls for them:
an exact SKU or barcode (its product alone), a Chinese run found nowhere (split in two, see
:mod:`search.cjk_split`), no result at all (which words match nothing, and the search again
without them, see :mod:`search.query_rules`), results that match no product without a typo
(the corrected query from the engines' term suggester), and hits found by their descriptions
alone (their descriptions marked, see :data:`search.dsl_query.LATER_MARKED_GROUPS`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from collections.abc import Sequence
from typing import Any

from search.analysis import QueryWord
from search.cjk_split import split_runs
from search.documents import SearchQuery
from search.documents import SearchResult
from search.dsl_query import code_clause
from search.dsl_query import correction_body
from search.dsl_query import count_body
from search.dsl_query import later_highlight_body
from search.dsl_query import narrows
from search.dsl_query import query_words
from search.dsl_query import search_body
from search.dsl_query import text_clause
from search.dsl_query import word_counts_body
from search.dsl_query import words_clause
from search.dsl_results import result_from
from search.dsl_results import total_of
from search.dsl_results import unmarked_ids
from search.dsl_results import with_later_highlights
from search.dsl_results import word_counts
from search.query_rules import corrected_query
from search.query_rules import may_ignore
from search.ranking import WITHOUT_TYPO

#: Sends one search request body and returns the engine's answer.
Send = Callable[[dict[str, Any]], dict[str, Any]]


def answer(send: Send, query: SearchQuery) -> SearchResult:
    """Answer *query* through *send*."""
    count = _counter(send)
    codes = code_clause(query.text) if query.text.strip() else None
    if codes is not None and any(char.isdigit() for char in query.text) and count(codes):
        return result_from(send(search_body(query, code_only=True)), query)
    words = query_words(query.text) if query.text.strip() else []
    # typo corrections widen the search only when the words as typed find nothing in the whole
    # index: a search without typos that finds something, or that nothing narrowed, tells at once;
    # an empty narrowed one counts the words as typed on their own
    typos = True
    typed_unmatched = False  # known: the words as typed match nothing in the whole index
    if any(word.max_typos for word in words):
        response = send(search_body(query, typos=False))
        typos = typed_unmatched = total_of(response) == 0 and (
            not narrows(query) or not count(text_clause(query.text, typos=False))
        )
    if typos:
        response = send(search_body(query, typos=True))
    current = words
    # what the answer in hand was asked with: these words (else the text's), typos or not
    sent: list[QueryWord] | None = None
    sent_typos = typos
    if total_of(response) == 0 and any(word.cjk for word in words):
        split = split_runs(words, lambda parts: count(words_clause(parts, typos=False)))
        if split != words:
            response, current = send(search_body(query, words=split, typos=typos)), split
            sent = split
    # punctuation, symbols: nothing to search for, and the answer says so
    ignored: tuple[str, ...] = (query.text.strip(),) if query.text.strip() and not words else ()
    if total_of(response) == 0 and current:
        matching = [bool(n) for n in word_counts(send(word_counts_body(current)), len(current))]
        found = [word for word, hit in zip(current, matching, strict=True) if hit]
        unmatched = [word for word, hit in zip(current, matching, strict=True) if not hit]
        ignored = tuple(word.text for word in unmatched)
        if found and unmatched and may_ignore(found, unmatched):
            response = send(search_body(query, words=found))
            current, sent, sent_typos = found, found, True
    result = result_from(_marked_later(send, response, query, sent, sent_typos), query)
    correction = None
    if result.hits and not _exact_first(response, current):
        correction = _correction(send, count, current, typed_unmatched=typed_unmatched and current == words)
    return dataclasses.replace(result, ignored_words=ignored, corrected_query=correction)


def _marked_later(
    send: Send, response: dict[str, Any], query: SearchQuery, words: Sequence[QueryWord] | None, typos: bool
) -> dict[str, Any]:
    """*response* with the later groups' highlights of the hits its own highlights left unmarked.

    *words* and *typos* are those *response* was asked with.
    """
    unmarked = unmarked_ids(response) if query.text.strip() else []
    body = later_highlight_body(query, unmarked, words, typos=typos) if unmarked else None
    return with_later_highlights(response, send(body)) if body is not None else response


def _counter(send: Send) -> Callable[[dict[str, Any]], int]:
    def count(clause: dict[str, Any]) -> int:
        return total_of(send(count_body(clause)))

    return count


def _exact_first(response: dict[str, Any], words: Sequence[QueryWord]) -> bool:
    """Whether the best hit's score shows every word matched without a typo (relevance order)."""
    score = response["hits"]["hits"][0].get("_score")
    return score is not None and float(score) >= WITHOUT_TYPO * len(words)


def _correction(
    send: Send, count: Callable[[dict[str, Any]], int], words: Sequence[QueryWord], *, typed_unmatched: bool
) -> str | None:
    """The corrected query when no product matches every word without a typo.

    *typed_unmatched*: the search already found that the words as typed match nothing.
    """
    if not any(word.max_typos for word in words):
        return None
    if not typed_unmatched and count(words_clause(words, typos=False)):
        return None
    response = send(correction_body(words))
    exact = [bool(count) for count in word_counts(response, len(words))]
    if all(exact):
        return None
    options = _options_by_word(response.get("suggest") or {})
    entries = [
        (word, () if ok else options.get(index, ()), ok)
        for index, (word, ok) in enumerate(zip(words, exact, strict=True))
    ]
    return corrected_query(entries)


def _options_by_word(suggest: dict[str, Any]) -> dict[int, tuple[str, ...]]:
    """Suggested terms per corrected word, best (similarity, then frequency) first."""
    scored: dict[int, dict[str, tuple[float, int]]] = {}
    for name, entries in suggest.items():
        index = int(name.split("-", 1)[0][1:])
        for entry in entries:
            for option in entry.get("options", ()):
                text = str(option["text"])
                rank = (float(option.get("score", 0.0)), int(option.get("freq", 0)))
                best = scored.setdefault(index, {})
                best[text] = max(rank, best.get(text, rank))
    return {
        index: tuple(sorted(terms, key=lambda term: terms[term], reverse=True))
        for index, terms in scored.items()
    }
