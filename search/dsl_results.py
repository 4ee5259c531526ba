"""Turning Elasticsearch and OpenSearch responses into our value objects."""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from search.analysis import fold_key
from search.analysis import normalize_word
from search.analysis import token_spans
from search.documents import LOCALES
from search.documents import TAX_REFUND
from search.documents import FacetValue
from search.documents import SearchHit
from search.documents import SearchQuery
from search.documents import SearchResult
from search.documents import Suggestion
from search.dsl import GROUPS
from search.dsl import field_name
from search.dsl_query import IN_A_ROW

MARK = "<mark>"
#: Names whose words are kept analysed between suggestions.
NAMES_KEPT = 65_536


def names_of(source: Mapping[str, Any]) -> dict[str, str]:
    """A hit's name in each locale it has one in, from its ``name_<locale>`` source fields."""
    names: dict[str, str] = {}
    for locale in LOCALES:
        name = str(source.get(field_name("name", locale)) or "").strip()
        if name:
            names[locale] = name
    return names


def locale_chain(locales: Sequence[str], names: Mapping[str, str]) -> list[str]:
    """The reader's locales, then every other locale the product has a name in."""
    return list(dict.fromkeys([*locales, *LOCALES, *names]))


def display_name(names: Mapping[str, str], locales: Sequence[str]) -> tuple[str, str]:
    """The name in the first locale of the chain that has one, and that locale."""
    for locale in locale_chain(locales, names):
        if names.get(locale):
            return names[locale], locale
    return "", locales[0] if locales else LOCALES[0]


def _marked(fragments: Mapping[str, list[str]], field: str) -> str | None:
    for fragment in fragments.get(field, []):
        for line in fragment.split("\n"):
            if MARK in line:
                return line
    return None


def best_highlight(
    fragments: Mapping[str, list[str]], names: Mapping[str, str], locales: Sequence[str], name: str
) -> str:
    """A marked name, else the first marked highlight or description, in locale order."""
    if not fragments:  # nothing asked to be marked (no text), or nothing found to mark
        return html.escape(name)
    order = locale_chain(locales, names)
    for group in GROUPS:
        for locale in order:
            field = field_name(group, locale)
            for candidate in (field, f"{field}.chars"):
                marked = _marked(fragments, candidate)
                if marked is not None:
                    return marked
    return html.escape(name)


def _has_mark(fragments: Mapping[str, list[str]]) -> bool:
    return any(MARK in fragment for field in fragments.values() for fragment in field)


def unmarked_ids(response: Mapping[str, Any]) -> list[str]:
    """The ids of the hits of *response* no highlight marks."""
    return [str(raw["_id"]) for raw in response["hits"]["hits"] if not _has_mark(raw.get("highlight") or {})]


def with_later_highlights(response: dict[str, Any], later: Mapping[str, Any]) -> dict[str, Any]:
    """*response* with the highlights of *later* (a search of some of its hits) added to its hits."""
    found = {str(raw["_id"]): raw.get("highlight") or {} for raw in later["hits"]["hits"]}
    hits = [
        {**raw, "highlight": {**(raw.get("highlight") or {}), **found.get(str(raw["_id"]), {})}}
        for raw in response["hits"]["hits"]
    ]
    return {**response, "hits": {**response["hits"], "hits": hits}}


def hit_from(raw: Mapping[str, Any], locales: Sequence[str]) -> SearchHit:
    """One search hit in the reader's locale chain."""
    source = raw["_source"]
    names = names_of(source)
    name, locale = display_name(names, locales)
    score = raw.get("_score")
    return SearchHit(
        id=int(source["id"]),
        sku=str(source["sku"]),
        score=float(score) if score is not None else 0.0,
        name=name,
        locale=locale,
        highlight=best_highlight(raw.get("highlight") or {}, names, locales, name),
        price=Decimal(str(source["price"])),
        currency=str(source["currency"]),
        thumbnail=source.get("thumbnail"),
    )


def total_of(response: Mapping[str, Any]) -> int:
    """The hit count of a search response (``track_total_hits`` makes it exact)."""
    total = response["hits"]["total"]
    return int(total["value"] if isinstance(total, Mapping) else total)


def word_counts(response: Mapping[str, Any], words: int) -> list[int]:
    """The per-word counts of a :func:`search.dsl_query.word_counts_body` answer, in word order."""
    aggregations = response.get("aggregations") or {}
    return [int(aggregations[f"w{index}"]["doc_count"]) for index in range(words)]


def _facet_values(values: Mapping[str, Any]) -> tuple[FacetValue, ...]:
    """A facet's values from its aggregation: term buckets, or one filter's count (tax refund)."""
    if "buckets" not in values:
        count = int(values.get("doc_count", 0))
        return (FacetValue(TAX_REFUND, count),) if count else ()
    return tuple(FacetValue(str(b["key"]), int(b["doc_count"])) for b in values["buckets"])


def _facet_aggregation(answer: Mapping[str, Any]) -> Mapping[str, Any]:
    """A facet's own values: inside the filter of the other facets, or at the top level when none
    restricts it (see :func:`search.dsl_query.facet_aggregations`)."""
    values: Mapping[str, Any] = answer.get("values", answer)
    return values


def result_from(response: Mapping[str, Any], query: SearchQuery) -> SearchResult:
    """A result page with its facets."""
    aggregations = response.get("aggregations") or {}
    facets = {name: _facet_values(_facet_aggregation(aggregations.get(name, {}))) for name in query.facets}
    hits = tuple(hit_from(raw, query.locales) for raw in response["hits"]["hits"])
    return SearchResult(total=total_of(response), hits=hits, facets=facets)


@functools.lru_cache(maxsize=NAMES_KEPT)
def _word_forms(text: str) -> tuple[tuple[str, str], ...]:
    """Each word of *text* with its Latin key (each Chinese character on its own); remembered,
    as the same names come back in suggestion after suggestion."""
    forms: list[tuple[str, str]] = []
    for token, _, _, cjk in token_spans(text):
        if cjk:
            forms.extend((char, char) for char in token)
        else:
            word = normalize_word(token)
            forms.append((word, fold_key(word)))
    return tuple(forms)


def name_matches(name: str, typed: str) -> bool:
    """Whether every typed word starts a word of *name* (exactly, or by its Latin key)."""
    typed_forms = _word_forms(typed)
    if not typed_forms:
        return False
    name_forms = _word_forms(name)
    for word, key in typed_forms:
        if not any(
            form.startswith(word) or (key and form_key.startswith(key)) for form, form_key in name_forms
        ):
            return False
    return True


def _starts_with(name: str, typed: str) -> bool:
    typed_word, typed_key = _whole_forms(typed.strip())
    name_word, name_key = _whole_forms(name)
    return name_word.startswith(typed_word) or bool(typed_key and name_key.startswith(typed_key))


@functools.lru_cache(maxsize=NAMES_KEPT)
def _whole_forms(text: str) -> tuple[str, str]:
    """*text* as one comparable word and as its Latin key."""
    return normalize_word(text), fold_key(text)


def _suggested_name(source: Mapping[str, Any], text: str, locales: Sequence[str], hint: str) -> str:
    """The product's name to suggest: the first in the reader's chain the typed words match."""
    names = names_of(source)
    chained = [names[locale] for locale in locale_chain(locales, names) if locale in names]
    for name in chained:
        if name_matches(name, text):
            return name
    return next((name for name in chained if hint and hint in name), "")


def suggestions_from(
    response: Mapping[str, Any], text: str, locales: Sequence[str], limit: int
) -> list[Suggestion]:
    """Distinct names completing *text*: names starting with it first, then by popularity."""
    candidates: list[tuple[Mapping[str, Any], str]] = [
        (option.get("_source") or {}, str(option.get("text", "")))
        for option in response.get("suggest", {}).get("names", [{}])[0].get("options", [])
    ]
    in_a_row = response.get("aggregations", {}).get(IN_A_ROW, {}).get("names", {}).get("hits", {})
    for hits in (response.get("hits", {}), in_a_row):
        candidates.extend((hit.get("_source") or {}, "") for hit in hits.get("hits", []))
    picked: dict[int, tuple[bool, float, int, str]] = {}
    for source, hint in candidates:
        product_id = int(source.get("id", 0))
        name = _suggested_name(source, text, locales, hint)
        if not name or product_id in picked:
            continue
        popularity = float(source.get("popularity") or 0.0)
        picked[product_id] = (not _starts_with(name, text), -popularity, product_id, name)
    out: list[Suggestion] = []
    seen: set[str] = set()
    for _, _, product_id, name in sorted(picked.values()):
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        out.append(Suggestion(text=name, product_id=product_id))
        if len(out) == limit:
            break
    return out
