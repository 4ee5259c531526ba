"""How the embedded engine answers a query: match sets, filters, facets and ranking.

Every query word is matched at four levels (exact, stem, transliteration key, typo) in four
fields (name, the names around it, highlights, description); :mod:`search.query_rules` says which matches make a
product an answer. Each (field, level) pair is a *class* with the weight
:mod:`search.ranking` gives it; a document's score is the sum over words of its best class. Documents of one score are
ordered by popularity, the static rank. Only the classes needed to fill the page are walked,
so a word found in half the catalog costs set operations, not per-row scoring.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from dataclasses import dataclass

from search.analysis import QueryWord
from search.analysis import analyze_query
from search.analysis import clean_text
from search.analysis import fold_key
from search.analysis import is_cyrillic
from search.analysis import layout_variants
from search.analysis import normalize_word
from search.analysis import small_words
from search.analysis import stem
from search.analysis import typo_budget
from search.boosts import boosted_leaves
from search.cjk_split import split_runs
from search.documents import TAX_REFUND
from search.documents import SearchQuery
from search.fts5_bits import members
from search.fts5_schema import refund_covers
from search.fts5_schema import sku_key
from search.fts5_state import View
from search.query_rules import DERIVED_FROM
from search.query_rules import corrected_query
from search.query_rules import keeps_letters
from search.query_rules import may_ignore
from search.ranking import BOTH_NAMES_BONUS
from search.ranking import FIELDS
from search.ranking import LEVELS
from search.ranking import NAMED_FIELDS
from search.ranking import SKU_SCORE
from search.ranking import match_weight
from search.typos import deletions
from search.typos import nearest_terms

#: Most typo corrections tried per word.
MAX_CORRECTIONS = 12
#: Ranking explores at most this many partial combinations of classes.
MAX_RANK_NODES = 4096
_CLASSES: tuple[tuple[float, int, str], ...] = tuple(
    sorted(
        ((match_weight(field, level), field, level) for field in range(len(FIELDS)) for level in LEVELS),
        key=lambda item: -item[0],
    )
)
_LEVEL_OFFSET = {"exact": 0, "stem": 1, "key": 2}


@dataclass(frozen=True)
class WordMatch:
    """One query word's disjoint classes ``(weight, rows)``, best first, and all its rows."""

    word: QueryWord
    corrections: tuple[str, ...]
    classes: tuple[tuple[float, int], ...]
    rows: int
    exact_rows: int = 0  # rows matching the word without a typo
    named_rows: int = 0  # rows whose name (or the names around it) holds the word in any form
    typed_rows: int = 0  # rows whose highlights or description hold the word as typed, or a typo of it


@dataclass(frozen=True)
class Plan:
    """The analysed query: the words that matched and exact SKU/barcode rows."""

    words: tuple[WordMatch, ...]
    matched: int  # every row matching all words (or the SKU)
    sku_rows: int
    #: Words of the query that match nothing at all (left out of the search).
    ignored: tuple[str, ...] = ()
    #: The query with its words corrected, when only typo corrections match.
    correction: str | None = None


def corrections(view: View, conn: sqlite3.Connection, word: QueryWord) -> tuple[str, ...]:
    """Vocabulary terms within the word's typo budget (from the deletion table)."""
    if word.max_typos == 0 or word.cjk:
        return ()
    cache_key = ("typo", word.text)
    cached = view.remembered(cache_key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    known = word.exact | word.stem | word.key
    found: list[str] = []
    source = normalize_word(word.text)  # the word as typed: never its transliteration key
    budget = min(word.max_typos, typo_budget(source))
    if budget:
        fragments = sorted(deletions(source, budget))
        marks = ", ".join("?" * len(fragments))
        candidates = [
            row[0]
            for row in conn.execute(
                f"SELECT DISTINCT term FROM {view.tables.typo} WHERE fragment IN ({marks})",
                fragments,
            )
        ]
        found.extend(
            t for t in nearest_terms(source, candidates, budget) if t not in known and t[0] == source[0]
        )
    # A correction that shares the word's stem or key adds nothing the stem level lacks.
    useful = [
        t
        for t in dict.fromkeys(found)
        if stem(t) not in word.stem and fold_key(t) not in word.key and fold_key(stem(t)) not in word.key
    ]
    result = tuple(useful[:MAX_CORRECTIONS])
    view.remember(cache_key, result)
    return result


def match_word(view: View, conn: sqlite3.Connection, word: QueryWord) -> WordMatch:
    """Compute the word's classes from the postings of its terms."""
    raw: dict[tuple[int, str], int] = {}
    fixes: tuple[str, ...] = ()
    typed = 0
    if word.cjk:
        cjk_terms = tuple(sorted(word.exact))
        for field in range(len(FIELDS)):
            if word.prefix:
                raw[(field, "exact")] = view.rows(conn, cjk_terms[0], field * 3, prefix=True)
            else:
                raw[(field, "exact")] = view.rows_with_all(conn, cjk_terms, field * 3)
            if field not in NAMED_FIELDS:
                typed |= raw[(field, "exact")]
    else:
        fixes = corrections(view, conn, word)
        by_level = {"exact": word.exact, "stem": word.stem, "key": word.key}
        for field in range(len(FIELDS)):
            for level, terms in by_level.items():
                rows = 0
                for term in terms:
                    rows |= view.rows(conn, term, field * 3 + _LEVEL_OFFSET[level])
                raw[(field, level)] = rows
            rows = 0
            for term in fixes:
                rows |= view.rows(conn, term, field * 3) | view.rows(conn, term, field * 3 + 2)
            raw[(field, "typo")] = rows
            if field not in NAMED_FIELDS:
                typed |= rows | _typed_rows(view, conn, word, field)
        for field in NAMED_FIELDS:
            raw[(field, "key")] |= _derived_rows(view, conn, word, field)
    exact_rows = 0
    named_rows = 0
    for (field, level), rows in raw.items():
        if level != "typo":
            exact_rows |= rows
        if field in NAMED_FIELDS:
            named_rows |= rows
    both = _named_twice(raw)
    covered = 0
    by_weight: dict[float, int] = {}
    for weight, field, level in _CLASSES:
        rows = raw.get((field, level), 0) & ~covered
        covered |= rows
        for score, part in ((weight + BOTH_NAMES_BONUS, rows & both), (weight, rows & ~both)):
            if part:
                by_weight[score] = by_weight.get(score, 0) | part  # equal weights rank as one class
    classes = tuple(sorted(by_weight.items(), key=lambda item: -item[0]))
    return WordMatch(word, fixes, classes, covered, exact_rows, named_rows, typed)


def _named_twice(raw: dict[tuple[int, str], int]) -> int:
    """Rows whose names around them hold the word at least as exactly as their own name does.

    A brand written in the other script (``китчен`` for "Bangkok Kitchen") only repeats the name.
    """
    name_field, labels_field = NAMED_FIELDS
    rows = 0
    better_name = 0
    labels_so_far = 0
    for level in LEVELS[:-1]:  # exact, stem, key: never a typo
        labels_so_far |= raw.get((labels_field, level), 0)
        name_here = raw.get((name_field, level), 0) & ~better_name
        rows |= name_here & labels_so_far
        better_name |= name_here
    return rows


def _typed_rows(view: View, conn: sqlite3.Connection, word: QueryWord, field: int) -> int:
    """Rows holding the word as typed in *field*: the same word, or in Latin letters its Cyrillic spelling."""
    rows = view.rows(conn, normalize_word(word.text), field * 3)
    if not is_cyrillic(word.text):
        rows |= view.rows(conn, fold_key(word.text), field * 3 + _LEVEL_OFFSET["key"])
    return rows


def _derived_rows(view: View, conn: sqlite3.Connection, word: QueryWord, field: int) -> int:
    """Rows whose *field* holds a word derived from the word's stem (``облепих`` → ``облепиховый``)."""
    rows = 0
    for term in word.stem:
        if len(term) >= DERIVED_FROM:
            rows |= view.rows(conn, term, field * 3 + _LEVEL_OFFSET["stem"], prefix=True)
    return rows


def _coverage(view: View, conn: sqlite3.Connection, words: list[QueryWord]) -> int:
    """Letters of the words that exist in the vocabulary at exact, stem or key level."""
    total = 0
    for word in words:
        terms = word.exact | word.stem | word.key
        if any(view.has_term(conn, term) for term in terms):
            total += len(word.text)
    return total


def choose_words(view: View, conn: sqlite3.Connection, text: str) -> list[QueryWord]:
    """Analyse *text*, or its wrong-keyboard-layout reading when that finds clearly more."""
    words = split_runs(
        analyze_query(text),
        lambda parts: _all_of([match_word(view, conn, w).rows for w in parts]).bit_count(),
    )
    if not words:
        return words
    # the one-letter words left out still count as typed letters no known word covers
    letters = _letters(words) + sum(len(word) for word in small_words(text))
    best = _coverage(view, conn, words)
    if best == letters:
        return words
    for variant in layout_variants(text):
        variant_words = analyze_query(variant)
        # a reading counts when it keeps every letter typed and all of it reads as known words
        if not variant_words or not keeps_letters(text, variant):
            continue
        score = _coverage(view, conn, variant_words)
        if score == _letters(variant_words):
            return variant_words
    return words


def _letters(words: list[QueryWord]) -> int:
    return sum(len(word.text) for word in words)


def plan_query(view: View, conn: sqlite3.Connection, text: str) -> Plan:
    """Match the query text: every word that exists must match (rarest first)."""
    text = clean_text(text)
    sku_rows = 0
    key = sku_key(text) if len(text) <= 64 else None
    if key:
        rows = conn.execute(
            f"SELECT rowid FROM {view.tables.docs} WHERE sku_key = ? OR barcode_key = ?",
            (key, key),
        )
        for (rowid,) in rows:
            if rowid in view.ids:
                sku_rows |= 1 << rowid
    if sku_rows:
        return Plan((), sku_rows, sku_rows)  # an exact SKU or barcode names its product alone
    if not text.strip():
        return Plan((), view.all, 0)
    chosen = choose_words(view, conn, text)
    if not chosen:  # punctuation, symbols: nothing to search for, and the answer says so
        return Plan((), 0, 0, (text.strip(),))
    matches = [match_word(view, conn, word) for word in chosen]
    found = sorted((m for m in matches if m.rows), key=lambda m: m.rows.bit_count())
    ignored = tuple(m.word.text for m in matches if not m.rows)
    if not may_ignore([m.word for m in found], [m.word for m in matches if not m.rows]):
        found = []
    matched = _all_of([m.rows for m in found])
    exact = _all_of([m.exact_rows for m in found]) & matched
    if exact:
        matched = exact  # typo corrections widen the search only when the words as typed find nothing
    # a product is found by what it is called, or by its other texts holding the words as typed
    matched &= _any_of([m.named_rows for m in found]) | _all_of([m.typed_rows for m in found])
    exact = _all_of([m.exact_rows for m in found]) & matched
    correction = None
    if matched and not exact:
        correction = corrected_query(
            [
                (m.word, _written_terms(view, conn, m.corrections), bool(m.exact_rows))
                for m in matches
                if m.rows
            ]
        )
    return Plan(tuple(found), matched, 0, ignored, correction)


def _written_terms(view: View, conn: sqlite3.Connection, terms: tuple[str, ...]) -> tuple[str, ...]:
    """The *terms* written as words somewhere (not only transliteration keys)."""
    return tuple(t for t in terms if any(view.rows(conn, t, field * 3) for field in range(len(FIELDS))))


def _any_of(sets: list[int]) -> int:
    """Rows in any one of *sets*."""
    rows = 0
    for other in sets:
        rows |= other
    return rows


def _all_of(sets: list[int]) -> int:
    """Rows in every one of *sets* (none when there are no sets)."""
    if not sets:
        return 0
    rows = sets[0]
    for other in sets[1:]:
        rows &= other
        if not rows:
            break
    return rows


def filter_sets(view: View, query: SearchQuery) -> dict[str, int]:
    """The row set of each filter the query sets (absent filters are left out)."""
    sets: dict[str, int] = {}
    if query.origin_countries:
        country_sets = view.facet_sets["origin_country"]
        sets["origin_country"] = _union(country_sets.get(c.upper(), 0) for c in query.origin_countries)
    if query.categories:
        sets["category"] = _union(view.category_paths.get(c, 0) for c in query.categories)
    if query.booths:
        sets["booth"] = _union(view.facet_sets["booth"].get(b, 0) for b in query.booths)
    if query.tax_refund:
        sets["tax_refund"] = refund_rows(view, query.tax_refund_on)
    if query.price_min_cny is not None or query.price_max_cny is not None:
        low = None if query.price_min_cny is None else float(query.price_min_cny)
        high = None if query.price_max_cny is None else float(query.price_max_cny)
        sets["price"] = view.by_price.between(low, high)
    return sets


def refund_rows(view: View, on: dt.date) -> int:
    """Rows whose product a departure tax refund can be claimed on, *on* that day."""
    day = on.isoformat()
    return _union(rows for text, rows in view.facet_sets["tax_refund"].items() if refund_covers(text, day))


def _union(sets: object) -> int:
    result = 0
    for rows in sets:  # type: ignore[attr-defined]
        result |= rows
    return result


def apply_filters(rows: int, sets: dict[str, int], skip: str | None = None) -> int:
    """*rows* restricted by every filter but *skip*."""
    for name, allowed in sets.items():
        if name != skip:
            rows &= allowed
    return rows


def facet_counts(view: View, name: str, rows: int, limit: int, on: dt.date) -> list[tuple[str, int]]:
    """Count *rows* per value of facet *name*, biggest first (the tax refund facet judged *on* that day)."""
    if name == "tax_refund":
        count = (rows & refund_rows(view, on)).bit_count()
        return [(TAX_REFUND, count)] if count else []
    values = view.facet_sets[name]
    size = rows.bit_count()
    if not size:
        return []
    if size < 8 * len(values):
        attribute = {"origin_country": view.country, "category": view.category}.get(name, view.booth)
        counter: Counter[str] = Counter()
        for rowid in members(rows):
            value = attribute[rowid]
            if value:
                counter[value] += 1
        counts = list(counter.items())
    else:
        counts = [(value, (rows & bits).bit_count()) for value, bits in values.items()]
    ranked = sorted(((v, c) for v, c in counts if c), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def rank(view: View, plan: Plan, rows: int, count: int, boosted: int = 0) -> list[tuple[int, float]]:
    """The best *count* rows of *rows* by score (*boosted* rows lifted), then popularity."""
    out: list[tuple[int, float]] = []
    sku_rows = plan.sku_rows & rows
    if sku_rows:
        out.extend((row, SKU_SCORE) for row in view.by_popularity.first(sku_rows, count))
        rows &= ~sku_rows
    leaves: list[tuple[float, int]] = []
    budget = [MAX_RANK_NODES]

    def walk(depth: int, subset: int, score: float) -> None:
        if depth == len(plan.words) or budget[0] <= 0:
            leaves.append((score, subset))
            return
        budget[0] -= 1
        for weight, class_rows in plan.words[depth].classes:
            inside = subset & class_rows
            if inside:
                walk(depth + 1, inside, score + weight)

    if rows:
        walk(0, rows, 0.0)
    leaves = boosted_leaves(leaves, boosted)
    leaves.sort(key=lambda leaf: -leaf[0])
    for score, subset in leaves:
        if len(out) >= count:
            break
        out.extend((row, score) for row in view.by_popularity.first(subset, count - len(out)))
    return out[:count]
