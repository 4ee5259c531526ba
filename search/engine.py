"""The protocol every search engine implements (embedded FTS5, Elasticsearch, OpenSearch)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any
from typing import Protocol
from typing import runtime_checkable

from search.documents import BulkReport
from search.documents import EngineHealth
from search.documents import SearchDocument
from search.documents import SearchQuery
from search.documents import SearchResult
from search.documents import Suggestion


@runtime_checkable
class SearchEngine(Protocol):
    """A full-text product index. Every method may raise :class:`SearchUnavailable`."""

    #: ``"embedded"``, ``"elasticsearch"`` or ``"opensearch"``.
    name: str

    def ensure_index(self) -> None:
        """Create the live index (and its alias or pointer) if it is missing."""
        ...

    def index(self, docs: Sequence[SearchDocument]) -> BulkReport:
        """Insert or replace *docs*; they are visible to search when this returns."""
        ...

    def delete(self, ids: Sequence[int]) -> BulkReport:
        """Remove the products *ids*; unknown ids are not an error."""
        ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Run *query* over every language's fields; raise :class:`InvalidQuery` if it is bad."""
        ...

    def suggest(self, text: str, *, locales: Sequence[str], limit: int = 10) -> list[Suggestion]:
        """Complete *text* (from its second letter) to product names, for type-ahead."""
        ...

    def health(self) -> EngineHealth:
        """Report whether the engine answers, without raising."""
        ...

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> BulkReport:
        """Load *docs* into a new index, verify it, swap it in atomically, drop the old one.

        Searches keep answering from the old index until the swap. *progress* is called with
        the number of documents loaded so far.
        """
        ...

    def indexed_versions(self) -> dict[int, int]:
        """Return ``{product id: version}`` for every indexed product (drift checks)."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...


@runtime_checkable
class PreparesDocuments(Protocol):
    """An engine whose writes can be made ready in another process (the documents' text analysis)."""

    def preparer(self) -> Callable[[Sequence[SearchDocument]], Any]:
        """A function of the module level (another process runs it) making documents ready for
        :meth:`index_prepared`: ``index_prepared(preparer()(docs))`` is ``index(docs)``."""
        ...

    def index_prepared(self, prepared: Any) -> BulkReport:
        """:meth:`SearchEngine.index` of the documents that *prepared* was made from."""
        ...
