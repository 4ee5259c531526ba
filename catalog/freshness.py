"""Knowing cheaply whether the database changed, to reuse what was last read from it.

On SQLite, ``PRAGMA data_version`` asked on a connection kept for the purpose changes whenever
any other connection, of this process or of another, commits; asking costs microseconds and
reads no page. Hot stamps (a product's version and the rates fingerprint, the cursor on air)
are remembered until it changes, so a cached read touches no session at all.

PostgreSQL has no such counter, so every commit made through the app's engines sends
``NOTIFY tianshan_changes`` (:func:`announce_commits`), and each process keeps one connection
that listens: the number of notifications it has taken in is the change count. Taking them in
reads only what the socket already holds, so a cached read again costs no query. A process
that has lost its listening connection reads through until it has one again. Other databases
give no signal: there the memo always reads through.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
import typing as t
from collections.abc import Callable
from collections.abc import Hashable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

V = t.TypeVar("V")
#: The channel every commit is announced on (PostgreSQL).
CHANNEL = "tianshan_changes"
#: The execution option of an engine whose commits change nothing that is read through a memo.
QUIET = "tianshan_quiet"


#: The key of ``Connection.info`` holding the channels to notify when its transaction commits.
_AT_COMMIT = "tianshan_notify_at_commit"


def notify_at_commit(connection: sa.Connection, channel: str) -> None:
    """Have *channel* notified when the transaction of *connection* commits (PostgreSQL).

    It goes with the commit's own notice, in one round trip.
    """
    connection.info.setdefault(_AT_COMMIT, set()).add(channel)


def announce_commits(engine: sa.Engine) -> None:
    """Make every transaction committed through *engine* notify the other processes (PostgreSQL).

    An engine with the :data:`QUIET` execution option (``engine.execution_options(**{QUIET: True})``)
    commits without a word, apart from the channels asked for with :func:`notify_at_commit`.
    """
    if engine.dialect.name != "postgresql":
        return

    def notify(connection: sa.Connection) -> None:
        channels = sorted(connection.info.pop(_AT_COMMIT, ()))
        if not connection.get_execution_options().get(QUIET, False):
            channels.insert(0, CHANNEL)
        if channels:
            statement = "; ".join(f"NOTIFY {channel}" for channel in channels)
            connection.connection.dbapi_connection.execute(statement)  # type: ignore[union-attr]

    def forget(connection: sa.Connection) -> None:
        connection.info.pop(_AT_COMMIT, None)

    event.listen(engine, "commit", notify)
    event.listen(engine, "rollback", forget)


class ChangeWatch:
    """Reports a number that changes whenever anything is committed to the database."""

    def __init__(self, url: sa.URL) -> None:
        database = url.database or ""
        watchable = url.get_backend_name() == "sqlite" and database not in ("", ":memory:")
        self._path = database if watchable else None
        self._connection: sqlite3.Connection | None = None
        self._next_try = 0.0
        self._lock = threading.Lock()
        self._notices: _Notices | None = None
        if url.get_backend_name() == "postgresql":
            self._notices = _Notices(url.set(drivername="postgresql").render_as_string(hide_password=False))

    def version(self) -> int | None:
        """The database's change count as this watch sees it; ``None`` when unknown."""
        if self._notices is not None:
            return self._notices.count()
        if self._path is None:
            return None
        with self._lock:
            try:
                connection = self._connection or self._connect()
                if connection is None:
                    return None
                row = connection.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                return None
        return int(row[0])

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


class _Notices:
    """One listening PostgreSQL connection, counting the commit notifications it has taken in."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._connection: t.Any = None
        self._count = 0
        self._next_try = 0.0
        self._lock = threading.Lock()

    def count(self) -> int | None:
        """Notifications so far (a new connection counts as a change); ``None`` while not listening."""
        with self._lock:
            try:
                connection = self._connection or self._connect()
                if connection is None:
                    return None
                pgconn = connection.pgconn
                pgconn.consume_input()  # reads what the socket holds, never waits; raises once it is lost
                while pgconn.notifies() is not None:
                    self._count += 1
            except Exception:
                self._drop()
                return None
            return self._count

    def _connect(self) -> t.Any:
        now = time.monotonic()
        if now < self._next_try:
            return None
        self._next_try = now + 1.0
        import psycopg

        try:
            connection = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=2)
            connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            return None
        self._connection = connection
        self._count += 1  # whatever was committed while nobody listened
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


class ReadMemo:
    """Values loaded from the database, kept while the watch reports no commit.

    Bounded in entries, and each generation lives at most *max_age* seconds, so even a change
    the watch cannot see (a file swapped under the process) shows within that time. Requests
    that miss the same key together wait for one load instead of each loading it.
    """

    def __init__(self, watch: ChangeWatch, max_entries: int = 50_000, max_age: float = 10.0) -> None:
        self._watch = watch
        self._max_entries = max_entries
        self._max_age = max_age
        self._generation: int | None = None
        self._born = 0.0
        self._values: dict[Hashable, t.Any] = {}
        self._guard = threading.Lock()
        self._loading: dict[Hashable, threading.RLock] = {}

    def get(self, key: Hashable, load: Callable[[], V], keep: Callable[[V], bool] | None = None) -> V:
        """The value remembered for *key* in this generation, else ``load()``.

        A loaded value is remembered unless *keep* says otherwise (a key anyone can make up,
        such as a wrong token, need not take a place).
        """
        generation = self._watch.version()
        if generation is None:
            return load()
        now = time.monotonic()
        if generation != self._generation or now - self._born > self._max_age:
            # Read before loading: a commit landing meanwhile changes the number, so a value
            # loaded from older rows is never kept under a newer generation.
            self._values, self._loading = {}, {}
            self._generation, self._born = generation, now
        values = self._values
        if key in values:
            return t.cast(V, values[key])
        with self._guard:
            loading = self._loading.setdefault(key, threading.RLock())
        with loading:  # whoever got here first loads; the others find its value
            if key in values:
                return t.cast(V, values[key])
            value = load()
            if len(values) < self._max_entries and (keep is None or keep(value)):
                values[key] = value
        return value
