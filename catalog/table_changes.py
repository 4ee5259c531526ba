"""Which tables each transaction writes and each remembered read depends on.

Every statement sent through an engine is looked at once, before it runs:
- a write names its table, and the tables whose rows a foreign key's ``ON DELETE`` or
  ``ON UPDATE`` action may change with it; the connection collects them until its transaction
  ends;
- while a read is being captured (:func:`capturing_reads`), a query names the tables it reads.

A statement whose tables cannot be told (SQL text other than a plain ``SELECT``, ``INSERT``,
``UPDATE`` or ``DELETE``; schema changes) counts as :data:`EVERY_TABLE`: a write of it changes
everything, and a read of it depends on everything.

When a transaction commits, what it wrote is counted per table (:mod:`catalog.freshness`), so
that a value read from some tables is read again only once one of them has changed.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import typing as t
import weakref
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.sql.util import find_tables

#: Stands for tables that could not be told apart: a write of it changes every table.
EVERY_TABLE = "*"
#: The key of ``Connection.info`` holding the tables its transaction has written.
WRITTEN = "tianshan_written_tables"

_reads: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("tianshan_reads", default=None)
#: Comments and blanks before a statement's first word.
_LEADING_RE = re.compile(r"^(?:\s+|--[^\n]*\n?|/\*.*?\*/)*", re.DOTALL)
_NAME = r'(?:"?\w+"?\.)?"?(\w+)"?'  # a table's name, perhaps after its schema's
_WRITE_RE = re.compile(
    rf"(?:INSERT|REPLACE|UPDATE|DELETE)\s+(?:OR\s+\w+\s+)?(?:INTO\s+|FROM\s+)?{_NAME}", re.IGNORECASE
)
#: SQL text that reads and writes no table's rows.
_CONTROL_RE = re.compile(
    r"(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|SET|LISTEN|UNLISTEN|NOTIFY)\b", re.IGNORECASE
)
#: SQL text that may read rows but changes none.
_READING_RE = re.compile(r"(?:SELECT|VALUES|PRAGMA|SHOW|EXPLAIN)\b", re.IGNORECASE)
_WRITING_WORD_RE = re.compile(r"\b(?:INSERT|REPLACE|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
#: Every table named after FROM or JOIN in a query's SQL (joins an ORM adds to load relations).
_FROM_RE = re.compile(rf"\b(?:FROM|JOIN)\s+{_NAME}", re.IGNORECASE)
_READ_TABLES: weakref.WeakKeyDictionary[t.Any, frozenset[str]] = weakref.WeakKeyDictionary()


def track_tables(engine: sa.Engine, metadata: sa.MetaData) -> None:
    """Collect, on each connection of *engine*, the tables its transaction writes."""
    affected = _affected_tables(metadata)

    def look(
        connection: sa.Connection,
        _cursor: t.Any,
        statement: str,
        _parameters: t.Any,
        context: DefaultExecutionContext | None,
        _executemany: bool,
    ) -> None:
        compiled = getattr(context, "compiled", None)
        text = None
        if compiled is None or isinstance(compiled.statement, sa.TextClause):
            text = statement[_LEADING_RE.match(statement).end() :]  # type: ignore[union-attr]
            if _CONTROL_RE.match(text):
                return
        written = _written_table(context, compiled, text)
        if written is not None:
            tables = connection.info.setdefault(WRITTEN, set())
            tables.update(affected.get(written, (written,)))
        elif (reads := _reads.get()) is not None:
            reads.update(_read_tables(compiled, statement) if text is None else (EVERY_TABLE,))

    def forget(connection: sa.Connection) -> None:
        connection.info.pop(WRITTEN, None)

    event.listen(engine, "before_cursor_execute", look)
    event.listen(engine, "begin", forget)
    event.listen(engine, "rollback", forget)


@contextlib.contextmanager
def capturing_reads() -> Iterator[set[str]]:
    """The tables read by the queries run inside the block (:data:`EVERY_TABLE` among them if unknown).

    A capture inside another adds what it saw to the outer one too.
    """
    tables: set[str] = set()
    outer = _reads.get()
    token = _reads.set(tables)
    try:
        yield tables
    finally:
        _reads.reset(token)
        if outer is not None:
            outer.update(tables or (EVERY_TABLE,))


def note_reads(tables: t.Iterable[str]) -> None:
    """Add *tables* to the capture under way, if any (a value found in memory was read from them)."""
    reads = _reads.get()
    if reads is not None:
        reads.update(tables)


def _written_table(context: DefaultExecutionContext | None, compiled: t.Any, text: str | None) -> str | None:
    """The table a write statement changes (:data:`EVERY_TABLE` if unknown); ``None`` for a read.

    *text*: the SQL of a statement given as text, without its leading comments.
    """
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        table = getattr(compiled.statement, "table", None)
        return str(table.name) if isinstance(table, sa.TableClause) else EVERY_TABLE
    if context is not None and context.isddl:
        return EVERY_TABLE
    if text is None:
        return None  # a query built with SQLAlchemy
    if _READING_RE.match(text) or (text[:4].upper() == "WITH" and not _WRITING_WORD_RE.search(text)):
        return None
    match = _WRITE_RE.match(text)
    return match.group(1).lower() if match else EVERY_TABLE


def _read_tables(compiled: t.Any, statement: str) -> frozenset[str]:
    """The tables a query built with SQLAlchemy reads (cached per compiled statement).

    Those its expression names, and those its SQL names after FROM or JOIN: the ORM adds joins of
    its own to load related rows.
    """
    found = _READ_TABLES.get(compiled)
    if found is None:
        tables = find_tables(compiled.statement, check_columns=True, include_aliases=True, include_joins=True)
        named = {str(table.name) for table in tables if isinstance(table, sa.TableClause)}
        named.update(match.group(1) for match in _FROM_RE.finditer(statement))
        found = _READ_TABLES[compiled] = frozenset(named) or frozenset((EVERY_TABLE,))
    return found


def _affected_tables(metadata: sa.MetaData) -> dict[str, frozenset[str]]:
    """Per table, itself and every table whose rows its changes may change through foreign keys."""
    referrers: dict[str, set[str]] = {}
    for table in metadata.tables.values():
        for key in table.foreign_keys:
            if key.ondelete or key.onupdate:
                referrers.setdefault(key.column.table.name, set()).add(table.name)
    affected: dict[str, frozenset[str]] = {}
    for name in metadata.tables:
        reached, waiting = {name}, [name]
        while waiting:
            for other in referrers.get(waiting.pop(), ()):
                if other not in reached:
                    reached.add(other)
                    waiting.append(other)
        affected[name] = frozenset(reached)
    return affected
