"""The current terms of the rows written since a view was loaded, over its cached postings.

An overlay is never changed once made: a write makes the next one from it, re-reading only
the rows that write touched, so its cost follows the size of the write and not the number of
rows written since the last full load (a rate change re-indexes every product at once).
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Sequence

from search.fts5_schema import FTS_COLUMNS
from search.fts5_schema import TableSet

Postings = tuple[int, ...]  # one set per FTS column
_EMPTY: Postings = (0,) * len(FTS_COLUMNS)
#: Each row's terms as (term, column) pairs: what to take away when the row changes again.
_RowTerms = tuple[tuple[str, int], ...]
#: Up to this many new terms are put in place one by one; more, and the list is sorted anew.
_INSERTS = 64


class Overlay:
    """Per term, the rows (of those written since the load) whose FTS columns hold it."""

    def __init__(
        self,
        postings: dict[str, Postings] | None = None,
        terms: list[str] | None = None,
        row_terms: dict[int, _RowTerms] | None = None,
    ) -> None:
        self._postings = postings or {}
        self._terms = terms or []  # sorted, for prefixes
        self._row_terms = row_terms or {}

    def rows(self, term: str, column: int) -> int:
        """Rows whose *column* now holds *term*."""
        return self._postings.get(term, _EMPTY)[column]

    def rows_with_prefix(self, prefix: str, column: int) -> int:
        """Rows whose *column* now holds a term starting with *prefix*."""
        found, terms = 0, self._terms
        at = bisect.bisect_left(terms, prefix)
        while at < len(terms) and terms[at].startswith(prefix):
            found |= self._postings[terms[at]][column]
            at += 1
        return found

    def patched(self, conn: sqlite3.Connection, tables: TableSet, changed: Sequence[int]) -> Overlay:
        """A new overlay with the current terms of the *changed* rows (those gone hold none)."""
        postings, row_terms = dict(self._postings), dict(self._row_terms)
        touched: dict[str, list[int]] = {}

        def bits(term: str) -> list[int]:
            sets = touched.get(term)
            if sets is None:
                sets = touched[term] = list(postings.get(term, _EMPTY))
            return sets

        for rowid in changed:
            for term, column in row_terms.pop(rowid, ()):
                bits(term)[column] &= ~(1 << rowid)
        columns = ", ".join(FTS_COLUMNS)
        marks = ", ".join("?" * len(changed))
        for rowid, *texts in conn.execute(
            f"SELECT rowid, {columns} FROM {tables.fts} WHERE rowid IN ({marks})", list(changed)
        ):
            pairs = [(term, column) for column, text in enumerate(texts) for term in set(text.split())]
            for term, column in pairs:
                bits(term)[column] |= 1 << rowid
            row_terms[rowid] = tuple(pairs)
        added = sorted(term for term, sets in touched.items() if any(sets) and term not in postings)
        removed = {term for term, sets in touched.items() if not any(sets) and term in postings}
        terms = _sorted_terms(self._terms, added, removed)
        for term, sets in touched.items():
            if any(sets):
                postings[term] = tuple(sets)
            else:
                postings.pop(term, None)
        return Overlay(postings, terms, row_terms)


def _sorted_terms(terms: list[str], added: list[str], removed: set[str]) -> list[str]:
    """*terms* (sorted) with *added* and without *removed*, as a new list when either is given."""
    if removed:
        terms = [term for term in terms if term not in removed]
    elif added:
        terms = list(terms)
    if len(added) > _INSERTS:
        return sorted(terms + added)
    for term in added:
        bisect.insort(terms, term)
    return terms
