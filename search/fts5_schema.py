"""Tables of the embedded engine and how one product is written into them.

The file holds a ``meta`` table and numbered *table sets* (``docs_3``, ``fts_3``, ...).
``meta.live`` names the set searches read; a rebuild fills the next set and swaps the
number in one transaction. ``meta.generation`` grows with every write so each process
knows when its in-memory view is stale.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

import orjson

from search.analysis import collect_terms
from search.documents import LOCALES
from search.documents import RefundPeriod
from search.documents import SearchDocument
from search.names import document_names
from search.typos import MIN_TERM_LENGTH
from search.typos import deletions

#: Full-text columns: field (name, labels, highlights, description) x level (exact, stem, key).
FTS_COLUMNS: tuple[str, ...] = ("nx", "ns", "nk", "lx", "ls", "lk", "hx", "hs", "hk", "dx", "ds", "dk")
_TOKENIZER = "unicode61 remove_diacritics 0"
#: Type-ahead columns: the terms of the name in each content locale, then the names themselves.
SUGGEST_TERMS: tuple[str, ...] = tuple(f"k{index}" for index in range(len(LOCALES)))
SUGGEST_NAMES: tuple[str, ...] = tuple(f"n{index}" for index in range(len(LOCALES)))
_SUGGEST_COLUMNS = ", ".join([*SUGGEST_TERMS, *(f"{name} UNINDEXED" for name in SUGGEST_NAMES)])


@dataclass(frozen=True)
class TableSet:
    """The table names of one numbered set."""

    number: int

    @property
    def docs(self) -> str:
        return f"docs_{self.number}"

    @property
    def fts(self) -> str:
        return f"fts_{self.number}"

    @property
    def terms(self) -> str:
        return f"fts_{self.number}_terms"

    @property
    def suggest(self) -> str:
        return f"suggest_{self.number}"

    @property
    def changes(self) -> str:
        return f"changes_{self.number}"

    @property
    def typo(self) -> str:
        return f"typo_{self.number}"

    @property
    def vocabulary(self) -> str:
        return f"vocabulary_{self.number}"

    def all_tables(self) -> tuple[str, ...]:
        return (
            self.terms,
            self.fts,
            self.suggest,
            self.typo,
            self.vocabulary,
            self.changes,
            self.docs,
        )


META_DDL = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def outdated_layout(conn: sqlite3.Connection, tables: TableSet) -> bool:
    """Whether *tables* exist with the full-text columns of an earlier release (a rebuild makes them anew)."""
    columns = tuple(row[1] for row in conn.execute(f"PRAGMA table_info({tables.fts})"))
    return bool(columns) and columns != FTS_COLUMNS


def create_table_set(conn: sqlite3.Connection, tables: TableSet) -> None:
    """Create every table of *tables* (inside the caller's transaction)."""
    columns = ", ".join(FTS_COLUMNS)
    statements = [
        f"""CREATE TABLE IF NOT EXISTS {tables.docs} (
            rowid INTEGER PRIMARY KEY, id INTEGER NOT NULL UNIQUE, version INTEGER NOT NULL,
            sku TEXT NOT NULL, sku_key TEXT NOT NULL, barcode_key TEXT,
            origin_country TEXT NOT NULL, category TEXT NOT NULL, booth TEXT, brand TEXT,
            price TEXT NOT NULL, currency TEXT NOT NULL, price_cny REAL NOT NULL,
            created_at REAL NOT NULL, popularity REAL NOT NULL, thumbnail TEXT,
            texts TEXT NOT NULL, tax_refund TEXT)""",
        f"CREATE INDEX IF NOT EXISTS {tables.docs}_sku ON {tables.docs}(sku_key)",
        f"CREATE INDEX IF NOT EXISTS {tables.docs}_barcode ON {tables.docs}(barcode_key)",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {tables.fts} USING fts5({columns},
            tokenize='{_TOKENIZER}', detail=column, columnsize=0)""",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {tables.terms}
            USING fts5vocab({tables.fts}, row)""",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {tables.suggest} USING fts5({_SUGGEST_COLUMNS},
            tokenize='{_TOKENIZER}', detail=column, columnsize=0, prefix='2')""",
        f"""CREATE TABLE IF NOT EXISTS {tables.typo} (
            fragment TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (fragment, term))
            WITHOUT ROWID""",
        f"CREATE TABLE IF NOT EXISTS {tables.vocabulary} (term TEXT PRIMARY KEY) WITHOUT ROWID",
        f"""CREATE TABLE IF NOT EXISTS {tables.changes} (
            generation INTEGER NOT NULL, rowid INTEGER NOT NULL)""",
        f"""CREATE INDEX IF NOT EXISTS {tables.changes}_generation
            ON {tables.changes}(generation)""",
    ]
    for statement in statements:
        conn.execute(statement)
    _add_missing_columns(conn, tables)


#: Columns later releases added to ``docs``, with their type (an older file gets them empty).
_ADDED_DOC_COLUMNS: tuple[tuple[str, str], ...] = (("tax_refund", "TEXT"),)


def _add_missing_columns(conn: sqlite3.Connection, tables: TableSet) -> None:
    """Give an index written by an older release the columns it lacks (filled by the next reindex)."""
    present = {row[1] for row in conn.execute(f"PRAGMA table_info({tables.docs})")}
    for name, kind in _ADDED_DOC_COLUMNS:
        if name not in present:
            conn.execute(f"ALTER TABLE {tables.docs} ADD COLUMN {name} {kind}")


def drop_table_set(conn: sqlite3.Connection, tables: TableSet) -> None:
    """Drop every table of *tables*."""
    for name in tables.all_tables():
        conn.execute(f"DROP TABLE IF EXISTS {name}")


def sku_key(value: str | None) -> str | None:
    """Comparable form of a SKU or barcode: no spaces, uppercase."""
    if value is None:
        return None
    key = "".join(value.split()).upper()
    return key or None


@dataclass(frozen=True)
class AnalyzedDocument:
    """A document turned into rows: its full-text columns, names and typo vocabulary."""

    doc: SearchDocument
    columns: tuple[str, ...]
    names: tuple[tuple[int, str, str], ...]  # (locale index, name, type-ahead terms)

    def vocabulary_terms(self) -> list[str]:
        """Exact and key terms of every field: what typos are corrected to."""
        return " ".join(self.columns[i] for i in range(len(FTS_COLUMNS)) if i % 3 != 1).split()


def analyze_document(doc: SearchDocument) -> AnalyzedDocument:
    """Run text analysis over every locale of *doc*."""
    columns: list[list[str]] = [[] for _ in FTS_COLUMNS]
    suggest_rows: list[tuple[int, str, str]] = []
    for locale, text in doc.texts.items():
        name = text.name.strip()
        if name:
            start_keys = len(columns[2])
            cjk: list[str] = []
            collect_terms(name, locale, columns[0], columns[1], columns[2], cjk)
            terms = " ".join([*cjk, *columns[2][start_keys:]])
            suggest_rows.append((LOCALES.index(locale), name, terms))
        for item in text.highlights:
            collect_terms(item, locale, columns[6], columns[7], columns[8])
        collect_terms(text.description, locale, columns[9], columns[10], columns[11])
    for extra in (doc.brand or "", *doc.tags):
        collect_terms(extra, "en", columns[6], columns[7], columns[8])
    # the names a product is also found by rank right after its name (and are never highlighted)
    for locale, names in document_names(doc).items():
        collect_terms(names, locale, columns[3], columns[4], columns[5])
    joined = tuple(" ".join(column) for column in columns)
    return AnalyzedDocument(doc, joined, tuple(suggest_rows))


def refund_text(periods: Iterable[RefundPeriod]) -> str | None:
    """The refund periods as stored: ``2025-04-01/2027-01-01 2030-01-01/`` (``None``: no refund)."""
    text = " ".join(f"{start.isoformat()}/{end.isoformat() if end else ''}" for start, end in periods)
    return text or None


def refund_covers(text: str, day: str) -> bool:
    """Whether the stored periods *text* hold the ISO *day*."""
    for period in text.split():
        start, _, end = period.partition("/")
        if start <= day and (not end or day < end):
            return True
    return False


def document_row(doc: SearchDocument) -> tuple[object, ...]:
    """The ``docs`` row of *doc* (without rowid)."""
    texts = {
        locale: {"name": t.name, "description": t.description, "highlights": list(t.highlights)}
        for locale, t in doc.texts.items()
    }
    return (
        doc.id,
        doc.version,
        doc.sku,
        sku_key(doc.sku),
        sku_key(doc.barcode),
        doc.origin_country.upper(),
        doc.category,
        doc.booth,
        doc.brand,
        str(doc.price),
        doc.currency,
        float(doc.price_cny),
        doc.created_at.timestamp(),
        float(doc.popularity),
        doc.thumbnail,
        orjson.dumps(texts).decode(),
        refund_text(doc.tax_refund_periods),
    )


#: The columns of a ``docs`` row after its rowid, in :func:`document_row`'s order.
DOC_COLUMNS: tuple[str, ...] = (
    "id", "version", "sku", "sku_key", "barcode_key", "origin_country", "category", "booth", "brand",
    "price", "currency", "price_cny", "created_at", "popularity", "thumbnail", "texts", "tax_refund",
)  # fmt: skip


def write_document(
    conn: sqlite3.Connection, tables: TableSet, analyzed: AnalyzedDocument, keep_newer: bool
) -> list[int]:
    """Insert or replace one analysed document; return the row numbers it touched.

    Nothing is touched when *keep_newer* is set and the index holds a newer version. A
    document whose terms are those stored (a new price, stock or version) keeps its row
    and only its ``docs`` row changes: the full-text rows stay, unlike a delete and insert.
    """
    doc = analyzed.doc
    suggest = suggest_row(analyzed)
    existing = conn.execute(f"SELECT rowid, version FROM {tables.docs} WHERE id = ?", (doc.id,)).fetchone()
    if existing is not None:
        if keep_newer and existing[1] > doc.version:
            return []
        if stored_terms(conn, tables, existing[0]) == (analyzed.columns, suggest):
            assignments = ", ".join(f"{name} = ?" for name in DOC_COLUMNS)
            conn.execute(
                f"UPDATE {tables.docs} SET {assignments} WHERE rowid = ?", (*document_row(doc), existing[0])
            )
            return [existing[0]]
        remove_rowid(conn, tables, existing[0])
    cursor = conn.execute(
        f"""INSERT INTO {tables.docs} ({", ".join(DOC_COLUMNS)})
            VALUES ({", ".join("?" * len(DOC_COLUMNS))})""",
        document_row(doc),
    )
    rowid = cursor.lastrowid
    assert rowid is not None
    conn.execute(
        f"INSERT INTO {tables.fts} (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?{', ?' * len(FTS_COLUMNS)})",
        (rowid, *analyzed.columns),
    )
    conn.execute(
        f"INSERT INTO {tables.suggest} (rowid, {_SUGGEST_NAMES}) VALUES (?{', ?' * len(suggest)})",
        (rowid, *suggest),
    )
    return [rowid] if existing is None else [existing[0], rowid]


_SUGGEST_NAMES = ", ".join([*SUGGEST_TERMS, *SUGGEST_NAMES])


def suggest_row(analyzed: AnalyzedDocument) -> tuple[str, ...]:
    """The type-ahead row of *analyzed*: each locale's name terms, then each locale's name."""
    terms, names = [""] * len(LOCALES), [""] * len(LOCALES)
    for index, name, name_terms in analyzed.names:
        terms[index], names[index] = name_terms, name
    return (*terms, *names)


def stored_terms(
    conn: sqlite3.Connection, tables: TableSet, rowid: int
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The full-text and type-ahead columns stored for row *rowid* (``None``: no such rows)."""
    fts = conn.execute(
        f"SELECT {', '.join(FTS_COLUMNS)} FROM {tables.fts} WHERE rowid = ?", (rowid,)
    ).fetchone()
    suggest = conn.execute(
        f"SELECT {_SUGGEST_NAMES} FROM {tables.suggest} WHERE rowid = ?", (rowid,)
    ).fetchone()
    if fts is None or suggest is None:
        return None
    return tuple(fts), tuple(suggest)


def remove_rowid(conn: sqlite3.Connection, tables: TableSet, rowid: int) -> None:
    """Remove one product's rows by its row number."""
    conn.execute(f"DELETE FROM {tables.docs} WHERE rowid = ?", (rowid,))
    conn.execute(f"DELETE FROM {tables.fts} WHERE rowid = ?", (rowid,))
    conn.execute(f"DELETE FROM {tables.suggest} WHERE rowid = ?", (rowid,))


def record_changes(
    conn: sqlite3.Connection, tables: TableSet, generation: int, rowids: Iterable[int]
) -> None:
    """Note which rows a write changed, so other processes can patch their views."""
    conn.executemany(
        f"INSERT INTO {tables.changes} (generation, rowid) VALUES (?, ?)",
        [(generation, rowid) for rowid in set(rowids)],
    )
    conn.execute(f"DELETE FROM {tables.changes} WHERE generation < ?", (generation - 10_000,))


def add_vocabulary(conn: sqlite3.Connection, tables: TableSet, terms: Iterable[str], known: set[str]) -> None:
    """Record new terms and their deletion fragments for typo correction."""
    fresh = sorted(t for t in set(terms) - known if len(t) >= MIN_TERM_LENGTH and t.isalpha())
    if not fresh:
        return
    conn.executemany(f"INSERT OR IGNORE INTO {tables.vocabulary} (term) VALUES (?)", [(t,) for t in fresh])
    conn.executemany(
        f"INSERT OR IGNORE INTO {tables.typo} (fragment, term) VALUES (?, ?)",
        [(fragment, term) for term in fresh for fragment in deletions(term)],
    )
    known.update(fresh)


def load_vocabulary(conn: sqlite3.Connection, tables: TableSet) -> set[str]:
    """Every term already in the typo vocabulary."""
    return {row[0] for row in conn.execute(f"SELECT term FROM {tables.vocabulary}")}
