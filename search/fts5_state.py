"""One process's in-memory view of a table set: filter sets, orders and posting caches.

A view belongs to one ``(live set, generation)`` pair; any write makes a new one. Posting
sets are fetched from FTS5 on first use and kept in a size-bounded cache.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field

from search.documents import category_ancestors
from search.fts5_bits import Order
from search.fts5_bits import bits_of
from search.fts5_bits import bits_of_csv
from search.fts5_schema import FTS_COLUMNS
from search.fts5_schema import TableSet

Postings = tuple[int, ...]  # one set per FTS column
_COLUMN_INDEX = {name: index for index, name in enumerate(FTS_COLUMNS)}
_EMPTY: Postings = (0,) * len(FTS_COLUMNS)


@dataclass
class _Cache:
    """A least-recently-used map bounded by an estimate of its size in bytes."""

    budget: int
    items: OrderedDict[object, object] = field(default_factory=OrderedDict)
    size: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: object) -> object | None:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: object, value: object, size: int) -> None:
        with self.lock:
            if key in self.items:
                return
            self.items[key] = (value, size)
            self.size += size
            while self.size > self.budget and len(self.items) > 1:
                _, entry = self.items.popitem(last=False)
                self.size -= entry[1]  # type: ignore[index]

    def value(self, key: object) -> object | None:
        entry = self.get(key)
        return None if entry is None else entry[0]  # type: ignore[index]


class View:
    """Filter sets, orders and caches for one generation of one table set."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        tables: TableSet,
        generation: int,
        cache_bytes: int,
    ) -> None:
        self.tables = tables
        self.generation = generation
        self.ids: dict[int, int] = {}
        self.popularity: dict[int, float] = {}
        self.country: dict[int, str] = {}
        self.category: dict[int, str] = {}
        self.booth: dict[int, str | None] = {}
        by_country: dict[str, list[int]] = defaultdict(list)
        by_category: dict[str, list[int]] = defaultdict(list)
        by_category_path: dict[str, list[int]] = defaultdict(list)
        by_booth: dict[str, list[int]] = defaultdict(list)
        popularity_keys: list[tuple[float, int]] = []
        price_keys: list[tuple[float, int]] = []
        newest_keys: list[tuple[float, int]] = []
        rows = conn.execute(
            f"""SELECT rowid, id, origin_country, category, booth, price_cny, created_at,
                popularity FROM {tables.docs}"""
        )
        for rowid, doc_id, country, category, booth, price, created, popularity in rows:
            self.ids[rowid] = doc_id
            self.popularity[rowid] = popularity
            self.country[rowid] = country
            self.category[rowid] = category
            self.booth[rowid] = booth
            by_country[country].append(rowid)
            by_category[category].append(rowid)
            for path in category_ancestors(category):
                by_category_path[path].append(rowid)
            if booth:
                by_booth[booth].append(rowid)
            popularity_keys.append((-popularity, rowid))
            price_keys.append((price, rowid))
            newest_keys.append((-created, rowid))
        self.all = bits_of(self.ids)
        self.facet_sets: dict[str, dict[str, int]] = {
            "origin_country": {k: bits_of(v) for k, v in by_country.items()},
            "category": {k: bits_of(v) for k, v in by_category.items()},
            "booth": {k: bits_of(v) for k, v in by_booth.items()},
        }
        self.category_paths = {k: bits_of(v) for k, v in by_category_path.items()}
        self.by_popularity = Order(popularity_keys)
        self.by_price = Order(price_keys)
        self.by_newest = Order(newest_keys)
        self._postings = _Cache(cache_bytes)
        self._misc = _Cache(cache_bytes // 8)

    def postings(self, conn: sqlite3.Connection, term: str) -> Postings:
        """Per-column row sets of *term*, from cache or from the FTS5 index."""
        cached = self._postings.value(term)
        if cached is not None:
            return cached  # type: ignore[return-value]
        columns = [0] * len(FTS_COLUMNS)
        for column, joined in conn.execute(
            f"""SELECT col, group_concat(doc) FROM {self.tables.postings}
                WHERE term = ? GROUP BY col""",
            (term,),
        ):
            columns[_COLUMN_INDEX[column]] = bits_of_csv(joined)
        result: Postings = tuple(columns) if any(columns) else _EMPTY
        self._postings.put(term, result, 64 + sum(b.bit_length() >> 3 for b in result))
        return result

    def prefix_postings(self, conn: sqlite3.Connection, term: str) -> Postings:
        """Per-column row sets of every term starting with *term* (single CJK characters)."""
        key = ("prefix", term)
        cached = self._postings.value(key)
        if cached is not None:
            return cached  # type: ignore[return-value]
        result = tuple(
            bits_of_csv(
                conn.execute(
                    f"""SELECT group_concat(rowid) FROM {self.tables.fts}
                        WHERE {self.tables.fts} MATCH ?""",
                    (f'{{{column}}} : "{term}"*',),
                ).fetchone()[0]
                or ""
            )
            for column in FTS_COLUMNS
        )
        self._postings.put(key, result, 64 + sum(b.bit_length() >> 3 for b in result))
        return result

    def remembered(self, key: object) -> object | None:
        """A small derived value (typo corrections, ...) cached for this generation."""
        return self._misc.value(key)

    def remember(self, key: object, value: object, size: int = 256) -> None:
        self._misc.put(key, value, size)
