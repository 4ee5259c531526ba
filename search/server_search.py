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
from search.dsl_query import other_reading_words
from search.dsl_query import other_readings_count
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
from search.dsl_typos import Typos
from search.dsl_typos import correction_options
from search.dsl_typos import typo_terms
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
    others = other_reading_words(query.text, words)
    typo_prone = any(word.max_typos for word in words)
    # what the answer in hand was asked with: these words (else the text's readings), typos or not
    sent: list[QueryWord] | None = words if others else None
    typos: Typos = not typo_prone
    # words that find products as typed are not read on another keyboard layout (as the embedded
    # engine chooses its reading), and typos widen a search only when the words as typed find
    # nothing in the whole index: a search without typos that finds something, or that nothing
    # narrowed, tells at once; an empty narrowed one counts the words on their own
    response = send(search_body(query, words=sent, typos=typos))
    # once the words as typed are known to match nothing: their counts, corrections and typo forms
    asked: dict[str, Any] | None = None
    if total_of(response) == 0 and typo_prone and not narrows(query):
        asked = send(correction_body(words, others, other_readings=query.text if sent is not None else None))
        read_otherwise = sent is not None and other_readings_count(asked) > 0
        typos = False if read_otherwise else typo_terms(asked, words, others)
        sent = None
        response = send(search_body(query, typos=typos))
    else:
        if total_of(response) == 0 and sent is not None:
            sent = None
            response = send(search_body(query, typos=typos))
        if typo_prone and total_of(response) == 0 and not count(text_clause(query.text, typos=False)):
            asked = send(correction_body(words, others))
            typos = typo_terms(asked, words, others)
            response = send(search_body(query, typos=typos))
    current = words
    sent_typos = typos
    if total_of(response) == 0 and any(word.cjk for word in words):
        split = split_runs(words, lambda parts: count(words_clause(parts, typos=False)))
        if split != words:
            response, current = send(search_body(query, words=split, typos=typos)), split
            sent = split
    # punctuation, symbols: nothing to search for, and the answer says so
    ignored: tuple[str, ...] = (query.text.strip(),) if query.text.strip() and not words else ()
    if total_of(response) == 0 and current:
        counted = word_counts_body(current, typos=typos or True)
        matching = [bool(n) for n in word_counts(send(counted), len(current))]
        found = [word for word, hit in zip(current, matching, strict=True) if hit]
        unmatched = [word for word, hit in zip(current, matching, strict=True) if not hit]
        ignored = tuple(word.text for word in unmatched)
        if found and unmatched and may_ignore(found, unmatched):
            sent_typos = typos or True
            response = send(search_body(query, words=found, typos=sent_typos))
            current, sent = found, found
    result = result_from(_marked_later(send, response, query, sent, sent_typos), query)
    correction = None
    if result.hits and not _exact_first(response, current):
        correction = _correction(send, count, current, asked=asked if current == words else None)
    return dataclasses.replace(result, ignored_words=ignored, corrected_query=correction)


def _marked_later(
    send: Send, response: dict[str, Any], query: SearchQuery, words: Sequence[QueryWord] | None, typos: Typos
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
    send: Send,
    count: Callable[[dict[str, Any]], int],
    words: Sequence[QueryWord],
    *,
    asked: dict[str, Any] | None,
) -> str | None:
    """The corrected query when no product matches every word without a typo.

    *asked*: the answer to :func:`correction_body` of *words* when the search asked it already,
    having found that the words as typed match nothing.
    """
    if not any(word.max_typos for word in words):
        return None
    if asked is None and count(words_clause(words, typos=False)):
        return None
    response = asked if asked is not None else send(correction_body(words))
    exact = [bool(count) for count in word_counts(response, len(words))]
    if all(exact):
        return None
    options = correction_options(response)
    entries = [
        (word, () if ok else options.get(index, ()), ok)
        for index, (word, ok) in enumerate(zip(words, exact, strict=True))
    ]
    return corrected_query(entries)
