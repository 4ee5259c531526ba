"""Small helpers shared by the contract tests."""

from __future__ import annotations

from typing import Any

from search import SearchEngine
from search import SearchQuery
from search import SearchResult


def run(engine: SearchEngine, text: str = "", **options: Any) -> SearchResult:
    """Search with *options* as :class:`SearchQuery` fields (locales default to ru, en)."""
    options.setdefault("locales", ("ru", "en"))
    return engine.search(SearchQuery(text=text, **options))


def ids(result: SearchResult) -> list[int]:
    """Hit ids in result order."""
    return [hit.id for hit in result.hits]


def found(engine: SearchEngine, text: str, **options: Any) -> list[int]:
    """Ids of the hits for *text* (first page of 50)."""
    options.setdefault("limit", 50)
    return ids(run(engine, text, **options))
