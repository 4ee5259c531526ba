"""Writing new objects that never join the session as plain rows, one INSERT per table.

The unit of work keeps books on every object it flushes. Rows this transaction does not
read back through the ORM (an import's products, their texts and tiers) skip it: they are
built as usual, given their defaults and keys, then sent as parameter lists.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import MANYTOONE
from sqlalchemy.orm import ONETOMANY
from sqlalchemy.orm import InstanceState
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import manager_of_class
from sqlalchemy.sql.schema import ColumnDefault


@dataclasses.dataclass(frozen=True)
class _Shape:
    """What a model's rows are made of, read once per model."""

    table: sa.Table
    #: Columns: attribute, column key, whether None is written as it is (else left to the default).
    columns: tuple[tuple[str, str, bool], ...]
    #: Many-to-one relationships and the foreign keys they set: (column, referred attribute).
    references: tuple[tuple[str, tuple[tuple[tuple[str, str, bool], str], ...]], ...]
    #: One-to-many relationships, whose members are rows of their own.
    collections: tuple[str, ...]
    #: Columns with a Python-side default: attribute, default, whether None is written as it is.
    defaults: tuple[tuple[str, ColumnDefault, bool], ...]


@functools.cache
def _shape(mapper: Mapper[t.Any]) -> _Shape:
    def column(m: Mapper[t.Any], col: sa.ColumnElement[t.Any]) -> tuple[str, str, bool]:
        return m.get_property_by_column(col).key, col.key or "", bool(col.type.should_evaluate_none)

    defaults = []
    for col in mapper.columns:
        default = col.default
        if isinstance(default, ColumnDefault) and (default.is_scalar or default.is_callable):
            attribute, _, keeps_none = column(mapper, col)
            defaults.append((attribute, default, keeps_none))
    references = tuple(
        (
            relation.key,
            tuple(
                (column(mapper, local), column(relation.mapper, remote)[0])
                for local, remote in relation.local_remote_pairs
            ),
        )
        for relation in mapper.relationships
        if relation.direction is MANYTOONE
    )
    return _Shape(
        table=t.cast(sa.Table, mapper.local_table),
        columns=tuple(column(mapper, prop.columns[0]) for prop in mapper.column_attrs),
        references=references,
        collections=tuple(r.key for r in mapper.relationships if r.direction is ONETOMANY),
        defaults=tuple(defaults),
    )


M = t.TypeVar("M")


def built(model: type[M], **values: t.Any) -> M:
    """A new *model* object holding *values*, for :func:`insert_detached` to write.

    Made as the ORM makes a row it loads, without the attribute events a constructor fires
    for a session's bookkeeping (a third of the cost of the revisions an import makes).
    """
    instance: M = manager_of_class(model).new_instance()
    instance.__dict__.update(values)
    return instance


def fill_defaults(roots: t.Sequence[t.Any]) -> None:
    """Set the Python-side column defaults of *roots* and their children, as a flush would.

    So that what is read from the objects before :func:`insert_detached` (an audit entry's
    snapshot) is what the database will hold.
    """
    for state in _graph(roots):
        for name, default, keeps_none in _shape(state.mapper).defaults:
            if state.dict.get(name) is not None or (keeps_none and name in state.dict):
                continue  # given, or an explicit None written as it is
            setattr(state.obj(), name, default.arg if default.is_scalar else default.arg(None))


def insert_detached(session: Session, roots: t.Sequence[t.Any]) -> None:
    """Insert *roots*, new objects never added to the session, with the children they hold.

    The roots carry their keys already (:func:`catalog.services.numbering.number`); the
    database numbers their children, whose foreign keys come from the objects they belong to.
    """
    tables: dict[Mapper[t.Any], list[InstanceState[t.Any]]] = {}
    for state in _graph(roots):
        tables.setdefault(state.mapper, []).append(state)
    for states in tables.values():
        _insert_states(session, states)


def _insert_states(session: Session, states: t.Sequence[InstanceState[t.Any]]) -> None:
    """Insert the rows *states* (of one model) hold: one ``executemany`` per set of columns given.

    As the ORM's own bulk insert would, a None is left to the column's default unless
    the column's type writes None (JSON's ``null``), and a row's foreign keys come from
    the objects it refers to; the statements are plain Core ones, without the ORM's pass
    over every row.
    """
    if not states:
        return
    rows = [_parameters(state) for state in states]
    statement = sa.insert(_shape(states[0].mapper).table)
    for _, group in itertools.groupby(rows, key=tuple):
        session.execute(statement, list(group))


def _parameters(state: InstanceState[t.Any]) -> dict[str, t.Any]:
    shape = _shape(state.mapper)
    held = state.dict
    values = {}
    for attribute, key, keeps_none in shape.columns:
        if attribute in held and (held[attribute] is not None or keeps_none):
            values[key] = held[attribute]
    for relation, pairs in shape.references:
        target = held.get(relation)
        if target is not None:
            for (_, key, keeps_none), remote in pairs:
                value = getattr(target, remote)
                if value is not None or keeps_none:
                    values[key] = value
    return values


def _graph(roots: t.Iterable[t.Any]) -> t.Iterator[InstanceState[t.Any]]:
    """The states of *roots* and of what their one-to-many collections hold, parents first."""
    for root in roots:
        state = sa.inspect(root)
        yield state
        for collection in _shape(state.mapper).collections:
            held = state.dict.get(collection)
            yield from _graph(held if isinstance(held, list) else () if held is None else (held,))
