"""The translation memory's index: reviewed (source, translation) pairs in an SQLite FTS5 table.

Sources are indexed with the embedded engine's own analysis (stems, CJK bigrams), one FTS5
table per locale pair, so a lookup finds near-identical sources by their rarest shared terms;
the caller scores the few candidates it gets back.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass

from search.analysis import analyze_field
from search.analysis import clean_text

#: At most this many distinct terms of a source are looked up (long descriptions).
MAX_QUERY_TERMS = 48

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS memory_entries (
        id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL, field TEXT NOT NULL,
        source_locale TEXT NOT NULL, target_locale TEXT NOT NULL,
        source TEXT NOT NULL, target TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS memory_by_product ON memory_entries (product_id)",
    "CREATE INDEX IF NOT EXISTS memory_by_source ON memory_entries (source_locale, target_locale, source)",
)
#: Terms looked up together first: the rarest ones, so each lookup reads short term lists.
FIRST_TERMS = 4
#: When those find too few entries, pairs of this many rarest terms are tried.
RARE_TERMS = 5


@dataclass(frozen=True)
class MemoryEntry:
    """One reviewed field: its source text in one locale and its translation in another."""

    product_id: int
    field: str
    source_locale: str
    target_locale: str
    source: str
    target: str


def _pair_table(source_locale: str, target_locale: str) -> str:
    """The FTS5 table of one locale pair (each pair has its own, so lookups never filter)."""
    codes = [source_locale, target_locale]
    if not all(code.isascii() and code.replace("-", "").isalnum() for code in codes):
        raise ValueError(f"not a locale code: {codes!r}")
    return "memory_" + "_to_".join(code.replace("-", "_").lower() for code in codes)


def source_terms(text: str, locale: str) -> list[str]:
    """The distinct index terms of a source text: stems of words, bigrams of CJK runs."""
    analyzed = analyze_field(clean_text(text), locale)
    return list(dict.fromkeys(term for term in (*analyzed.stem, *analyzed.exact) if term))


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class MemoryIndex:
    """An FTS5 index of memory entries; safe to share between threads."""

    def __init__(self, path: str = ":memory:") -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        self._tables: set[str] = set()
        with self._lock, self._conn:
            for statement in _SCHEMA:
                self._conn.execute(statement)

    def _table(self, source_locale: str, target_locale: str) -> str:
        """The locale pair's table, created on first use (with its vocabulary view)."""
        table = _pair_table(source_locale, target_locale)
        if table not in self._tables:
            self._conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
                "terms, tokenize='unicode61 remove_diacritics 0', detail=column, columnsize=1)"
            )
            self._conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_vocabulary USING fts5vocab({table}, row)"
            )
            self._tables.add(table)
        return table

    def replace_products(self, product_ids: Iterable[int], entries: Iterable[MemoryEntry]) -> None:
        """Drop every entry of *product_ids*, then add *entries* (their current reviewed fields)."""
        ids = [(pid,) for pid in product_ids]
        with self._lock, self._conn:
            for pid in ids:
                old = self._conn.execute(
                    "SELECT id, source_locale, target_locale FROM memory_entries WHERE product_id = ?", pid
                ).fetchall()
                for rowid, source_locale, target_locale in old:
                    table = self._table(source_locale, target_locale)
                    self._conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
            self._conn.executemany("DELETE FROM memory_entries WHERE product_id = ?", ids)
            for entry in entries:
                table = self._table(entry.source_locale, entry.target_locale)
                cursor = self._conn.execute(
                    "INSERT INTO memory_entries (product_id, field, source_locale, target_locale, source, target)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        entry.product_id,
                        entry.field,
                        entry.source_locale,
                        entry.target_locale,
                        entry.source,
                        entry.target,
                    ),
                )
                terms = " ".join(source_terms(entry.source, entry.source_locale))
                self._conn.execute(
                    f"INSERT INTO {table} (rowid, terms) VALUES (?, ?)", (cursor.lastrowid, terms)
                )

    def candidates(
        self, source: str, source_locale: str, target_locale: str, exclude_product: int | None, limit: int
    ) -> list[MemoryEntry]:
        """Entries of the locale pair whose source shares terms with *source*, the likeliest first.

        First entries with the very same source, then those holding the rarest few terms
        together, then those holding two of the rarest terms (a similar source shares most of
        its words, so also two of its rarest). Each step stops at *limit* without sorting its
        matches, so a lookup reads a small slice of the index; the caller scores the result.
        """
        terms = source_terms(source, source_locale)[:MAX_QUERY_TERMS]
        with self._lock:
            table = self._table(source_locale, target_locale)
            found = self._identical(source, source_locale, target_locale, exclude_product, limit)
            rare = self._rarest(table, terms)
            first = rare[:FIRST_TERMS] if len(rare) >= min(len(terms), FIRST_TERMS) else []
            query = " AND ".join(map(_quoted, first))
            # Entries holding the rarest terms together all resemble the source: any of them will do.
            self._add(found, self._match(table, query, exclude_product, limit) if first else [], limit)
            # Then entries holding two of the rarest terms, the rarest (most telling) pairs first.
            short = rare[:RARE_TERMS]
            for i, a in enumerate(short):
                for b in short[i + 1 :]:
                    if len(found) >= limit:
                        break
                    pair = f"{_quoted(a)} AND {_quoted(b)}"
                    self._add(found, self._match(table, pair, exclude_product, limit), limit)
        return found

    @staticmethod
    def _add(found: list[MemoryEntry], more: list[MemoryEntry], limit: int) -> None:
        """Append the entries of *more* not yet in *found*, up to *limit* in all."""
        seen = set(found)
        for entry in more:
            if entry not in seen and len(found) < limit:
                found.append(entry)
                seen.add(entry)

    def _identical(
        self, source: str, source_locale: str, target_locale: str, exclude_product: int | None, limit: int
    ) -> list[MemoryEntry]:
        rows = self._conn.execute(
            "SELECT product_id, field, source_locale, target_locale, source, target FROM memory_entries"
            " WHERE source_locale = ? AND target_locale = ? AND source = ? AND product_id IS NOT ? LIMIT ?",
            (source_locale, target_locale, source, exclude_product, limit),
        ).fetchall()
        return [MemoryEntry(*row) for row in rows]

    def _match(self, table: str, query: str, exclude_product: int | None, limit: int) -> list[MemoryEntry]:
        rows = self._conn.execute(
            "SELECT e.product_id, e.field, e.source_locale, e.target_locale, e.source, e.target"
            f" FROM {table} JOIN memory_entries e ON e.id = {table}.rowid"
            f" WHERE {table} MATCH ? AND e.product_id IS NOT ? LIMIT ?",
            (query, exclude_product, limit),
        ).fetchall()
        return [MemoryEntry(*row) for row in rows]

    def _rarest(self, table: str, terms: list[str]) -> list[str]:
        """*terms* the index holds, from the rarest to the most common."""
        if not terms:
            return []
        marks = ",".join("?" * len(terms))
        counts = dict(
            self._conn.execute(
                f"SELECT term, doc FROM {table}_vocabulary WHERE term IN ({marks})", terms
            ).fetchall()
        )
        return sorted((term for term in terms if term in counts), key=lambda term: (counts[term], term))

    def size(self) -> int:
        """How many entries the index holds."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM memory_entries").fetchone()[0])

    def close(self) -> None:
        """Close the index's database."""
        self._conn.close()


def entries_of(
    product_id: int,
    source_locale: str,
    source_fields: Sequence[tuple[str, str]],
    target_locale: str,
    target_fields: dict[str, str],
) -> list[MemoryEntry]:
    """Memory entries of one reviewed text: every field whose source and translation are both set."""
    return [
        MemoryEntry(product_id, field, source_locale, target_locale, source, target_fields[field])
        for field, source in source_fields
        if source.strip() and target_fields.get(field, "").strip()
    ]
