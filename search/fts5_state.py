"""One process's in-memory view of a table set: filter sets, orders and posting caches.

A view belongs to one ``(live set, generation)`` pair. After a write, the next view is the
previous one *patched* with the rows the write touched (read from the ``changes`` table):
their attributes are replaced, and their current terms form an overlay over the posting
cache, which therefore survives writes. Too many changes, or a rebuild, mean a fresh load.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
from collections import OrderedDict
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from search.documents import category_ancestors
from search.fts5_bits import Order
from search.fts5_bits import bits_of
from search.fts5_bits import bits_of_csv
from search.fts5_overlay import Overlay
from search.fts5_schema import FTS_COLUMNS
from search.fts5_schema import TableSet

#: A view is reloaded rather than patched when more rows than this changed.
PATCH_LIMIT = 2_000
_ATTRIBUTES = "rowid, id, origin_country, category, booth, price_cny, created_at, popularity, tax_refund"
_Row = tuple[int, int, str, str, "str | None", float, float, float, "str | None"]


@dataclass
class _Cache:
    """A least-recently-used map bounded by an estimate of its size in bytes."""

    budget: int
    items: OrderedDict[object, tuple[object, int]] = field(default_factory=OrderedDict)
    size: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def value(self, key: object) -> object | None:
        with self.lock:
            entry = self.items.get(key)
            if entry is None:
                return None
            self.items.move_to_end(key)
            return entry[0]

    def put(self, key: object, value: object, size: int) -> None:
        with self.lock:
            if key in self.items:
                return
            self.items[key] = (value, size)
            self.size += size
            while self.size > self.budget and len(self.items) > 1:
                _, (_, dropped) = self.items.popitem(last=False)
                self.size -= dropped


class View:
    """Filter sets, orders and caches for one generation of one table set."""

    tables: TableSet
    generation: int
    ids: dict[int, int]
    popularity: dict[int, float]
    country: dict[int, str]
    category: dict[int, str]
    booth: dict[int, str | None]
    #: The days a tax refund can be claimed on a row's product, as stored (see ``refund_text``).
    refund_since: dict[int, str | None]
    all: int
    facet_sets: dict[str, dict[str, int]]
    category_paths: dict[str, int]
    by_popularity: Order
    by_price: Order
    by_newest: Order

    def __init__(self, conn: sqlite3.Connection, tables: TableSet, generation: int, cache_bytes: int) -> None:
        self.tables = tables
        self.generation = generation
        self.ids, self.popularity, self.country, self.category, self.booth = {}, {}, {}, {}, {}
        self.facet_sets = {"origin_country": {}, "category": {}, "booth": {}, "tax_refund": {}}
        self.category_paths = {}
        rows: list[_Row] = conn.execute(f"SELECT {_ATTRIBUTES} FROM {tables.docs}").fetchall()
        rowids = [row[0] for row in rows]
        self.ids = dict(zip(rowids, (row[1] for row in rows), strict=True))
        self.country = dict(zip(rowids, (row[2] for row in rows), strict=True))
        self.category = dict(zip(rowids, (row[3] for row in rows), strict=True))
        self.booth = dict(zip(rowids, (row[4] for row in rows), strict=True))
        self.refund_since = dict(zip(rowids, (row[8] for row in rows), strict=True))
        self.popularity = dict(zip(rowids, (row[7] for row in rows), strict=True))
        for name, attribute in (
            ("origin_country", self.country),
            ("category", self.category),
            ("booth", self.booth),
            ("tax_refund", self.refund_since),
        ):
            grouped: dict[str | None, list[int]] = defaultdict(list)
            for rowid, value in attribute.items():
                grouped[value].append(rowid)
            self.facet_sets[name] = {v: bits_of(rs) for v, rs in grouped.items() if v}
        for category, bits in self.facet_sets["category"].items():
            for path in category_ancestors(category):
                self.category_paths[path] = self.category_paths.get(path, 0) | bits
        self.all = bits_of(rowids)
        self.by_popularity = Order([(-row[7], row[0]) for row in rows])
        self.by_price = Order([(row[5], row[0]) for row in rows])
        self.by_newest = Order([(-row[6], row[0]) for row in rows])
        self._postings = _Cache(cache_bytes)
        self._misc = _Cache(cache_bytes // 8)
        self.dirty = 0
        self.overlay = Overlay()

    def _remember_attributes(self, row: _Row) -> None:
        rowid, doc_id, country, category, booth, _, _, popularity, refund_since = row
        self.ids[rowid] = doc_id
        self.popularity[rowid] = popularity
        self.country[rowid] = country
        self.category[rowid] = category
        self.booth[rowid] = booth
        self.refund_since[rowid] = refund_since

    def _facet_values(self, rowid: int) -> Iterable[tuple[str, str]]:
        yield "origin_country", self.country[rowid]
        yield "category", self.category[rowid]
        booth = self.booth[rowid]
        if booth:
            yield "booth", booth
        refund_since = self.refund_since[rowid]
        if refund_since:
            yield "tax_refund", refund_since
        for path in category_ancestors(self.category[rowid]):
            yield "path", path

    def _set_bit(self, name: str, value: str, rowid: int, present: bool) -> None:
        target = self.category_paths if name == "path" else self.facet_sets[name]
        bits = target.get(value, 0)
        bits = bits | 1 << rowid if present else bits & ~(1 << rowid)
        if bits:
            target[value] = bits
        else:
            target.pop(value, None)

    def patched(self, conn: sqlite3.Connection, generation: int) -> View | None:
        """This view brought to *generation*, or ``None`` if a fresh load is cheaper."""
        changed_rows = [
            row[0]
            for row in conn.execute(
                f"""SELECT DISTINCT rowid FROM {self.tables.changes}
                    WHERE generation > ? AND generation <= ?""",
                (self.generation, generation),
            )
        ]
        oldest = conn.execute(f"SELECT min(generation) FROM {self.tables.changes}").fetchone()[0]
        if oldest is None or oldest > self.generation + 1 or len(changed_rows) > PATCH_LIMIT:
            return None
        if self.by_popularity.overlay_size + len(changed_rows) > PATCH_LIMIT:
            return None
        new = copy.copy(self)
        new.generation = generation
        new.ids, new.popularity = dict(self.ids), dict(self.popularity)
        new.country, new.category, new.booth = dict(self.country), dict(self.category), dict(self.booth)
        new.refund_since = dict(self.refund_since)
        new.facet_sets = {name: dict(values) for name, values in self.facet_sets.items()}
        new.category_paths = dict(self.category_paths)
        new._misc = _Cache(self._misc.budget)
        changed = bits_of(changed_rows)
        for rowid in changed_rows:
            if rowid in new.ids:
                for name, value in new._facet_values(rowid):
                    new._set_bit(name, value, rowid, present=False)
                for attributes in (
                    new.ids,
                    new.popularity,
                    new.country,
                    new.category,
                    new.booth,
                    new.refund_since,
                ):
                    del attributes[rowid]
        marks = ", ".join("?" * len(changed_rows))
        current: list[_Row] = conn.execute(
            f"SELECT {_ATTRIBUTES} FROM {self.tables.docs} WHERE rowid IN ({marks})", changed_rows
        ).fetchall()
        for row in current:
            new._remember_attributes(row)
            for name, value in new._facet_values(row[0]):
                new._set_bit(name, value, row[0], present=True)
        new.all = (self.all & ~changed) | bits_of(row[0] for row in current)
        new.by_popularity = self.by_popularity.patched(changed, [(-r[7], r[0]) for r in current])
        new.by_price = self.by_price.patched(changed, [(r[5], r[0]) for r in current])
        new.by_newest = self.by_newest.patched(changed, [(-r[6], r[0]) for r in current])
        new.dirty = self.dirty | changed
        new.overlay = self.overlay.patched(conn, self.tables, changed_rows)
        return new

    def rows(self, conn: sqlite3.Connection, term: str, column: int, prefix: bool = False) -> int:
        """Rows whose FTS *column* holds *term* (or, with *prefix*, a term starting with it)."""
        key = (term, column, prefix)
        base = self._postings.value(key)
        if base is None:
            star = "*" if prefix else ""
            joined = conn.execute(
                f"SELECT group_concat(rowid) FROM {self.tables.fts} WHERE {self.tables.fts} MATCH ?",
                (f'{{{FTS_COLUMNS[column]}}} : "{term}"{star}',),
            ).fetchone()[0]
            base = bits_of_csv(joined or "")
            self._postings.put(key, base, 64 + (base.bit_length() >> 3))
        if not self.dirty:
            return base  # type: ignore[return-value]
        extra = self.overlay.rows_with_prefix(term, column) if prefix else self.overlay.rows(term, column)
        return (base & ~self.dirty) | extra  # type: ignore[operator]

    def rows_with_all(self, conn: sqlite3.Connection, terms: tuple[str, ...], column: int) -> int:
        """Rows whose FTS *column* holds every one of *terms* (FTS5 intersects them)."""
        if len(terms) == 1:
            return self.rows(conn, terms[0], column)
        key = ("all", terms, column)
        base = self._postings.value(key)
        if base is None:
            both = " AND ".join(f'"{term}"' for term in terms)
            joined = conn.execute(
                f"SELECT group_concat(rowid) FROM {self.tables.fts} WHERE {self.tables.fts} MATCH ?",
                (f"{{{FTS_COLUMNS[column]}}} : ({both})",),
            ).fetchone()[0]
            base = bits_of_csv(joined or "")
            self._postings.put(key, base, 64 + (base.bit_length() >> 3))
        if not self.dirty:
            return base  # type: ignore[return-value]
        extra = -1
        for term in terms:
            extra &= self.overlay.rows(term, column)
        return (base & ~self.dirty) | extra  # type: ignore[operator]

    def has_term(self, conn: sqlite3.Connection, term: str) -> bool:
        """Whether any indexed product has *term* in any column."""
        key = ("has", term)
        known = self._misc.value(key)
        if known is None:
            known = (
                conn.execute(f"SELECT 1 FROM {self.tables.terms} WHERE term = ?", (term,)).fetchone()
                is not None
            )
            self._misc.put(key, known, 64)
        return bool(known)

    def remembered(self, key: object) -> object | None:
        """A small derived value (typo corrections, ...) cached for this generation."""
        return self._misc.value(key)

    def remember(self, key: object, value: object, size: int = 256) -> None:
        self._misc.put(key, value, size)
