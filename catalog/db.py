"""The database: one SQLAlchemy engine per app, one session per app context."""

from __future__ import annotations

import functools
import json
import sqlite3
import time
import typing as t

import orjson
import sqlalchemy as sa
from flask import Flask
from flask import current_app
from flask import g
from flask import has_request_context
from flask import request
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from catalog.freshness import QUIET
from catalog.freshness import ChangeWatch
from catalog.freshness import announce_commits
from catalog.models import Base
from catalog.table_changes import track_tables


class Database:
    """Owns the engine and the session factory; state lives in ``app.extensions["db"]``."""

    def __init__(self, url: str, busy_timeout: float = 15.0) -> None:
        self.url = sa.make_url(url)
        self.engine = make_engine(url, busy_timeout)
        track_tables(self.engine, Base.metadata)
        announce_commits(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # On SQLite, transactions that will write take the write lock at BEGIN (IMMEDIATE):
        # two writers then queue instead of one failing halfway with "database is locked".
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self.write_sessions = sessionmaker(writer, expire_on_commit=False)
        # Counts are never read through a memo: writing them need not make every process reload.
        self.count_sessions = sessionmaker(writer.execution_options(**{QUIET: True}), expire_on_commit=False)
        self.watch = ChangeWatch(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def dispose(self) -> None:
        self.watch.close()
        self.engine.dispose()


def make_engine(url: str, busy_timeout: float = 15.0) -> sa.Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout on every connection.

    *busy_timeout* is how long a request waits for a lock (SQLite) or a connection before it
    gives up with a 503 rather than hanging.
    """
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(
            url,
            connect_args={"timeout": busy_timeout, "check_same_thread": False},
            json_serializer=json_text,
            json_deserializer=json_value,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", functools.partial(_sqlite_begin, busy_timeout=busy_timeout))
        return engine
    if parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg"))
    return sa.create_engine(
        url,
        json_serializer=json_text,
        json_deserializer=json_value,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_timeout=busy_timeout,
        connect_args={
            "connect_timeout": max(1, int(busy_timeout)),
            "options": f"-c lock_timeout={int(busy_timeout * 1000)}",
        },
    )


def json_text(value: t.Any) -> str:
    """What a JSON column stores: compact UTF-8 text, Cyrillic and Chinese without ``\\u`` escapes.

    Written by orjson, several times faster than :func:`json.dumps` on the small lists and
    maps the columns hold; like it, keys that are not strings are written as strings and a
    value JSON cannot hold (a decimal, a set) is refused with :class:`TypeError`.
    """
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def json_value(text: str | bytes) -> t.Any:
    """A JSON column's value read back; text only :mod:`json` accepts (``NaN``) still reads."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _sqlite_pragmas(dbapi_connection: t.Any, _record: t.Any) -> None:
    # Autocommit at the driver level, so that SQLAlchemy's "begin" event decides how a
    # transaction starts (pysqlite's own implicit BEGIN would defer the write lock).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: sa.Connection, busy_timeout: float) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    if mode == "IMMEDIATE":
        _begin_writing(connection, busy_timeout)
    else:
        connection.exec_driver_sql(f"BEGIN {mode}")


#: The longest pause between two tries for SQLite's write lock.
_LONGEST_PAUSE = 0.01


def _begin_writing(connection: sa.Connection, busy_timeout: float) -> None:
    """``BEGIN IMMEDIATE``, waiting for another writer in pauses that let the process's other work run.

    SQLite's own wait for a lock sleeps inside the library, which stops every greenlet of a
    gevent worker, its readers included, until the other process commits. Here each try fails
    at once when the lock is taken, and the wait between tries is a sleep that gevent (or the
    operating system, for threads) gives to someone else.
    """
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        pause, deadline = 0.0005, time.monotonic() + busy_timeout
        while time.monotonic() + pause < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode & 0xFF not in (
                    sqlite3.SQLITE_BUSY,
                    sqlite3.SQLITE_LOCKED,
                ):  # extended codes too
                    break
            time.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the last try; its failure is the usual error
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")


def init_app(app: Flask) -> None:
    """Attach the database to *app* and close each request's session at teardown."""
    app.extensions["db"] = Database(app.config["DATABASE_URL"], float(app.config["DATABASE_BUSY_TIMEOUT"]))
    app.teardown_appcontext(_close_session)


def get_db() -> Database:
    """The current app's :class:`Database`."""
    return t.cast(Database, current_app.extensions["db"])


def get_session() -> Session:
    """The session of the current app context, created on first use.

    Requests that may write (anything but GET, HEAD and OPTIONS) and work outside a request
    (the command line) get a session whose transactions take the write lock up front.
    """
    if "db_session" not in g:
        db = get_db()
        reading = has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")
        g.db_session = db.sessions() if reading else db.write_sessions()
    return t.cast(Session, g.db_session)


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
