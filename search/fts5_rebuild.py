"""The steps of a rebuild of the embedded index: claim a new table set, swap, or abandon it.

Each step runs inside the caller's write transaction and gets the ``meta`` table's values.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from collections.abc import Iterator
from itertools import islice

from search.documents import SearchDocument
from search.documents import SearchError
from search.documents import document_problem
from search.fts5_schema import AnalyzedDocument
from search.fts5_schema import TableSet
from search.fts5_schema import analyze_document
from search.fts5_schema import create_table_set
from search.fts5_schema import drop_table_set


def claim_table_set(conn: sqlite3.Connection, meta: dict[str, str]) -> TableSet:
    """Create the next table set and mark it as being built by this process.

    Sets left behind by a process that died are dropped: a half-built one, and an old one
    that a rebuild swapped out but did not live to drop. One still being built by a live
    process makes this fail.
    """
    if meta.get("building"):
        builder = meta.get("builder", "")
        if builder and process_alive(int(builder)) and int(builder) != os.getpid():
            raise SearchError(f"a rebuild is already running in process {builder}")
        drop_table_set(conn, TableSet(int(meta["building"])))
    for number in table_set_numbers(conn) - {int(meta["live"])}:
        drop_table_set(conn, TableSet(number))
    fresh = TableSet(max(int(meta["live"]), int(meta.get("building") or 0)) + 1)
    drop_table_set(conn, fresh)
    create_table_set(conn, fresh)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'building'", (str(fresh.number),))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'builder'", (str(os.getpid()),))
    return fresh


def table_set_numbers(conn: sqlite3.Connection) -> set[int]:
    """The numbers of every table set in the file."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'docs_[0-9]*'")
    return {int(name[5:]) for (name,) in rows if name[5:].isdigit()}


def swap_table_sets(conn: sqlite3.Connection, meta: dict[str, str], fresh: TableSet, loaded: int) -> TableSet:
    """Check *fresh* holds the *loaded* products and make it live; return the old set."""
    count = conn.execute(f"SELECT count(*) FROM {fresh.docs}").fetchone()[0]
    if count < loaded:
        raise SearchError(f"rebuild check failed: the new index holds {count} products, {loaded} were loaded")
    conn.execute("UPDATE meta SET value = ? WHERE key = 'live'", (str(fresh.number),))
    conn.execute("UPDATE meta SET value = '' WHERE key IN ('building', 'builder')")
    return TableSet(int(meta["live"]))


def abandon_table_set(conn: sqlite3.Connection, meta: dict[str, str], fresh: TableSet) -> None:
    """Drop a half-built set after a failure, leaving the live one alone."""
    if meta.get("building") == str(fresh.number):
        drop_table_set(conn, fresh)
        conn.execute("UPDATE meta SET value = '' WHERE key IN ('building', 'builder')")


#: Documents analysed, and those refused as ``(id, reason)`` (see :func:`analyze_all`).
Analyzed = tuple[list[AnalyzedDocument], list[tuple[int, str]]]


def analyze_all(docs: Iterable[SearchDocument]) -> Analyzed:
    """Analyse the valid documents; report the others as ``(id, reason)``."""
    analyzed: list[AnalyzedDocument] = []
    failed: list[tuple[int, str]] = []
    for doc in docs:
        problem = document_problem(doc)
        if problem is None:
            analyzed.append(analyze_document(doc))
        else:
            failed.append((doc.id, problem))
    return analyzed, failed


def batches(docs: Iterable[SearchDocument], size: int) -> Iterator[list[SearchDocument]]:
    """*docs* in lists of *size*."""
    iterator = iter(docs)
    while batch := list(islice(iterator, size)):
        yield batch


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
