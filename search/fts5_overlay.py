"""The current terms of the rows written since a view was loaded, over its cached postings.

An overlay is never changed once made: a write makes the next one from it, re-reading only
the rows that write touched, so its cost follows the size of the write and not the number of
rows written since the last full load (a rate change re-indexes every product at once).

It is kept in two layers. The base is shared by every overlay made from it and never copied;
each write copies only the small layer of what changed since the base, and folds that layer
into a new base once it has grown to a fair share of the base, so a write costs in proportion
to its own size, on average.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Iterator
from collections.abc import Sequence

from search.fts5_schema import FTS_COLUMNS
from search.fts5_schema import TableSet

Postings = tuple[int, ...]  # one set per FTS column
_EMPTY: Postings = (0,) * len(FTS_COLUMNS)
#: Each row's terms as (term, column) pairs: what to take away when the row changes again.
_RowTerms = tuple[tuple[str, int], ...]
#: The changed layer is folded into the base once it holds more than this many terms and
#: more than a quarter of the base's.
_FOLD_AT = 4_096


class _Layer:
    """Postings, row terms and sorted terms (some of them perhaps held by no row now)."""

    __slots__ = ("postings", "row_terms", "terms")

    def __init__(
        self,
        postings: dict[str, Postings] | None = None,
        row_terms: dict[int, _RowTerms] | None = None,
        terms: list[str] | None = None,
    ) -> None:
        self.postings = postings if postings is not None else {}
        self.row_terms = row_terms if row_terms is not None else {}
        self.terms = terms if terms is not None else []

    def terms_with_prefix(self, prefix: str) -> Iterator[str]:
        terms = self.terms
        at = bisect.bisect_left(terms, prefix)
        while at < len(terms) and terms[at].startswith(prefix):
            yield terms[at]
            at += 1


class Overlay:
    """Per term, the rows (of those written since the load) whose FTS columns hold it."""

    def __init__(self, base: _Layer | None = None, changes: _Layer | None = None) -> None:
        self._base = base or _Layer()
        self._changes = changes or _Layer()

    def _postings(self, term: str) -> Postings:
        found = self._changes.postings.get(term)
        return found if found is not None else self._base.postings.get(term, _EMPTY)

    def rows(self, term: str, column: int) -> int:
        """Rows whose *column* now holds *term*."""
        return self._postings(term)[column]

    def rows_with_prefix(self, prefix: str, column: int) -> int:
        """Rows whose *column* now holds a term starting with *prefix*."""
        found = 0
        for layer in (self._base, self._changes):
            for term in layer.terms_with_prefix(prefix):
                found |= self._postings(term)[column]
        return found

    def patched(self, conn: sqlite3.Connection, tables: TableSet, changed: Sequence[int]) -> Overlay:
        """A new overlay with the current terms of the *changed* rows (those gone hold none)."""
        base, layer = self._base, self._changes
        postings, row_terms = dict(layer.postings), dict(layer.row_terms)
        touched: dict[str, list[int]] = {}

        def bits(term: str) -> list[int]:
            sets = touched.get(term)
            if sets is None:
                sets = touched[term] = list(self._postings(term))
            return sets

        for rowid in changed:
            old = row_terms[rowid] if rowid in row_terms else base.row_terms.get(rowid, ())
            for term, column in old:
                bits(term)[column] &= ~(1 << rowid)
            row_terms[rowid] = ()
        columns = ", ".join(FTS_COLUMNS)
        marks = ", ".join("?" * len(changed))
        for rowid, *texts in conn.execute(
            f"SELECT rowid, {columns} FROM {tables.fts} WHERE rowid IN ({marks})", list(changed)
        ):
            pairs = [(term, column) for column, text in enumerate(texts) for term in set(text.split())]
            for term, column in pairs:
                bits(term)[column] |= 1 << rowid
            row_terms[rowid] = tuple(pairs)
        for term, sets in touched.items():
            postings[term] = tuple(sets)  # an empty set hides what the base holds
        added = sorted(
            term
            for term in touched
            if term not in layer.postings and term not in base.postings and any(touched[term])
        )
        terms = _with(layer.terms, added)
        if len(postings) > max(_FOLD_AT, len(base.postings) // 4):
            return Overlay(_folded(base, _Layer(postings, row_terms, terms)))
        return Overlay(base, _Layer(postings, row_terms, terms))


def _with(terms: list[str], added: list[str]) -> list[str]:
    """*terms* (sorted) with *added* (sorted), as a new list when there are any."""
    if not added:
        return terms
    if len(added) * 8 > len(terms):
        return sorted(terms + added)
    merged = list(terms)
    for term in added:
        bisect.insort(merged, term)
    return merged


def _folded(base: _Layer, changes: _Layer) -> _Layer:
    """One layer holding *changes* over *base*, without the terms and rows that hold nothing."""
    postings = {**base.postings, **changes.postings}
    for term, sets in changes.postings.items():
        if not any(sets):
            del postings[term]
    row_terms = {**base.row_terms, **changes.row_terms}
    return _Layer(postings, {row: pairs for row, pairs in row_terms.items() if pairs}, sorted(postings))
