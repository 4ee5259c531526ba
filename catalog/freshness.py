"""Knowing cheaply whether the tables a value was read from changed, to reuse the value.

Every transaction counts, as it commits, the tables it wrote (:mod:`catalog.table_changes`
tells which), and a remembered value is read again only once a table it was read from has
been written since: a cursor moved on air leaves the products' stamps alone.

On SQLite the counts are rows of ``table_change_counts``, written in the committing
transaction itself. ``PRAGMA data_version``, asked on a connection kept for the purpose,
changes whenever any other connection, of this process or of another, commits; asking costs
microseconds and reads no page, and the counts are read again only when it has changed. A
commit that counted nothing (a write from outside the app) counts as a change of every table.

PostgreSQL has no such counter, so every commit that wrote something through the app's engines
sends ``NOTIFY tianshan_changes`` with the tables as its payload (:func:`announce_commits`), and
each process keeps one connection that listens and counts them. Taking them in reads only
what the socket already holds, so a cached read again costs no query. A notice reaches the
socket a moment after its commit (under a millisecond, a few on a loaded machine), so a read
that must see every commit made before it *confirms*: one round trip on the listening
connection, which the server answers only after the notices signalled before it. A process
that has lost its listening connection reads through until it has one again. Other databases
give no signal: there the memo always reads through.
"""

from __future__ import annotations

import contextlib
import dataclasses
import select
import sqlite3
import threading
import time
import typing as t
from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from catalog.table_changes import EVERY_TABLE
from catalog.table_changes import WRITTEN
from catalog.table_changes import capturing_reads
from catalog.table_changes import note_reads

V = t.TypeVar("V")
#: The channel every commit is announced on (PostgreSQL).
CHANNEL = "tianshan_changes"
#: The execution option of an engine whose commits change nothing that is read through a memo.
QUIET = "tianshan_quiet"
#: How the listening connection names itself in ``pg_stat_activity``.
LISTENER_NAME = "tianshan change watch"
#: Seconds a confirming round trip may take before the watch gives up its connection and reads through.
CONFIRM_TIMEOUT = 2.0


#: The key of ``Connection.info`` holding the channels to notify when its transaction commits.
_AT_COMMIT = "tianshan_notify_at_commit"


def notify_at_commit(connection: sa.Connection, channel: str) -> None:
    """Have *channel* notified when the transaction of *connection* commits (PostgreSQL).

    It goes with the commit's own notice, in one round trip.
    """
    connection.info.setdefault(_AT_COMMIT, set()).add(channel)


def announce_commits(engine: sa.Engine) -> None:
    """Make every transaction committed through *engine* count the tables it wrote, for every process.

    On SQLite the counts are rows written in the transaction itself; on PostgreSQL they go in a
    notification, except on an engine with the :data:`QUIET` execution option
    (``engine.execution_options(**{QUIET: True})``), which sends only the channels asked for
    with :func:`notify_at_commit`.
    """
    if engine.dialect.name == "sqlite":
        event.listen(engine, "commit", _count_written)
    if engine.dialect.name != "postgresql":
        return

    def notify(connection: sa.Connection) -> None:
        written = connection.info.pop(WRITTEN, None)
        channels = [f"NOTIFY {channel}" for channel in sorted(connection.info.pop(_AT_COMMIT, ()))]
        if written and not connection.get_execution_options().get(QUIET, False):
            channels.insert(0, f"NOTIFY {CHANNEL}, '{_payload(written)}'")
        if channels:
            connection.connection.dbapi_connection.execute("; ".join(channels))  # type: ignore[union-attr]

    def forget(connection: sa.Connection) -> None:
        connection.info.pop(_AT_COMMIT, None)

    event.listen(engine, "commit", notify)
    event.listen(engine, "rollback", forget)


_COUNT = (
    "INSERT INTO table_change_counts (name, commits) VALUES (?, 1) "
    "ON CONFLICT (name) DO UPDATE SET commits = commits + 1"
)


def _count_written(connection: sa.Connection) -> None:
    """Count, in the committing SQLite transaction, each table it wrote."""
    written = connection.info.pop(WRITTEN, None)
    if not written:
        return
    raw = connection.connection.dbapi_connection
    assert raw is not None
    try:
        raw.executemany(_COUNT, [(name,) for name in sorted(written)])
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
        # not migrated yet: the watch takes the commit for a change of every table


def _payload(tables: t.Iterable[str]) -> str:
    """The tables as a notification's payload (table names are plain identifiers)."""
    names = sorted(tables)
    if len(names) > 200 or not all(name == EVERY_TABLE or name.isidentifier() for name in names):
        return EVERY_TABLE
    return ",".join(names)


@dataclasses.dataclass(frozen=True)
class Changes:
    """Commits a watch has seen: in all, and per table written (:data:`EVERY_TABLE`: tables unknown)."""

    total: int
    tables: Mapping[str, int]

    def stamp(self, read: tuple[str, ...] | None) -> tuple[int, ...]:
        """What changes when a table of *read* is written (``None``: when anything is)."""
        if read is None:
            return (self.total,)
        counts = self.tables
        return (counts.get(EVERY_TABLE, 0), *[counts.get(name, 0) for name in read])


class ChangeWatch:
    """Reports the commits made to the database, in all and per table written."""

    def __init__(self, url: sa.URL) -> None:
        database = url.database or ""
        watchable = url.get_backend_name() == "sqlite" and database not in ("", ":memory:")
        self._path = database if watchable else None
        self._connection: sqlite3.Connection | None = None
        self._next_try = 0.0
        self._lock = threading.Lock()
        self._notices: _Notices | None = None
        self._data_version: int | None = None
        self._counted: dict[str, int] | None = None
        self._uncounted = 0  # commits that counted no table
        self._changes: Changes | None = None
        if url.get_backend_name() == "postgresql":
            self._notices = _Notices(url.set(drivername="postgresql").render_as_string(hide_password=False))

    def changes(self, confirm: bool = False) -> Changes | None:
        """The commits this watch has seen; ``None`` when it cannot see them.

        With *confirm*, every commit made before the call is among them. SQLite's counts always
        are; on PostgreSQL it costs a round trip to the database.
        """
        if self._notices is not None:
            return self._notices.changes(confirm)
        if self._path is None:
            return None
        with self._lock:
            try:
                connection = self._connection or self._connect()
                if connection is None:
                    return None
                data_version = _data_version(connection)
                if data_version != self._data_version or self._changes is None:
                    self._changes = self._recount(connection, data_version)
            except sqlite3.Error:
                return None
        return self._changes

    def _recount(self, connection: sqlite3.Connection, data_version: int) -> Changes:
        """The counts read again after *data_version* changed.

        A commit that counted nothing is seen only when no counted commit came with it between two
        looks; else it shows when its values reach their *max_age* (a write from outside the app).
        """
        for _ in range(3):  # the counts of the commits *data_version* covers, when no commit lands meanwhile
            try:
                counted = dict(connection.execute("SELECT name, commits FROM table_change_counts").fetchall())
            except sqlite3.OperationalError:  # not migrated: every commit changes every table
                counted = {}
            latest = _data_version(connection)
            if latest == data_version:
                break
            data_version = latest
        if self._counted is not None and counted == self._counted:
            self._uncounted += 1  # a commit from outside the app, or one that wrote no counted table
        self._counted, self._data_version = counted, data_version
        tables = dict(counted)
        tables[EVERY_TABLE] = counted.get(EVERY_TABLE, 0) + self._uncounted
        return Changes(data_version, tables)

    def _connect(self) -> sqlite3.Connection | None:
        """Open the file (never create it: that is the migrations' job); retried once a second."""
        now = time.monotonic()
        if self._path is None or now < self._next_try:
            return None
        self._next_try = now + 1.0
        try:
            uri = f"{Path(self._path).resolve().as_uri()}?mode=rw"
            self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        except (sqlite3.Error, OSError):
            return None
        return self._connection

    def close(self) -> None:
        with self._lock:
            self._path = None
            if self._notices is not None:
                self._notices.close()
                self._notices = None
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def _data_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA data_version").fetchone()[0])


class _Notices:
    """One listening PostgreSQL connection, counting the commit notifications it has taken in."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._connection: t.Any = None
        self._count = 0
        self._tables: dict[str, int] = {}
        self._changes: Changes | None = None
        self._next_try = 0.0
        self._lock = threading.Lock()

    def changes(self, confirm: bool) -> Changes | None:
        """Notifications so far (a new connection counts as a change of everything); ``None`` while not listening.

        With *confirm*, a round trip first brings in the notices of every commit made before it.
        """
        with self._lock:
            try:
                connection = self._connection or self._connect()
                if connection is None:
                    return None
                pgconn = connection.pgconn
                if confirm:
                    _round_trip(pgconn, CONFIRM_TIMEOUT)
                pgconn.consume_input()  # reads what the socket holds, never waits; raises once it is lost
                while (notice := pgconn.notifies()) is not None:
                    self._note((notice.extra or b"").decode() or EVERY_TABLE)
            except Exception:
                self._drop()
                return None
            if self._changes is None or self._changes.total != self._count:
                self._changes = Changes(self._count, dict(self._tables))
            return self._changes

    def _note(self, payload: str) -> None:
        self._count += 1
        for name in payload.split(","):
            self._tables[name] = self._tables.get(name, 0) + 1

    def _connect(self) -> t.Any:
        now = time.monotonic()
        if now < self._next_try:
            return None
        self._next_try = now + 1.0
        import psycopg

        try:
            connection = psycopg.connect(
                self._conninfo, autocommit=True, connect_timeout=2, application_name=LISTENER_NAME
            )
            connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            return None
        self._connection = connection
        self._note(EVERY_TABLE)  # whatever was committed while nobody listened
        return connection

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                connection.close()

    def close(self) -> None:
        with self._lock:
            self._drop()
            self._next_try = float("inf")


def _round_trip(pgconn: t.Any, timeout: float) -> None:
    """Send an empty query on *pgconn* and wait for its answer; ``TimeoutError`` after *timeout* seconds.

    A server process answers only after sending the notices it was signalled before it read the
    query, and a commit signals its listeners before it returns: so the notices of every commit
    made before the call are in the socket once this returns.
    """
    deadline = time.monotonic() + timeout

    def wait(readable: bool) -> None:
        left = deadline - time.monotonic()
        sockets = ([pgconn.socket], []) if readable else ([], [pgconn.socket])
        if left <= 0 or not any(select.select(*sockets, [], left)):
            raise TimeoutError("the listening connection did not answer")

    pgconn.send_query(b"")
    while pgconn.flush():
        wait(readable=False)
    while True:
        pgconn.consume_input()
        if pgconn.is_busy():
            wait(readable=True)
        elif pgconn.get_result() is None:
            return


@dataclasses.dataclass(frozen=True)
class _Entry:
    read: tuple[str, ...] | None  # the tables the value was read from; None: unknown
    stamp: tuple[int, ...]
    born: float
    value: t.Any


class ReadMemo:
    """Values loaded from the database, each kept while no table it was read from is written.

    The tables are those the load's queries read (:func:`catalog.table_changes.capturing_reads`),
    so a load must run its queries: in a session of its own, or one that holds none of the rows
    it reads, as an object already in a session is not read again and its table would go unseen.
    A load that runs no query, or SQL text, is kept only until the next commit of anything.

    Bounded in entries, and each value lives at most *max_age* seconds, so even a change the
    watch cannot see (a file swapped under the process) shows within that time. Requests that
    miss the same key together wait for one load instead of each loading it.
    """

    def __init__(self, watch: ChangeWatch, max_entries: int = 50_000, max_age: float = 10.0) -> None:
        self._watch = watch
        self._max_entries = max_entries
        self._max_age = max_age
        self._values: dict[Hashable, _Entry] = {}
        self._guard = threading.Lock()
        self._loading: dict[Hashable, threading.RLock] = {}

    def get(
        self,
        key: Hashable,
        load: Callable[[], V],
        keep: Callable[[V], bool] | None = None,
        confirm: bool = False,
    ) -> V:
        """The value remembered for *key* while its tables are unchanged, else ``load()``.

        A loaded value is remembered unless *keep* says otherwise (a key anyone can make up,
        such as a wrong token, need not take a place). With *confirm*, no commit made before
        the call is missed, even one whose notice is still on its way (see the module's notes).
        """
        # Read before loading: a commit landing meanwhile changes the counts, so a value
        # loaded from newer rows is kept under older counts and read again next time.
        changes = self._watch.changes(confirm)
        if changes is None:
            return load()
        found = self._current(key, changes)
        if found is not None:
            return t.cast(V, found.value)
        with self._guard:
            loading = self._loading.setdefault(key, threading.RLock())
        try:
            with loading:  # whoever got here first loads; the others find its value
                found = self._current(key, changes)
                if found is not None:
                    return t.cast(V, found.value)
                with capturing_reads() as tables:
                    value = load()
                if keep is None or keep(value):
                    read = None if not tables or EVERY_TABLE in tables else tuple(sorted(tables))
                    if key not in self._values and len(self._values) >= self._max_entries:
                        self._values = {}
                    self._values[key] = _Entry(read, changes.stamp(read), time.monotonic(), value)
                return value
        finally:
            with self._guard:
                if self._loading.get(key) is loading:
                    del self._loading[key]

    def _current(self, key: Hashable, changes: Changes) -> _Entry | None:
        """The entry of *key* if still current; a load under way learns the tables it was read from."""
        entry = self._values.get(key)
        if entry is None or entry.stamp != changes.stamp(entry.read):
            return None
        if time.monotonic() - entry.born > self._max_age:
            return None
        note_reads(entry.read or (EVERY_TABLE,))
        return entry
