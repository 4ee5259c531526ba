"""The translation memory's index: reviewed (source, translation) pairs in an SQLite FTS5 table.

Sources are indexed with the embedded engine's own analysis (stems, CJK bigrams), so a
lookup finds near-identical sources by shared terms and ranks them by BM25; the caller
scores the few candidates it gets back.
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
    """CREATE VIRTUAL TABLE IF NOT EXISTS memory_terms USING fts5(
        terms, tokenize='unicode61 remove_diacritics 0', detail=column, columnsize=1)""",
    "CREATE VIRTUAL TABLE IF NOT EXISTS memory_vocabulary USING fts5vocab(memory_terms, row)",
)
#: When every term together finds too few entries, pairs of this many rarest terms are tried.
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


def _pair_term(source_locale: str, target_locale: str) -> str:
    """A term no text yields, naming the locale pair (letters only, so one token)."""
    return "qqpair" + "".join(ch for ch in source_locale + "x" + target_locale if ch.isalpha()).lower()


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
        with self._lock, self._conn:
            for statement in _SCHEMA:
                self._conn.execute(statement)

    def replace_products(self, product_ids: Iterable[int], entries: Iterable[MemoryEntry]) -> None:
        """Drop every entry of *product_ids*, then add *entries* (their current reviewed fields)."""
        ids = [(pid,) for pid in product_ids]
        with self._lock, self._conn:
            self._conn.executemany(
                "DELETE FROM memory_terms WHERE rowid IN (SELECT id FROM memory_entries WHERE product_id = ?)",
                ids,
            )
            self._conn.executemany("DELETE FROM memory_entries WHERE product_id = ?", ids)
            for entry in entries:
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
                terms = [_pair_term(entry.source_locale, entry.target_locale)]
                terms += source_terms(entry.source, entry.source_locale)
                self._conn.execute(
                    "INSERT INTO memory_terms (rowid, terms) VALUES (?, ?)",
                    (cursor.lastrowid, " ".join(terms)),
                )

    def candidates(
        self, source: str, source_locale: str, target_locale: str, exclude_product: int | None, limit: int
    ) -> list[MemoryEntry]:
        """Entries of the locale pair whose source shares terms with *source*, best BM25 first.

        First the entries holding every term; when those are too few, the entries holding any
        two of the rarest terms (a similar source shares most of its words, so also two of its
        rarest), which keeps each lookup to a small slice of the index.
        """
        terms = source_terms(source, source_locale)[:MAX_QUERY_TERMS]
        if not terms:
            return []
        pair = _quoted(_pair_term(source_locale, target_locale))
        with self._lock:
            found = self._match(f"{pair} AND ({' AND '.join(map(_quoted, terms))})", exclude_product, limit)
            rare = self._rarest(terms)[:RARE_TERMS] if len(found) < limit else []
            pairs = [f"({_quoted(a)} AND {_quoted(b)})" for i, a in enumerate(rare) for b in rare[i + 1 :]]
            if pairs:
                seen = set(found)
                for entry in self._match(f"{pair} AND ({' OR '.join(pairs)})", exclude_product, limit):
                    if entry not in seen and len(found) < limit:
                        found.append(entry)
        return found

    def _match(self, query: str, exclude_product: int | None, limit: int) -> list[MemoryEntry]:
        rows = self._conn.execute(
            "SELECT e.product_id, e.field, e.source_locale, e.target_locale, e.source, e.target"
            " FROM memory_terms JOIN memory_entries e ON e.id = memory_terms.rowid"
            " WHERE memory_terms MATCH ? AND e.product_id IS NOT ? ORDER BY bm25(memory_terms) LIMIT ?",
            (query, exclude_product, limit),
        ).fetchall()
        return [MemoryEntry(*row) for row in rows]

    def _rarest(self, terms: list[str]) -> list[str]:
        """*terms* from the rarest to the most common in the index (unknown ones dropped)."""
        marks = ",".join("?" * len(terms))
        counts = dict(
            self._conn.execute(
                f"SELECT term, doc FROM memory_vocabulary WHERE term IN ({marks})", terms
            ).fetchall()
        )
        return sorted((term for term in terms if term in counts), key=lambda term: counts[term])

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
