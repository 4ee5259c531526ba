"""Search and suggest request bodies for Elasticsearch and OpenSearch.

Ranking mirrors the embedded engine: every query word is matched at four levels (exact
word, stem, transliteration key, typo) in three text groups (name, highlights,
description); each (group, level) pair has the weight :mod:`search.ranking` gives it, a word scores its best pair and a
product scores the sum over words. Equal scores fall back to popularity. Exact SKU and
barcode matches come first. Facets are disjunctive: a facet's own filter is applied after
its counts (``post_filter``) while the other filters restrict them (``filter`` aggregations).
"""

from __future__ import annotations

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
from search.documents import SearchQuery
from search.dsl import FOLDING_ANALYZERS
from search.dsl import GROUPS
from search.dsl import LABELS
from search.dsl import LOCALE_ANALYZERS
from search.dsl import cjk_locales
from search.dsl import field_name
from search.dsl import keys_field
from search.dsl import sku_key
from search.query_rules import DERIVED_FROM
from search.query_rules import keeps_letters
from search.ranking import SKU_SCORE
from search.ranking import match_weight
from search.transliterate import latin_to_russian

#: Weight of a reading of the text typed on the wrong keyboard layout, relative to the text.
LAYOUT_WEIGHT = 0.5
#: Most values returned per facet.
FACET_SIZE = 50
#: Longest text tried as a SKU or barcode.
MAX_CODE_LENGTH = 64
#: Facet name -> indexed field it counts.
FACET_FIELDS: dict[str, str] = {
    "origin_country": "origin_country",
    "category": "category",
    "booth": "booth",
}
#: Source fields a result page needs.
HIT_SOURCE = ["id", "sku", "price", "currency", "thumbnail", "texts", "popularity"]
#: How many description characters a highlight shows around the match.
DESCRIPTION_FRAGMENT = 160
_LATIN_WORD_RE = re.compile("[a-zA-Z]")

SORTS: dict[str, list[Any]] = {
    "relevance": [{"_score": "desc"}, {"popularity": "desc"}, {"id": "asc"}],
    "price_asc": [{"price_cny": "asc"}, {"id": "asc"}],
    "price_desc": [{"price_cny": "desc"}, {"id": "desc"}],
    "newest": [{"created_at": "desc"}, {"id": "desc"}],
}


#: Every searched text group with the field rank it scores as (labels rank with the name).
SCORED_GROUPS: tuple[tuple[int, str], ...] = (
    *((field, group) for field, group in enumerate(GROUPS) if field == 0),
    (0, LABELS),
    *((field, group) for field, group in enumerate(GROUPS) if field > 0),
)


def _scored(query: dict[str, Any], weight: float) -> dict[str, Any]:
    return {"constant_score": {"filter": query, "boost": weight}}


def _multi_match(text: str, fields: list[str], **options: Any) -> dict[str, Any]:
    return {"multi_match": {"query": text, "fields": fields, "operator": "and", **options}}


def _exact_fields(group: str) -> list[str]:
    fields = [f"{field_name(group, locale)}.exact" for locale in LOCALES if locale not in cjk_locales()]
    folding = [field_name(group, loc) for loc in LOCALES if LOCALE_ANALYZERS[loc] in FOLDING_ANALYZERS]
    return [*fields, *folding]


def _cjk_options(word: QueryWord, group: str, field: int) -> list[dict[str, Any]]:
    options = []
    for locale in cjk_locales():
        if word.prefix:
            match = {"match": {f"{field_name(group, locale)}.chars": {"query": word.text}}}
        else:
            match = {"match": {field_name(group, locale): {"query": word.text, "operator": "and"}}}
        options.append(_scored(match, match_weight(field, "exact")))
    return options


def _russian_reading(word: QueryWord) -> str | None:
    """How a Latin-letter word reads as Russian typed in Latin (``muka`` -> ``мука``)."""
    if is_cyrillic(word.text) or not _LATIN_WORD_RE.search(word.text):
        return None
    reading = latin_to_russian(normalize_word(word.text))
    return reading if is_cyrillic(reading) else None


def _group_options(word: QueryWord, field: int, group: str) -> list[dict[str, Any]]:
    """The word's exact, stem and key matches in one text group, each with its weight."""
    if word.cjk:
        return _cjk_options(word, group, field)
    options: list[dict[str, Any]] = []
    exact_fields = _exact_fields(group)
    for form in sorted(word.exact):
        options.append(_scored(_multi_match(form, exact_fields), match_weight(field, "exact")))
    stem_fields = [field_name(group, "ru"), field_name(group, "en")]
    options.append(_scored(_multi_match(word.text, stem_fields), match_weight(field, "stem")))
    if word.key:
        keys = {"terms": {keys_field(group): sorted(word.key)}}
        options.append(_scored(keys, match_weight(field, "key")))
    reading = _russian_reading(word)
    if reading:
        russian = {"match": {field_name(group, "ru"): {"query": reading, "operator": "and"}}}
        options.append(_scored(russian, match_weight(field, "key")))
    if field == 0:
        options.extend(_derived_options(word, group))
    return options


def _derived_options(word: QueryWord, group: str) -> list[dict[str, Any]]:
    """Name words derived from the word's stem (``облепих`` finds ``облепиховый``), as loose as a key."""
    prefixes = [
        {"prefix": {field_name(group, locale): {"value": stem}}}
        for stem in sorted(word.stem)
        if len(stem) >= DERIVED_FROM
        for locale in ("ru", "en", "uz")
    ]
    return [_scored({"bool": {"should": prefixes}}, match_weight(0, "key"))] if prefixes else []


def word_clause(word: QueryWord, *, typos: bool = True) -> dict[str, Any]:
    """A ``dis_max`` scoring one query word by its best (text group, level) match.

    ``typos=False`` leaves out the fuzzy level: highlighting fuzzy queries over every text
    field costs seconds, so highlights use the query without it.
    """
    options: list[dict[str, Any]] = []
    for field, group in SCORED_GROUPS:
        options.extend(_group_options(word, field, group))
    if typos and word.max_typos and not word.cjk:
        for field, group in SCORED_GROUPS:
            options.append(_scored(_typo_match(word, group), match_weight(field, "typo")))
    return {"dis_max": {"queries": options, "tie_breaker": 0.0}}


def _typo_match(word: QueryWord, group: str) -> dict[str, Any]:
    """The word as typed within its typo budget in one text group (never its transliteration key).

    A typo never changes the first letter.
    """
    fuzzy = {"fuzziness": word.max_typos, "prefix_length": 1}
    return _multi_match(word.text, _exact_fields(group), max_expansions=50, **fuzzy)


def _named_clause(word: QueryWord, typos: bool) -> dict[str, Any]:
    """The word in any form in the product's name or the names around it."""
    options: list[dict[str, Any]] = []
    for field, group in SCORED_GROUPS:
        if field == 0:
            options.extend(_group_options(word, field, group))
            if typos and word.max_typos and not word.cjk:
                options.append(_typo_match(word, group))
    return {"bool": {"should": options}}


def _typed_clause(word: QueryWord, typos: bool) -> dict[str, Any]:
    """The word as typed (or with a typo) in the highlights or description."""
    options: list[dict[str, Any]] = []
    for field, group in SCORED_GROUPS:
        if field == 0:
            continue
        if word.cjk:
            options.extend(_cjk_options(word, group, field))
            continue
        options.append(_multi_match(normalize_word(word.text), _exact_fields(group)))
        if not is_cyrillic(word.text) and fold_key(word.text):
            options.append({"term": {keys_field(group): fold_key(word.text)}})
        if typos and word.max_typos:
            # another form of the word is not a typo of it ("холодильнике" for "холодильник")
            other_form = _multi_match(word.text, [field_name(group, "ru"), field_name(group, "en")])
            options.append({"bool": {"must": [_typo_match(word, group)], "must_not": [other_form]}})
    return {"bool": {"should": options}}


def found_by_clause(words: Sequence[QueryWord], *, typos: bool = True) -> dict[str, Any]:
    """A product is found by what it is called, or by its other texts holding every word as typed."""
    named = {"bool": {"should": [_named_clause(word, typos) for word in words]}}
    typed = {"bool": {"must": [_typed_clause(word, typos) for word in words]}}
    return {"bool": {"should": [named, typed], "minimum_should_match": 1}}


def words_clause(words: Sequence[QueryWord], *, typos: bool = True) -> dict[str, Any]:
    """Every word must match; the score is the sum of the words' best matches."""
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


def correction_body(words: Sequence[QueryWord]) -> dict[str, Any]:
    """Term suggestions (within each word's typo budget, same first letter) for *words*."""
    suggest: dict[str, Any] = {}
    for index, word in enumerate(words):
        for group in (*GROUPS, LABELS):
            for locale in ("ru", "kk", "en"):
                suggest[f"w{index}-{group}-{locale}"] = {
                    "text": normalize_word(word.text),
                    "term": {
                        "field": f"{field_name(group, locale)}.exact",
                        "suggest_mode": "always",
                        "max_edits": max(1, min(2, word.max_typos)),
                        "prefix_length": 1,
                        "size": 3,
                    },
                }
    return {"size": 0, "suggest": suggest}


def text_clause(
    text: str, words: Sequence[QueryWord] | None = None, *, typos: bool = True, code_only: bool = False
) -> dict[str, Any]:
    """The scoring part: SKU/barcode, the words, and wrong-layout readings of the text.

    *code_only* keeps the SKU/barcode match alone (an exact code names its product alone).
    """
    should: list[dict[str, Any]] = []
    codes = code_clause(text)
    if codes is not None:
        should.append(_scored(codes, SKU_SCORE))
    chosen = [] if code_only else list(words) if words is not None else query_words(text)
    if chosen:
        should.append(words_clause(chosen, typos=typos))
    if words is None and not code_only:
        for variant in layout_variants(text):
            variant_words = query_words(variant)
            if variant_words and keeps_letters(text, variant):
                retyped = words_clause(variant_words, typos=typos)
                should.append({"bool": {"must": retyped, "boost": LAYOUT_WEIGHT}})
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
    return filters


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
    """One ``filter`` aggregation per requested facet, ignoring that facet's own filter."""
    filters = facet_filters(query)
    aggregations: dict[str, Any] = {}
    for name in query.facets:
        others = [clause for facet, clause in sorted(filters.items()) if facet != name]
        aggregations[name] = {
            "filter": _all_of(others),
            "aggs": {
                "values": {
                    "terms": {
                        "field": FACET_FIELDS[name],
                        "size": FACET_SIZE,
                        "order": [{"_count": "desc"}, {"_key": "asc"}],
                    }
                }
            },
        }
    return aggregations


def highlight_settings(highlight_query: dict[str, Any] | None = None) -> dict[str, Any]:
    """``<mark>`` highlights, HTML-escaped, on every text field a hit may show."""
    fields: dict[str, Any] = {}
    for group in GROUPS:
        whole = {"number_of_fragments": 0}
        if group == "description":
            whole = {"fragment_size": DESCRIPTION_FRAGMENT, "number_of_fragments": 1}
        for locale in LOCALES:
            fields[field_name(group, locale)] = whole
            fields[f"{field_name(group, locale)}.exact"] = whole
        for locale in cjk_locales():
            fields[f"{field_name(group, locale)}.chars"] = whole
    settings: dict[str, Any] = {
        "encoder": "html",
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "type": "unified",
        "fields": fields,
    }
    if highlight_query is not None:
        settings["highlight_query"] = highlight_query
    return settings


def search_body(
    query: SearchQuery,
    words: Sequence[QueryWord] | None = None,
    *,
    code_only: bool = False,
    typos: bool = True,
) -> dict[str, Any]:
    """The full search request for *query* (``words`` overrides the words of its text)."""
    has_text = bool(query.text.strip())
    main = text_clause(query.text, words, typos=typos, code_only=code_only) if has_text else {"match_all": {}}
    marked = text_clause(query.text, words, typos=False, code_only=code_only) if has_text else None
    price = price_filter(query)
    body: dict[str, Any] = {
        "query": {"bool": {"must": [main], "filter": [price] if price else []}},
        "from": query.offset,
        "size": query.limit,
        "sort": SORTS[query.sort],
        "track_total_hits": True,
        "_source": HIT_SOURCE,
        "highlight": highlight_settings(marked),
    }
    facet_filter = facet_filters(query)
    if facet_filter:
        body["post_filter"] = _all_of([facet_filter[name] for name in sorted(facet_filter)])
    if query.facets:
        body["aggs"] = facet_aggregations(query)
    return body


def count_body(clause: dict[str, Any]) -> dict[str, Any]:
    """A request counting the documents *clause* matches (no hits)."""
    return {"query": clause, "size": 0, "track_total_hits": True}


def suggest_body(text: str, limit: int) -> dict[str, Any]:
    """Names continuing *text*: a completion, plus names holding the typed words in any order.

    The completion finds names (or their later words) starting with the text; the query finds
    names where every typed word starts a word, the last one as a prefix, in any order
    (``пшеничная му`` finds ``Мука пшеничная``), also by transliteration key.
    """
    typed = text.strip()
    keys = " ".join(key for key in (fold_key(token.text) for token in tokenize(typed)) if key)
    words_anywhere: list[dict[str, Any]] = [
        {
            "multi_match": {
                "query": typed,
                "type": "bool_prefix",
                "operator": "and",
                "fields": [
                    *_exact_fields("name"),
                    *(f"{field_name('name', locale)}.chars" for locale in cjk_locales()),
                ],
            }
        }
    ]
    if keys:
        words_anywhere.append({"match_bool_prefix": {keys_field("name"): {"query": keys, "operator": "and"}}})
    return {
        "_source": ["id", "texts", "popularity"],
        "size": limit * 4,
        "query": {"bool": {"should": words_anywhere, "minimum_should_match": 1}},
        "sort": [{"popularity": "desc"}, {"id": "asc"}],
        "suggest": {
            "names": {
                "prefix": text.lstrip(),
                "completion": {"field": "suggest", "size": limit * 4, "skip_duplicates": False},
            }
        },
    }
