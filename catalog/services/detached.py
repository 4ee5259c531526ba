"""Writing new objects that never join the session as plain rows, one INSERT per table.

The unit of work keeps books on every object it flushes. Rows this transaction does not
read back through the ORM (an import's products, their texts and tiers) skip it: they are
built as usual, given their defaults and keys, then sent as parameter lists.
"""

from __future__ import annotations

import dataclasses
import functools
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import MANYTOONE
from sqlalchemy.orm import ONETOMANY
from sqlalchemy.orm import InstanceState
from sqlalchemy.orm import Mapper
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ColumnDefault


@dataclasses.dataclass(frozen=True)
class _Shape:
    """What a model's rows are made of, read once per model."""

    #: Column attributes.
    columns: tuple[str, ...]
    #: Many-to-one relationships and the (foreign key, referred) attribute pairs they set.
    references: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    #: One-to-many relationships, whose members are rows of their own.
    collections: tuple[str, ...]
    #: Columns with a Python-side default: attribute, default, whether None is written as it is.
    defaults: tuple[tuple[str, ColumnDefault, bool], ...]


@functools.cache
def _shape(mapper: Mapper[t.Any]) -> _Shape:
    def attribute(m: Mapper[t.Any], column: sa.ColumnElement[t.Any]) -> str:
        return m.get_property_by_column(column).key

    defaults = tuple(
        (attribute(mapper, column), column.default, bool(column.type.should_evaluate_none))
        for column in mapper.columns
        if isinstance(column.default, ColumnDefault)
        and (column.default.is_scalar or column.default.is_callable)
    )
    references = tuple(
        (
            relation.key,
            tuple(
                (attribute(mapper, local), attribute(relation.mapper, remote))
                for local, remote in relation.local_remote_pairs
            ),
        )
        for relation in mapper.relationships
        if relation.direction is MANYTOONE
    )
    collections = tuple(r.key for r in mapper.relationships if r.direction is ONETOMANY)
    return _Shape(tuple(p.key for p in mapper.column_attrs), references, collections, defaults)


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
    tables: dict[Mapper[t.Any], list[dict[str, t.Any]]] = {}
    for state in _graph(roots):
        tables.setdefault(state.mapper, []).append(row_values(state))
    for mapper, rows in tables.items():
        session.execute(sa.insert(mapper), rows)


def row_values(state: InstanceState[t.Any]) -> dict[str, t.Any]:
    """The column values *state* holds, foreign keys included from the objects it refers to."""
    shape = _shape(state.mapper)
    held = state.dict
    values = {name: held[name] for name in shape.columns if name in held}
    for relation, pairs in shape.references:
        if relation in held:
            target = held[relation]
            for local, remote in pairs:
                values[local] = None if target is None else getattr(target, remote)
    return values


def _graph(roots: t.Iterable[t.Any]) -> t.Iterator[InstanceState[t.Any]]:
    """The states of *roots* and of what their one-to-many collections hold, parents first."""
    for root in roots:
        state = sa.inspect(root)
        yield state
        for collection in _shape(state.mapper).collections:
            yield from _graph(state.dict.get(collection) or ())
