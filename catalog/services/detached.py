"""Writing new objects that never join the session as plain rows, one INSERT per table.

The unit of work keeps books on every object it flushes. Rows this transaction does not
read back through the ORM (an import's products, their texts and tiers) skip it: they are
built as usual, given their defaults and keys, then sent as parameter lists straight to
the driver, each value through its column type's bind processor.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import typing as t
import weakref

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
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
    #: One-to-many relationships, whose members are rows of their own, and the members'
    #: reference back to their holder (``back_populates``), if any.
    collections: tuple[tuple[str, str | None], ...]
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
        collections=tuple(
            (r.key, r.back_populates or None) for r in mapper.relationships if r.direction is ONETOMANY
        ),
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


def added(session: Session, add: t.Callable[[t.Any], None] | None, model: type[M], **values: t.Any) -> M:
    """A new *model* holding *values*: :func:`built` and given to *add* (a batch that writes its
    rows itself), or made by its constructor and added to *session*."""
    if add is not None:
        instance = built(model, **values)
        add(instance)
    else:
        instance = model(**values)
        session.add(instance)
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
            setattr(state.obj(), name, _default(default))


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


def release(roots: t.Sequence[t.Any]) -> None:
    """Unlink *roots* from their children once written, so that memory returns at once.

    A product and its texts refer to each other; left linked, every one of them waits for
    the cyclic collector, whose passes over an import's garbage took a tenth of its time.
    The objects are of no use afterwards.
    """
    for state in list(_graph(roots)):
        shape = _shape(state.mapper)
        for relation in (*(key for key, _ in shape.collections), *(key for key, _ in shape.references)):
            state.dict.pop(relation, None)


def _insert_states(session: Session, states: t.Sequence[InstanceState[t.Any]]) -> None:
    """Insert the rows *states* (of one model) hold: one ``executemany`` per set of columns given.

    As the ORM's own bulk insert would, a None is left to the column's default unless
    the column's type writes None (JSON's ``null``), and a row's foreign keys come from
    the objects it refers to. The statement is compiled once per set of columns and each
    value passed through its type's bind processor here, then handed to the driver: the
    Core statement's per-row parameter handling was three times the database's own work.
    """
    if not states:
        return
    table = _shape(states[0].mapper).table
    connection = session.connection()
    rows = [_parameters(state) for state in states]
    for keys, group in itertools.groupby(rows, key=tuple):
        insert = _driver_insert(connection.dialect, table, keys)
        connection.exec_driver_sql(insert.sql, [insert.row(values) for values in group])


@dataclasses.dataclass(frozen=True)
class _DriverInsert:
    """An INSERT compiled for one dialect and set of columns, and how to turn values into its row."""

    sql: str
    #: Per parameter in the driver's order: its name, the column's Python-side default when the
    #: values leave it to the default, and the bind processor of the column's type.
    parameters: tuple[tuple[str, ColumnDefault | None, t.Callable[[t.Any], t.Any] | None], ...]
    #: The driver's names of the parameters, when it takes them by name.
    names: tuple[str, ...] | None

    def row(self, values: t.Mapping[str, t.Any]) -> t.Any:
        """*values* (by column key) as the driver takes them: a tuple, or a dict by parameter name."""
        row = tuple(
            process(value) if process else value
            for key, default, process in self.parameters
            for value in (values[key] if default is None else _default(default),)
        )
        return row if self.names is None else dict(zip(self.names, row, strict=True))


def _default(default: ColumnDefault) -> t.Any:
    """A new value of the Python-side column default *default* (scalar, or callable without context)."""
    return default.arg if default.is_scalar else default.arg(None)


_driver_inserts: weakref.WeakKeyDictionary[Dialect, dict[tuple[sa.Table, tuple[str, ...]], _DriverInsert]]
_driver_inserts = weakref.WeakKeyDictionary()


def _driver_insert(dialect: Dialect, table: sa.Table, keys: tuple[str, ...]) -> _DriverInsert:
    """The INSERT of *keys* into *table* for *dialect*, compiled on first use.

    Columns outside *keys* that have a Python-side default are written with it, as the
    Core statement would; those with a server default are left out.
    """
    known = _driver_inserts.setdefault(dialect, {})
    found = known.get((table, keys))
    if found is None:
        compiled = sa.insert(table).compile(dialect=dialect, column_keys=list(keys))
        defaults = {
            column.key: column.default for column in compiled.insert_prefetch if column.key not in keys
        }
        order = compiled.positiontup if compiled.positional else compiled.bind_names.values()
        parameters = tuple(
            (
                name,
                t.cast(ColumnDefault | None, defaults.get(name)),
                compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect),
            )
            for name in order or ()
        )
        escaped = compiled.escaped_bind_names
        names = None if compiled.positional else tuple(escaped.get(name, name) for name, _, _ in parameters)
        found = known[(table, keys)] = _DriverInsert(compiled.string, parameters, names)
    return found


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
    """The states of *roots* and of what their one-to-many collections hold, parents first.

    A member that does not refer to its holder yet (one made by :func:`built`, which fires
    no backref event) is given that reference, so that its foreign key is the holder's key.
    """
    for root in roots:
        state = sa.inspect(root)
        yield state
        for collection, back in _shape(state.mapper).collections:
            held = state.dict.get(collection)
            members = held if isinstance(held, list) else () if held is None else (held,)
            if back is not None:
                for member in members:
                    member.__dict__.setdefault(back, root)
            yield from _graph(members)
