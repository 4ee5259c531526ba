"""Search and suggest request bodies for Elasticsearch and OpenSearch.

Ranking mirrors the embedded engine: every query word is matched at four levels (exact
word, stem, transliteration key, typo) in three text groups (name, highlights,
description); each (group, level) pair has the weight :mod:`search.ranking` gives it, a word scores
its best pair and a product scores the sum over words. Equal scores fall back to popularity.
Exact SKU and barcode matches come first.

A search runs in two passes. The first matches the same products with a few clauses per word
over the fields that hold every group's text at once (:data:`search.dsl.EVERY_GROUP`), scored
by BM25 with level boosts plus popularity, filters in filter context; it only picks the
candidates. A ``rescore`` of the best :data:`RESCORE_WINDOW` candidates then gives each the
ranking rules' score, popularity as a fraction below one level's step, for the final order.
Facets are disjunctive: a facet's own filter is applied after its counts (``post_filter``)
while the other filters restrict them (``filter`` aggregations, only where another filter applies).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from search.analysis import QueryWord
from search.analysis import analyze_query
from search.analysis import fold_key
from search.analysis import is_cyrillic
from search.analysis import layout_variants
from search.analysis import normalize_word
from search.analysis import tokenize
from search.documents import LOCALES
from search.documents import MAX_WINDOW
from search.documents import SearchQuery
from search.dsl import DERIVED_LOCALES
from search.dsl import EVERY_GROUP
from search.dsl import FIRST_MARKED_GROUPS
from search.dsl import GROUPS
from search.dsl import LABELS
from search.dsl import cjk_locales
from search.dsl import exact_field
from search.dsl import exact_fields
from search.dsl import field_name
from search.dsl import keys_field
from search.dsl import sku_key
from search.dsl_boosts import boosted_clause
from search.dsl_typos import Typos
from search.dsl_typos import suggesters
from search.dsl_typos import typo_match
from search.query_rules import DERIVED_FROM
from search.query_rules import keeps_letters
from search.ranking import BOTH_NAMES_BONUS
from search.ranking import FIELDS
from search.ranking import LEVELS
from search.ranking import NAMED_FIELDS
from search.ranking import SKU_SCORE
from search.ranking import match_weight
from search.transliterate import latin_to_russian

#: Weight of a reading of the text typed on the wrong keyboard layout, relative to the text.
LAYOUT_WEIGHT = 0.5
#: The aggregation of a :func:`correction_body` counting what the text's other readings find.
OTHER_READINGS = "other_readings"
#: Most values returned per facet.
FACET_SIZE = 50
#: Longest text tried as a SKU or barcode.
MAX_CODE_LENGTH = 64
#: Candidates of the first pass the ranking rules reorder (more when a page reaches further).
RESCORE_WINDOW = 200
#: Matches counted exactly; beyond, the total says "at least" this many (every page stays reachable).
TRACK_TOTAL_HITS = MAX_WINDOW
#: Popularity's share of the final score: ``ln(1 + popularity)`` times this stays below the
#: smallest step of the ranking rules (:data:`search.ranking.BOTH_NAMES_BONUS`) for any
#: popularity under 10^8.
POPULARITY_WEIGHT = 0.002
#: First-pass boosts of each match level (BM25 scores them; the rescore gives the exact order).
FIRST_PASS_BOOSTS: dict[str, float] = {"exact": 3.0, "stem": 2.0, "key": 1.5, "typo": 0.5}
#: Facet name -> indexed field it counts.
FACET_FIELDS: dict[str, str] = {
    "origin_country": "origin_country",
    "category": "category",
    "booth": "booth",
}
#: The source fields hits and suggestions show: each locale's name (highlights come marked
#: from the engine, so descriptions stay on the node).
NAMES_SOURCE = "name_*"
#: Source fields a result page needs.
HIT_SOURCE = ["id", "sku", "price", "currency", "thumbnail", NAMES_SOURCE, "popularity"]
#: Text groups marked by a second request, only for hits none of :data:`FIRST_MARKED_GROUPS`
#: marks (long texts: marking them on every hit took a quarter of a word search's time).
LATER_MARKED_GROUPS: tuple[str, ...] = tuple(group for group in GROUPS if group not in FIRST_MARKED_GROUPS)
#: (word, text group) pairs whose clauses each process keeps: a search needs a few dozen, and
#: the three caches hold about 7 MiB when full (26 MiB at 4,096).
CACHED_CLAUSES = 1024
#: How many description characters a highlight shows around the match.
DESCRIPTION_FRAGMENT = 160
_LATIN_WORD_RE = re.compile("[a-zA-Z]")

SORTS: dict[str, list[Any]] = {
    "relevance": [{"_score": "desc"}, {"popularity": "desc"}, {"id": "asc"}],
    "price_asc": [{"price_cny": "asc"}, {"id": "asc"}],
    "price_desc": [{"price_cny": "desc"}, {"id": "desc"}],
    "newest": [{"created_at": "desc"}, {"id": "desc"}],
}


#: Every searched text group with the field rank it scores as (labels right after the name).
SCORED_GROUPS: tuple[tuple[int, str], ...] = tuple(
    (FIELDS.index(group), group) for group in ("name", LABELS, *(g for g in GROUPS if g != "name"))
)


def _scored(query: dict[str, Any], weight: float) -> dict[str, Any]:
    return {"constant_score": {"filter": query, "boost": weight}}


def _boosted(query: dict[str, Any], level: str) -> dict[str, Any]:
    """A first-pass clause, BM25-scored, boosted by its match level."""
    kind, body = next(iter(query.items()))
    if kind in ("multi_match", "terms"):
        return {kind: {**body, "boost": FIRST_PASS_BOOSTS[level]}}
    if kind == "bool":
        return {"bool": {**body, "boost": FIRST_PASS_BOOSTS[level]}}
    field, options = next(iter(body.items()))
    return {kind: {field: {**options, "boost": FIRST_PASS_BOOSTS[level]}}}


def _multi_match(text: str, fields: list[str], **options: Any) -> dict[str, Any]:
    return {"multi_match": {"query": text, "fields": fields, "operator": "and", **options}}


def _russian_reading(word: QueryWord) -> str | None:
    """How a Latin-letter word reads as Russian typed in Latin (``muka`` -> ``мука``)."""
    return _russian_reading_of(word.text)


@functools.lru_cache(maxsize=4096)
def _russian_reading_of(text: str) -> str | None:
    if is_cyrillic(text) or not _LATIN_WORD_RE.search(text):
        return None
    reading = latin_to_russian(normalize_word(text))
    return reading if is_cyrillic(reading) else None


@functools.lru_cache(maxsize=CACHED_CLAUSES)
def _level_matches(word: QueryWord, group: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    """``(level, query)`` for every way *word* matches one text group without a typo.

    A search asks for the same word's matches in a group a dozen times (first pass, ranking,
    highlights), so they are built once and shared: no caller may change them.
    """
    matches: list[tuple[str, dict[str, Any]]] = []
    if word.cjk:
        for locale in cjk_locales():
            if word.prefix:
                match = {"match": {f"{field_name(group, locale)}.chars": {"query": word.text}}}
            else:
                match = {"match": {field_name(group, locale): {"query": word.text, "operator": "and"}}}
            matches.append(("exact", match))
        return tuple(matches)
    matches.extend(("exact", _multi_match(form, exact_fields(group))) for form in sorted(word.exact))
    matches.append(("stem", _multi_match(word.text, [field_name(group, "ru"), field_name(group, "en")])))
    if word.key:
        matches.append(("key", {"terms": {keys_field(group): sorted(word.key)}}))
    reading = _russian_reading(word)
    if reading:
        russian = {"match": {field_name(group, "ru"): {"query": reading, "operator": "and"}}}
        matches.append(("key", russian))
    return tuple(matches)


@functools.lru_cache(maxsize=CACHED_CLAUSES)
def _derived_match(word: QueryWord, group: str) -> dict[str, Any] | None:
    """Name words derived from the word's stem (``облепих`` finds ``облепиховый``), as loose as a key.

    Built once per word and group and shared, as :func:`_level_matches` is.
    """
    prefixes = [
        {"prefix": {field_name(group, locale): {"value": stem}}}
        for stem in sorted(word.stem)
        if len(stem) >= DERIVED_FROM
        for locale in DERIVED_LOCALES
    ]
    return {"bool": {"should": prefixes}} if prefixes and not word.cjk else None


def _name_groups() -> list[str]:
    """The text groups that rank as the product's name."""
    return [group for field, group in SCORED_GROUPS if field in NAMED_FIELDS]


def ranked_word_clause(word: QueryWord, *, typos: Typos = True) -> dict[str, Any]:
    """A ``dis_max`` scoring one query word by its best (text group, level) match.

    The ranking rules' exact weights, for the rescore window. ``typos=False`` leaves out the
    fuzzy level: highlighting fuzzy queries costs seconds, so highlights use the query without it.
    """
    options: list[dict[str, Any]] = []
    for field, group in SCORED_GROUPS:
        for level, match in _level_matches(word, group):
            options.append(_scored(match, match_weight(field, level)))
    for field, group in SCORED_GROUPS:
        derived = _derived_match(word, group) if field in NAMED_FIELDS else None
        if derived is not None:
            options.append(_scored(derived, match_weight(field, "key")))
    if typos and word.max_typos and not word.cjk:
        for field, group in SCORED_GROUPS:
            typo = typo_match(word, group, typos)
            if typo is not None:
                options.append(_scored(typo, match_weight(field, "typo")))
    best = {"dis_max": {"queries": options, "tie_breaker": 0.0}}
    return {"bool": {"must": [best], "should": [_scored(_named_twice(word), BOTH_NAMES_BONUS)]}}


def _named_twice(word: QueryWord) -> dict[str, Any]:
    """The product's names around it hold the word at least as exactly as its own name does.

    A brand written in the other script (``китчен`` for "Bangkok Kitchen") only repeats the name.
    """
    name_group, labels_group = _name_groups()
    cases = []
    for index in range(len(LEVELS) - 1):  # exact, stem, key: never a typo
        here = _in_group(word, name_group, LEVELS[index : index + 1])
        labels = _in_group(word, labels_group, LEVELS[: index + 1])
        better = [_in_group(word, name_group, LEVELS[:index])] if index else []
        cases.append({"bool": {"filter": [here, labels], "must_not": better}})
    return {"bool": {"should": cases, "minimum_should_match": 1}}


def _in_group(word: QueryWord, group: str, levels: Sequence[str]) -> dict[str, Any]:
    """The word in one text group at any of *levels* (a derived name word counts as a key)."""
    options = [match for level, match in _level_matches(word, group) if level in levels]
    derived = _derived_match(word, group) if "key" in levels else None
    if derived is not None:
        options.append(derived)
    return {"bool": {"should": options, "minimum_should_match": 1}}


def word_clause(word: QueryWord, *, typos: Typos = True) -> dict[str, Any]:
    """The products *word* matches (as :func:`ranked_word_clause` does), in a few cheap clauses.

    Every group's text is looked up at once in the every-group fields, scored by BM25 with a
    boost per level: a first pass that picks candidates and counts.
    """
    should = [_boosted(match, level) for level, match in _level_matches(word, EVERY_GROUP)]
    for group in _name_groups():
        derived = _derived_match(word, group)
        if derived is not None:
            should.append(_boosted(derived, "key"))
    typo = typo_match(word, EVERY_GROUP, typos) if typos and word.max_typos and not word.cjk else None
    if typo is not None:
        should.append(_boosted(typo, "typo"))
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _named_clause(word: QueryWord, typos: Typos) -> dict[str, Any]:
    """The word in any form in the product's name or the names around it."""
    options: list[dict[str, Any]] = []
    for group in _name_groups():
        options.extend(match for _, match in _level_matches(word, group))
        derived = _derived_match(word, group)
        if derived is not None:
            options.append(derived)
        typo = typo_match(word, group, typos) if typos and word.max_typos and not word.cjk else None
        if typo is not None:
            options.append(typo)
    return {"bool": {"should": options}}


def _typed_clause(word: QueryWord, typos: Typos) -> dict[str, Any]:
    """The word as typed (or with a typo) in the highlights or description."""
    options: list[dict[str, Any]] = []
    for field, group in SCORED_GROUPS:
        if field in NAMED_FIELDS:
            continue
        if word.cjk:
            options.extend(match for _, match in _level_matches(word, group))
            continue
        options.append(_multi_match(normalize_word(word.text), exact_fields(group)))
        if not is_cyrillic(word.text) and fold_key(word.text):
            options.append({"term": {keys_field(group): fold_key(word.text)}})
        typo = typo_match(word, group, typos) if typos and word.max_typos else None
        if typo is not None:
            # another form of the word is not a typo of it ("холодильнике" for "холодильник")
            other_form = _multi_match(word.text, [field_name(group, "ru"), field_name(group, "en")])
            options.append({"bool": {"must": [typo], "must_not": [other_form]}})
    return {"bool": {"should": options}}


def found_by_clause(words: Sequence[QueryWord], *, typos: Typos = True) -> dict[str, Any]:
    """A product is found by what it is called, or by its other texts holding every word as typed."""
    named = {"bool": {"should": [_named_clause(word, typos) for word in words]}}
    typed = {"bool": {"must": [_typed_clause(word, typos) for word in words]}}
    return {"bool": {"should": [named, typed], "minimum_should_match": 1}}


def words_clause(words: Sequence[QueryWord], *, typos: Typos = True, ranked: bool = False) -> dict[str, Any]:
    """Every word must match; the score is the sum of the words' (*ranked*: best) matches.

    The first pass also holds :func:`found_by_clause`, which decides what is found; the rescore
    (*ranked*) only orders what the first pass found.
    """
    if ranked:
        return {"bool": {"must": [ranked_word_clause(word, typos=typos) for word in words]}}
    return {
        "bool": {
            "must": [word_clause(word, typos=typos) for word in words],
            "filter": [found_by_clause(words, typos=typos)],
        }
    }


def query_words(text: str) -> list[QueryWord]:
    """The query's words as :mod:`search.analysis` reads them."""
    return analyze_query(text)


def code_clause(text: str) -> dict[str, Any] | None:
    """The exact SKU or barcode match of *text*, or ``None`` when it cannot be one."""
    code = sku_key(text) if len(text) <= MAX_CODE_LENGTH else None
    if not code:
        return None
    return {"bool": {"should": [{"term": {"sku_key": code}}, {"term": {"barcode_key": code}}]}}


def word_counts_body(words: Sequence[QueryWord], *, typos: Typos = True) -> dict[str, Any]:
    """How many products each of *words* matches on its own, in the whole index, in one request.

    One ``filter`` aggregation per word, named ``w0``, ``w1``... (see :func:`word_counts`).
    """
    aggregations = {
        f"w{index}": {"filter": word_clause(word, typos=typos)} for index, word in enumerate(words)
    }
    return {"size": 0, "track_total_hits": False, "aggs": aggregations}


def correction_body(
    words: Sequence[QueryWord], others: Sequence[QueryWord] = (), *, other_readings: str | None = None
) -> dict[str, Any]:
    """:func:`word_counts_body` without typos, with the term suggestions of *words* and *others*.

    The answer holds each word's count, the corrections of *words* and the terms every word with
    a typo budget is within it of (see :mod:`search.dsl_typos`); with *other_readings* (a text),
    also how many products the text's wrong-layout readings find without typos
    (:func:`other_readings_count`).
    """
    body = {**word_counts_body(words, typos=False), "suggest": suggesters(words, others)}
    readings = _readings(other_readings, None, False)[1:] if other_readings is not None else []
    if readings:
        clauses = [words_clause(reading, typos=False) for reading in readings]
        body["aggs"][OTHER_READINGS] = {"filter": {"bool": {"should": clauses, "minimum_should_match": 1}}}
    return body


def other_readings_count(response: dict[str, Any]) -> int:
    """How many products the other readings counted by a :func:`correction_body` find."""
    return int(response.get("aggregations", {}).get(OTHER_READINGS, {}).get("doc_count", 0))


def other_reading_words(text: str, words: Sequence[QueryWord]) -> list[QueryWord]:
    """The words of *text*'s wrong-layout readings that are not among *words*."""
    known = {word.text for word in words}
    return [
        word for reading in _readings(text, None, False)[1:] for word in reading if word.text not in known
    ]


def _readings(text: str, words: Sequence[QueryWord] | None, code_only: bool) -> list[list[QueryWord]]:
    """The words searched for: *words* (else the text's), then the text's wrong-layout readings."""
    if code_only:
        return []
    readings = [list(words) if words is not None else query_words(text)]
    if words is None:
        for variant in layout_variants(text):
            variant_words = query_words(variant) if keeps_letters(text, variant) else []
            if variant_words:
                readings.append(variant_words)
    return readings


def text_clause(
    text: str,
    words: Sequence[QueryWord] | None = None,
    *,
    typos: Typos = True,
    code_only: bool = False,
    ranked: bool = False,
) -> dict[str, Any]:
    """The scoring part: SKU/barcode, the words, and wrong-layout readings of the text.

    *code_only* keeps the SKU/barcode match alone (an exact code names its product alone);
    *ranked* scores by the ranking rules (the rescore), otherwise the cheap first pass.
    """
    return _readings_clause(text, _readings(text, words, code_only), typos=typos, ranked=ranked)


def _readings_clause(
    text: str, readings: Sequence[Sequence[QueryWord]], *, typos: Typos, ranked: bool
) -> dict[str, Any]:
    """:func:`text_clause` for the *readings* of *text* already worked out."""
    should: list[dict[str, Any]] = []
    codes = code_clause(text)
    if codes is not None:
        should.append(_scored(codes, SKU_SCORE))
    for index, reading in enumerate(readings):
        if not reading:
            continue
        clause = words_clause(reading, typos=typos, ranked=ranked)
        should.append(clause if index == 0 else {"bool": {"must": clause, "boost": LAYOUT_WEIGHT}})
    if not should:
        return {"bool": {"must_not": {"match_all": {}}}}
    return {"bool": {"should": should, "minimum_should_match": 1}}


def facet_filters(query: SearchQuery) -> dict[str, dict[str, Any]]:
    """The filter of each facet the query restricts, keyed by facet name."""
    filters: dict[str, dict[str, Any]] = {}
    if query.origin_countries:
        countries = sorted({country.upper() for country in query.origin_countries})
        filters["origin_country"] = {"terms": {"origin_country": countries}}
    if query.categories:
        filters["category"] = {"terms": {"category_path": sorted(set(query.categories))}}
    if query.booths:
        filters["booth"] = {"terms": {"booth": sorted(set(query.booths))}}
    if query.tax_refund:
        filters["tax_refund"] = refund_filter(query)
    return filters


def narrows(query: SearchQuery) -> bool:
    """Whether *query* filters its matches (by a facet or the price), so its total is not the index's."""
    return bool(facet_filters(query)) or price_filter(query) is not None


def refund_filter(query: SearchQuery) -> dict[str, Any]:
    """Products a departure tax refund can be claimed on, on the query's day."""
    return {"term": {"tax_refund_periods": query.tax_refund_on.isoformat()}}


def price_filter(query: SearchQuery) -> dict[str, Any] | None:
    """The CNY price range, or ``None`` when the query sets no bound."""
    bounds: dict[str, float] = {}
    if query.price_min_cny is not None:
        bounds["gte"] = float(query.price_min_cny)
    if query.price_max_cny is not None:
        bounds["lte"] = float(query.price_max_cny)
    return {"range": {"price_cny": bounds}} if bounds else None


def _all_of(filters: list[dict[str, Any]]) -> dict[str, Any]:
    return {"bool": {"filter": filters}} if filters else {"match_all": {}}


def facet_aggregations(query: SearchQuery) -> dict[str, Any]:
    """Each requested facet's values, counted under the other facets' filters but not its own.

    A facet that no other facet restricts is counted at the top level, with no ``filter``
    aggregation around it: Elasticsearch answers a top-level ``filter`` aggregation whose filter
    matches everything by running the whole query again for it ("filter by filter"), which took
    a third of a word search's time. A facet restricted by others gets a ``filter`` aggregation
    of them with its values inside (``values``), which both engines count in the search's own pass.
    """
    filters = facet_filters(query)
    aggregations: dict[str, Any] = {}
    for name in query.facets:
        others = [clause for facet, clause in sorted(filters.items()) if facet != name]
        values: dict[str, Any] = {"filter": refund_filter(query)}  # one value: how many qualify
        if name != "tax_refund":
            order = [{"_count": "desc"}, {"_key": "asc"}]
            values = {"terms": {"field": FACET_FIELDS[name], "size": FACET_SIZE, "order": order}}
        aggregations[name] = {"filter": _all_of(others), "aggs": {"values": values}} if others else values
    return aggregations


def _by_field(match: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The parts of one match that look at each field, keyed by field."""
    kind, body = next(iter(match.items()))
    if kind == "multi_match":
        return {field: {kind: {**body, "fields": [field]}} for field in body["fields"]}
    if kind == "bool":
        parts: dict[str, list[dict[str, Any]]] = {}
        for option in body["should"]:
            for field, part in _by_field(option).items():
                parts.setdefault(field, []).append(part)
        return {field: {"bool": {"should": kept}} for field, kept in parts.items()}
    return dict.fromkeys(body, match)


@functools.lru_cache(maxsize=CACHED_CLAUSES)
def _marked_by_field(word: QueryWord, group: str) -> tuple[dict[str, dict[str, Any]], ...]:
    """The word's matches in one shown text group without a typo (what highlights mark), each
    split by field (:func:`_by_field`). Built once per word and group and shared: never changed."""
    matches = [match for _, match in _level_matches(word, group)]
    derived = _derived_match(word, group) if group in _name_groups() else None
    if derived is not None:
        matches.append(derived)
    return tuple(_by_field(match) for match in matches)


def highlight_settings(
    readings: Sequence[Sequence[QueryWord]], groups: Sequence[str] = tuple(GROUPS)
) -> dict[str, Any] | None:
    """``<mark>`` highlights, HTML-escaped, on every shown text field of *groups* the words match in.

    Each field gets only the matches that look at it (the words' forms without a typo, as the
    ranking finds them): the highlighter walks that small query once per field and hit, and
    leaves the fields no word can match alone. ``None`` when no field can be marked.
    """
    words = [word for reading in readings for word in reading]
    fields: dict[str, Any] = {}
    for group in groups:
        whole = {"number_of_fragments": 0}
        if group == "description":
            whole = {"fragment_size": DESCRIPTION_FRAGMENT, "number_of_fragments": 1}
        names = [field_name(group, locale) for locale in LOCALES]
        names += [f"{field_name(group, locale)}.chars" for locale in cjk_locales()]
        parts = [part for word in words for part in _marked_by_field(word, group)]
        for name in names:
            on_field = [part[name] for part in parts if name in part]
            if on_field:
                fields[name] = {**whole, "highlight_query": {"bool": {"should": on_field}}}
    if not fields:
        return None
    return {
        "encoder": "html",
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "type": "unified",
        "fields": fields,
    }


def _with_popularity(query: dict[str, Any], weight: float) -> dict[str, Any]:
    """*query*'s score plus ``weight × ln(1 + popularity)``."""
    popularity = {"field": "popularity", "modifier": "ln1p", "missing": 0}
    return {
        "function_score": {
            "query": query,
            "functions": [{"field_value_factor": popularity, "weight": weight}],
            "boost_mode": "sum",
        }
    }


def rescore(query: SearchQuery, ranked: dict[str, Any]) -> dict[str, Any]:
    """The rescore of the first pass's best candidates: the ranking rules' score, then popularity."""
    return {
        "window_size": max(RESCORE_WINDOW, query.offset + query.limit),
        "query": {
            "rescore_query": _with_popularity(ranked, POPULARITY_WEIGHT),
            "query_weight": 0.0,
            "rescore_query_weight": 1.0,
            "score_mode": "total",
        },
    }


def search_body(
    query: SearchQuery,
    words: Sequence[QueryWord] | None = None,
    *,
    code_only: bool = False,
    typos: Typos = True,
) -> dict[str, Any]:
    """The full search request for *query* (``words`` overrides the words of its text).

    With text and the relevance order: the first pass, then :func:`rescore`. With text in
    another order: the first pass as a filter (nothing scored). Without text: every product.
    """
    has_text = bool(query.text.strip())
    readings = _readings(query.text, words, code_only) if has_text else []
    price = price_filter(query)
    filters = [price] if price else []
    body: dict[str, Any] = {
        "from": query.offset,
        "size": query.limit,
        "track_total_hits": TRACK_TOTAL_HITS,
        "_source": HIT_SOURCE,
    }
    if not has_text:
        every = boosted_clause({"match_all": {}}, query, facet_filters)
        body["query"] = {"bool": {"must": [every], "filter": filters}}
        body["sort"] = SORTS[query.sort]
    elif query.sort == "relevance":
        # boosts count in both passes: to reach the rescore window, and in the final order
        first = _readings_clause(query.text, readings, typos=typos, ranked=False)
        first = boosted_clause(first, query, facet_filters)
        body["query"] = {"bool": {"must": [_with_popularity(first, 1.0)], "filter": filters}}
        ranked = _readings_clause(query.text, readings, typos=typos, ranked=True)
        body["rescore"] = rescore(query, boosted_clause(ranked, query, facet_filters))
    else:
        matched = _readings_clause(query.text, readings, typos=typos, ranked=False)
        body["query"] = {"bool": {"filter": [matched, *filters]}}
        body["sort"] = SORTS[query.sort]
    highlight = highlight_settings(readings, marked_at_once(readings, typos=typos))
    if highlight is not None:
        body["highlight"] = highlight
    facet_filter = facet_filters(query)
    if facet_filter:
        body["post_filter"] = _all_of([facet_filter[name] for name in sorted(facet_filter)])
    if query.facets:
        body["aggs"] = facet_aggregations(query)
    return body


def _may_find_by_typo(readings: Sequence[Sequence[QueryWord]], typos: Typos) -> bool:
    """Whether a search of *readings* may find a hit by a typo, which highlights never mark.

    Its own request then marks every group: a later request would only mark descriptions again.
    """
    return bool(typos) and any(word.max_typos and not word.cjk for reading in readings for word in reading)


def marked_at_once(readings: Sequence[Sequence[QueryWord]], *, typos: Typos) -> tuple[str, ...]:
    """The text groups a search's own request marks (see :func:`_may_find_by_typo`)."""
    return tuple(GROUPS) if _may_find_by_typo(readings, typos) else FIRST_MARKED_GROUPS


def later_highlight_body(
    query: SearchQuery, ids: Sequence[str], words: Sequence[QueryWord] | None = None, *, typos: Typos = True
) -> dict[str, Any] | None:
    """Highlights of :data:`LATER_MARKED_GROUPS` for the hits *ids* of a search for *query* (*words*, *typos*
    as it was asked).

    Asked only for hits the first request left unmarked (a product found by its description
    alone); ``None`` when no such field can be marked, or the first request marked them already.
    """
    readings = _readings(query.text, words, False)
    if _may_find_by_typo(readings, typos):
        return None
    highlight = highlight_settings(readings, LATER_MARKED_GROUPS)
    if highlight is None:
        return None
    return {
        "query": {"ids": {"values": list(ids)}},
        "size": len(ids),
        "_source": False,
        "highlight": highlight,
    }


#: The aggregation of a suggest request holding the names that hold the typed words in a row.
IN_A_ROW = "in_a_row"


def count_body(clause: dict[str, Any]) -> dict[str, Any]:
    """A request counting the documents *clause* matches (no hits, nothing scored)."""
    return {"query": {"bool": {"filter": [clause]}}, "size": 0, "track_total_hits": True}


def suggest_body(text: str, limit: int) -> dict[str, Any]:
    """Names continuing *text*: a completion, names holding the typed words in a row, and in any order.

    The completion finds whole names starting with the text, however unpopular. The query finds
    the most popular names where every typed word starts a word, the last one as a prefix, in
    any order (``пшеничная му`` finds ``Мука пшеничная``), also by transliteration key. In
    ``name_exact``, which holds the names of several locales, the words may come from different
    names, and such products could take every place of the answer; so for two typed words or
    more, the most popular names holding them in a row within one name (``горный та`` in ``Мёд
    горный таёжный``) are asked for on their own (:data:`IN_A_ROW`).
    """
    typed = text.strip()
    tokens = tokenize(typed)
    # every typed word must have a key (Chinese has none): the keys of some words alone would
    # find names holding only those, and crowd out the names holding every word
    token_keys = [fold_key(token.text) for token in tokens]
    keys = " ".join(token_keys) if all(token_keys) else ""
    words_anywhere: list[dict[str, Any]] = [
        {
            "multi_match": {
                "query": typed,
                "type": "bool_prefix",
                "operator": "and",
                "fields": [
                    *exact_fields("name"),
                    *(f"{field_name('name', locale)}.chars" for locale in cjk_locales()),
                ],
            }
        }
    ]
    if keys:
        words_anywhere.append({"match_bool_prefix": {keys_field("name"): {"query": keys, "operator": "and"}}})
    shown: dict[str, Any] = {
        "_source": ["id", NAMES_SOURCE, "popularity"],
        "size": limit * 4,
        "sort": [{"popularity": "desc"}, {"id": "asc"}],
    }
    body: dict[str, Any] = {
        **shown,
        # no total is shown: the most popular names are found without counting every match
        "track_total_hits": False,
        "query": {"bool": {"should": words_anywhere, "minimum_should_match": 1}},
        "suggest": {
            "names": {
                "prefix": text.lstrip(),
                "completion": {"field": "suggest", "size": limit * 4, "skip_duplicates": False},
            }
        },
    }
    if sum(not token.cjk for token in tokens) > 1:
        in_a_row = {"match_phrase_prefix": {exact_field("name"): typed}}
        body["aggs"] = {IN_A_ROW: {"filter": in_a_row, "aggs": {"names": {"top_hits": shown}}}}
    return body
