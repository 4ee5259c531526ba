"""Numbering new rows before a flush, so that each table's INSERTs go out as one batch.

Left to itself, the ORM inserts rows one at a time on SQLite: it needs each new primary
key back and SQLite does not promise the order of a multi-row ``RETURNING``. Rows whose
keys are known already are sent with one ``executemany`` per table on every database.
"""

from __future__ import annotations

import collections
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ColumnDefault


def flush_numbered(session: Session) -> None:
    """Give every pending row of a table with a serial key its key, then flush."""
    pending: dict[Mapper[t.Any], list[t.Any]] = collections.defaultdict(list)
    for state in sorted((sa.inspect(o) for o in session.new), key=lambda s: s.insert_order):
        _fill_server_defaults(state.mapper, state.obj())
        key = _serial_key(state.mapper)
        if key is not None and getattr(state.obj(), _attribute(state.mapper, key)) is None:
            pending[state.mapper].append(state.obj())
    for rows in pending.values():
        number(session, rows)
    session.flush()


def number(session: Session, rows: t.Sequence[t.Any]) -> None:
    """Give *rows*, new objects of one model with a serial key, the next keys in their order."""
    if not rows:
        return
    mapper = sa.inspect(type(rows[0]))
    key = _serial_key(mapper)
    if key is None:
        raise TypeError(f"{mapper.class_.__name__} has no serial key to number")
    attribute = _attribute(mapper, key)
    for row, value in zip(rows, reserve_keys(session, key, len(rows)), strict=True):
        setattr(row, attribute, value)


def reserve_keys(session: Session, key: sa.Column[int], count: int) -> list[int]:
    """*count* unused values of the serial column *key*, in increasing order.

    PostgreSQL draws them from the column's sequence. SQLite (whose write lock the
    transaction holds from its first statement) continues after the largest key, as it
    would itself for a table without ``AUTOINCREMENT``.
    """
    if count == 0:
        return []
    connection = session.connection()
    table = key.table
    if connection.dialect.name == "postgresql":
        sequence = sa.func.pg_get_serial_sequence(table.name, key.name)
        drawn = sa.select(sa.func.nextval(sequence)).select_from(sa.func.generate_series(1, count))
        return sorted(int(n) for n in connection.scalars(drawn))
    largest = connection.scalar(sa.select(sa.func.coalesce(sa.func.max(key), 0)))
    first = int(largest or 0) + 1
    return list(range(first, first + count))


def _fill_server_defaults(mapper: Mapper[t.Any], row: t.Any) -> None:
    """Set unset columns that have a constant default in Python and in the schema to that default.

    A row lacking such a value would make the ORM read it back, one row at a time.
    """
    for column in mapper.columns:
        default = column.default
        if column.server_default is None or not isinstance(default, ColumnDefault) or not default.is_scalar:
            continue
        attribute = _attribute(mapper, column)
        if getattr(row, attribute) is None:
            setattr(row, attribute, default.arg)


def _serial_key(mapper: Mapper[t.Any]) -> sa.Column[t.Any] | None:
    """The single integer primary key the database numbers, if the mapper has one."""
    keys = mapper.primary_key
    if len(keys) != 1:
        return None
    key = keys[0]
    if not isinstance(key, sa.Column) or key is not key.table._autoincrement_column:
        return None
    return key


def _attribute(mapper: Mapper[t.Any], key: sa.Column[t.Any]) -> str:
    return mapper.get_property_by_column(key).key
