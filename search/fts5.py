"""The embedded search engine: SQLite FTS5 in its own file, no server.

Safe from several threads (one connection per thread) and several processes (WAL; each
process keeps an in-memory view that it renews when another process writes).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import threading
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

from search.documents import MAX_QUERY_LENGTH
from search.documents import BulkReport
from search.documents import EngineHealth
from search.documents import FacetValue
from search.documents import InvalidQuery
from search.documents import SearchDocument
from search.documents import SearchError
from search.documents import SearchQuery
from search.documents import SearchResult
from search.documents import SearchUnavailable
from search.documents import Suggestion
from search.documents import query_problem
from search.fts5_boosts import boost_rows
from search.fts5_hits import build_hits
from search.fts5_query import apply_filters
from search.fts5_query import facet_counts
from search.fts5_query import filter_sets
from search.fts5_query import plan_query
from search.fts5_query import rank
from search.fts5_rebuild import Analyzed
from search.fts5_rebuild import abandon_table_set
from search.fts5_rebuild import analyze_all
from search.fts5_rebuild import batches
from search.fts5_rebuild import claim_table_set
from search.fts5_rebuild import swap_table_sets
from search.fts5_schema import META_DDL
from search.fts5_schema import AnalyzedDocument
from search.fts5_schema import TableSet
from search.fts5_schema import add_vocabulary
from search.fts5_schema import create_table_set
from search.fts5_schema import drop_table_set
from search.fts5_schema import load_vocabulary
from search.fts5_schema import outdated_layout
from search.fts5_schema import record_changes
from search.fts5_schema import remove_rowid
from search.fts5_schema import write_document
from search.fts5_state import View
from search.fts5_suggest import suggest_names
from search.recent import Recent
from search.synonym_context import applied

#: Most values returned per facet.
MAX_FACET_VALUES = 50
_OPTIONS = {"cache_mb", "batch_size", "timeout", "results"}
#: Connections kept open between calls, per process (each may hold 32 MB of page cache).
_IDLE_CONNECTIONS = 4
#: Why searches fail on an index file written by an earlier release.
OUTDATED = "the search index was written by an earlier release; rebuild it with `tianshan search reindex`"


class Fts5Engine:
    """:class:`search.SearchEngine` over an SQLite file with FTS5."""

    name = "embedded"

    def __init__(
        self,
        path: str | Path,
        *,
        cache_mb: int = 128,
        batch_size: int = 2000,
        timeout: float = 30.0,
        results: int = 256,
    ) -> None:
        """*results*: answers remembered per process, each for one state of the index (0: none)."""
        self.path = Path(path)
        if not self.path.is_absolute():
            raise ValueError(f"the search index path must be absolute, got {str(path)!r}")
        self._cache_bytes = int(cache_mb) * 1024 * 1024
        self._batch_size = int(batch_size)
        self._timeout = float(timeout)
        self._local = threading.local()  # per-write scratch: the rows a write touched
        self._connections: list[sqlite3.Connection] = []
        self._idle: list[sqlite3.Connection] = []
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._view: View | None = None
        self._results: Recent[tuple[SearchQuery, int, int], SearchResult] | None = (
            Recent(int(results)) if int(results) > 0 else None
        )
        self._vocabulary: dict[int, set[str]] = {}
        self._ready = False

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Fts5Engine:
        """Build from ``sqlite:///abs/path/search.db`` (options may also be query parameters)."""
        parts = urlsplit(url)
        if parts.scheme != "sqlite" or parts.netloc or not parts.path.strip("/"):
            raise ValueError(f"invalid embedded search URL {url!r}: use sqlite:///absolute/path/search.db")
        merged: dict[str, Any] = dict(parse_qsl(parts.query))
        merged.update(options)
        unknown = sorted(set(merged) - _OPTIONS)
        if unknown:
            raise ValueError(
                f"unknown option {unknown[0]!r} for the embedded search engine; "
                f"allowed: {', '.join(sorted(_OPTIONS))}"
            )
        return cls("/" + parts.path.lstrip("/"), **merged)

    # -- connections and views ---------------------------------------------------------

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A pooled connection for one read or write, returned afterwards.

        Threads and greenlets come and go (one per client connection under gevent), so
        connections are not tied to them: at most ``_IDLE_CONNECTIONS`` wait for the next
        caller and the rest are closed.
        """
        conn = self._checkout()
        try:
            yield conn
        finally:
            self._checkin(conn)

    def _checkout(self) -> sqlite3.Connection:
        with self._lock:
            if self._pid != os.getpid():  # a forked child: the parent's connections are not ours
                self._connections, self._idle, self._pid = [], [], os.getpid()
            if self._idle:
                return self._idle.pop()
        return self._open()

    def _checkin(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if conn in self._connections:
                if not conn.in_transaction and len(self._idle) < _IDLE_CONNECTIONS:
                    self._idle.append(conn)
                    return
                self._connections.remove(conn)
        conn.close()

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute("PRAGMA cache_size=-32000")
        except (sqlite3.Error, OSError) as error:
            raise SearchUnavailable(f"cannot open the search index {self.path}: {error}") from error
        with self._lock:
            self._connections.append(conn)
        if not self._ready:
            self._create_schema(conn)
        return conn

    def _meta(self, conn: sqlite3.Connection) -> dict[str, str]:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())

    def _begin_read(self, conn: sqlite3.Connection) -> View:
        """Start a read transaction and return the view matching its snapshot."""
        for _ in range(5):
            conn.execute("BEGIN")
            meta = self._meta(conn)
            live, generation = int(meta["live"]), int(meta["generation"])
            view = self._view
            if view is not None and view.generation == generation:
                return view
            if view is not None and view.generation > generation:
                conn.execute("COMMIT")  # this snapshot predates the view; take a fresh one
                continue
            with self._lock:
                view = self._view
                if view is None or view.generation < generation:
                    patched = None
                    if view is not None and view.tables.number == live:
                        patched = view.patched(conn, generation)
                    view = patched or View(conn, TableSet(live), generation, self._cache_bytes)
                    self._view = view
            if view.generation == generation:
                return view
            conn.execute("COMMIT")
        raise SearchUnavailable("the search index changed too often to read a consistent view")

    def _read(self, action: Callable[[sqlite3.Connection, View], Any]) -> Any:
        with self._connection() as conn:
            try:
                try:
                    return action(conn, self._begin_read(conn))
                finally:
                    if conn.in_transaction:
                        conn.execute("COMMIT")
            except sqlite3.Error as error:
                if self.outdated():
                    raise SearchUnavailable(OUTDATED) from error
                raise SearchUnavailable(f"the search index {self.path} failed: {error}") from error

    def outdated(self) -> bool:
        """Whether the live index was written by an earlier release and must be rebuilt."""
        with self._connection() as conn:
            try:
                return outdated_layout(conn, TableSet(int(self._meta(conn)["live"])))
            except sqlite3.Error as error:
                raise SearchUnavailable(f"the search index {self.path} failed: {error}") from error

    def _write(
        self, action: Callable[[sqlite3.Connection, dict[str, str]], Any], *, live: bool = True
    ) -> Any:
        """Run *action* in a write transaction; *live* writes make every view stale."""
        with self._connection() as conn:
            return self._write_with(conn, action, live)

    def _write_with(
        self,
        conn: sqlite3.Connection,
        action: Callable[[sqlite3.Connection, dict[str, str]], Any],
        live: bool,
    ) -> Any:
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._local.touched = []
                meta = self._meta(conn)
                result = action(conn, meta)
                if live:
                    generation = int(meta["generation"]) + 1
                    conn.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (generation,))
                    tables = TableSet(int(self._meta(conn)["live"]))
                    record_changes(conn, tables, generation, self._local.touched)
                conn.execute("COMMIT")
                return result
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise SearchUnavailable(f"the search index {self.path} failed: {error}") from error

    # -- the protocol -------------------------------------------------------------------

    def ensure_index(self) -> None:
        """Create the meta table and the live table set if missing."""
        with self._connection() as conn:
            self._create_schema(conn)

    def _create_schema(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(META_DDL)
            conn.executemany(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                [("live", "1"), ("generation", "0"), ("building", ""), ("builder", "")],
            )
            create_table_set(conn, TableSet(int(self._meta(conn)["live"])))
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise SearchUnavailable(f"cannot create the search index {self.path}: {error}") from error
        self._ready = True

    def _targets(self, meta: dict[str, str]) -> list[TableSet]:
        targets = [TableSet(int(meta["live"]))]
        if meta.get("building"):
            targets.append(TableSet(int(meta["building"])))
        return targets

    def _known(self, conn: sqlite3.Connection, tables: TableSet) -> set[str]:
        known = self._vocabulary.get(tables.number)
        if known is None:
            known = load_vocabulary(conn, tables)
            self._vocabulary[tables.number] = known
        return known

    def _store(
        self, conn: sqlite3.Connection, tables: TableSet, analyzed: Sequence[AnalyzedDocument]
    ) -> None:
        vocabulary: set[str] = set()
        touched: list[int] = getattr(self._local, "touched", [])
        live = self._is_live(conn, tables)
        for item in analyzed:
            rows = write_document(conn, tables, item, keep_newer=True)
            if live:
                touched.extend(rows)
            vocabulary.update(item.vocabulary_terms())
        add_vocabulary(conn, tables, vocabulary, self._known(conn, tables))

    def _is_live(self, conn: sqlite3.Connection, tables: TableSet) -> bool:
        return tables.number == int(self._meta(conn)["live"])

    def index(self, docs: Sequence[SearchDocument]) -> BulkReport:
        """Insert or replace *docs*; an older version never replaces a newer one."""
        return self.index_prepared(analyze_all(docs))

    def preparer(self) -> Callable[[Sequence[SearchDocument]], Analyzed]:
        """The text analysis of :meth:`index`, which another process may run (see :meth:`index_prepared`)."""
        return analyze_all

    def index_prepared(self, prepared: Analyzed) -> BulkReport:
        """:meth:`index` of documents already analysed (:func:`search.fts5_rebuild.analyze_all`)."""
        analyzed, failed = prepared
        if analyzed:

            def write(conn: sqlite3.Connection, meta: dict[str, str]) -> None:
                for tables in self._targets(meta):
                    self._store(conn, tables, analyzed)

            self._write(write)
        return BulkReport(indexed=len(analyzed), failed=tuple(failed))

    def delete(self, ids: Sequence[int]) -> BulkReport:
        """Remove products by id; unknown ids are ignored."""

        def write(conn: sqlite3.Connection, meta: dict[str, str]) -> int:
            removed = 0
            for tables in self._targets(meta):
                for doc_id in ids:
                    row = conn.execute(f"SELECT rowid FROM {tables.docs} WHERE id = ?", (doc_id,)).fetchone()
                    if row is not None:
                        remove_rowid(conn, tables, row[0])
                        if tables.number == int(meta["live"]):
                            self._local.touched.append(row[0])
                        removed += 1
            return removed

        self._write(write)
        return BulkReport(indexed=len(ids))

    def search(self, query: SearchQuery) -> SearchResult:
        """Answer *query*; see :mod:`search.fts5_query` for how results are ranked."""
        problem = query_problem(query)
        if problem is not None:
            raise InvalidQuery(problem)

        def run(conn: sqlite3.Connection, view: View) -> SearchResult:
            # The same question on the same index state has the same answer: during a show
            # many viewers ask for the product on air, and any write moves the generation.
            if self._results is None:
                return self._answer(conn, view, query)
            key = (query, view.tables.number, view.generation)
            remembered = self._results.get(key)
            if remembered is not None:
                return remembered
            result = self._answer(conn, view, query)
            self._results.put(key, result)
            return result

        with applied(query.synonyms):
            result: SearchResult = self._read(run)
        return result

    def _answer(self, conn: sqlite3.Connection, view: View, query: SearchQuery) -> SearchResult:
        plan = plan_query(view, conn, query.text)
        sets = filter_sets(view, query)
        rows = apply_filters(plan.matched, sets)
        facets = {
            name: tuple(
                FacetValue(value, count)
                for value, count in facet_counts(
                    view,
                    name,
                    apply_filters(plan.matched, sets, skip=name),
                    MAX_FACET_VALUES,
                    query.tax_refund_on,
                )
            )
            for name in query.facets
        }
        wanted = query.offset + query.limit
        if query.sort == "relevance":
            ranked = rank(view, plan, rows, wanted, boost_rows(view, query))
        else:
            order = view.by_newest if query.sort == "newest" else view.by_price
            picked = order.first(rows, wanted, reverse=query.sort == "price_desc")
            ranked = [(row, 0.0) for row in picked]
        hits = build_hits(conn, view, plan, ranked[query.offset :], query.locales)
        return SearchResult(
            total=rows.bit_count(),
            hits=hits,
            facets=facets,
            ignored_words=plan.ignored,
            corrected_query=plan.correction,
        )

    def suggest(self, text: str, *, locales: Sequence[str], limit: int = 10) -> list[Suggestion]:
        """Product names completing *text* (from its second letter), popular first."""
        if len(text) > MAX_QUERY_LENGTH:
            raise InvalidQuery(
                f"suggest text is {len(text)} characters long; the limit is {MAX_QUERY_LENGTH}"
            )
        if limit < 1:
            raise InvalidQuery(f"limit must be at least 1, got {limit}")
        if len(text.strip()) < 2:
            return []

        def run(conn: sqlite3.Connection, view: View) -> list[Suggestion]:
            return suggest_names(conn, view, text, tuple(locales), limit)

        result: list[Suggestion] = self._read(run)
        return result

    def health(self) -> EngineHealth:
        """Whether the index file answers, with its document count."""
        try:

            def count(conn: sqlite3.Connection, view: View) -> int:
                return len(view.ids)

            documents: int = self._read(count)
        except (SearchError, sqlite3.Error) as error:
            return EngineHealth(ok=False, engine=self.name, detail=str(error))
        return EngineHealth(
            ok=True,
            engine=self.name,
            detail=f"SQLite FTS5 index at {self.path}",
            version=sqlite3.sqlite_version,
            documents=documents,
        )

    def indexed_versions(self) -> dict[int, int]:
        """``{id: version}`` of every indexed product."""

        def run(conn: sqlite3.Connection, view: View) -> dict[int, int]:
            return dict(conn.execute(f"SELECT id, version FROM {view.tables.docs}").fetchall())

        result: dict[int, int] = self._read(run)
        return result

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> BulkReport:
        """Load *docs* into a new table set, verify, swap it live, drop the old one."""
        fresh: TableSet = self._write(claim_table_set, live=False)
        self._vocabulary.pop(fresh.number, None)
        loaded: set[int] = set()
        failed: list[tuple[int, str]] = []
        try:
            # Analysis (Python) of one batch overlaps the SQLite writes of the previous one.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-rebuild") as pool:
                pending: Future[Any] | None = None
                for batch in batches(docs, self._batch_size):
                    analyzed, problems = analyze_all(batch)
                    failed.extend(problems)
                    if pending is not None:
                        pending.result()
                        if progress is not None:
                            progress(len(loaded))
                    store = functools.partial(self._store_batch, fresh, analyzed)
                    pending = pool.submit(self._write, store, live=False)
                    loaded.update(item.doc.id for item in analyzed)
                if pending is not None:
                    pending.result()
                    if progress is not None:
                        progress(len(loaded))
            swap = functools.partial(swap_table_sets, fresh=fresh, loaded=len(loaded))
            old: TableSet = self._write(swap)
        except BaseException:
            self._write(functools.partial(abandon_table_set, fresh=fresh), live=False)
            raise
        self._write(lambda conn, _meta: drop_table_set(conn, old), live=False)
        self._vocabulary.pop(old.number, None)
        return BulkReport(indexed=len(loaded), failed=tuple(failed))

    def _store_batch(
        self,
        tables: TableSet,
        analyzed: Sequence[AnalyzedDocument],
        conn: sqlite3.Connection,
        _meta: dict[str, str],
    ) -> None:
        self._store(conn, tables, analyzed)

    def close(self) -> None:
        """Close every connection this engine opened."""
        with self._lock:
            connections, self._connections, self._idle = self._connections, [], []
            self._view = None
        for conn in connections:
            conn.close()
        self._local = threading.local()
