"""The embedded engine's boosted rows (see :mod:`search.boosts`)."""

from __future__ import annotations

from search.boosts import boost_query
from search.boosts import union_of
from search.documents import SearchQuery
from search.fts5_query import filter_sets
from search.fts5_state import View


def boost_rows(view: View, query: SearchQuery) -> int:
    """The rows *query* boosts (none when it boosts nothing or is not sorted by relevance)."""
    target = boost_query(query)
    return union_of(list(filter_sets(view, target).values())) if target is not None else 0
