"""Knowing cheaply whether the database changed, to reuse what was last read from it.

On SQLite, ``PRAGMA data_version`` asked on a connection kept for the purpose changes whenever
any other connection, of this process or of another, commits; asking costs microseconds and
reads no page. Hot stamps (a product's version and the rates fingerprint, the cursor on air)
are remembered until it changes, so a cached read touches no session at all. Other databases
give no such signal: there the memo always reads through.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import typing as t
from collections.abc import Callable
from collections.abc import Hashable
from pathlib import Path

import sqlalchemy as sa

V = t.TypeVar("V")


class ChangeWatch:
    """Reports a number that changes whenever anything is committed to the database."""

    def __init__(self, url: sa.URL) -> None:
        database = url.database or ""
        watchable = url.get_backend_name() == "sqlite" and database not in ("", ":memory:")
        self._path = database if watchable else None
        self._connection: sqlite3.Connection | None = None
        self._next_try = 0.0
        self._lock = threading.Lock()

    def version(self) -> int | None:
        """The database's change count as this watch sees it; ``None`` when unknown."""
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
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class ReadMemo:
    """Values loaded from the database, kept while the watch reports no commit.

    Bounded in entries, and each generation lives at most *max_age* seconds, so even a change
    the watch cannot see (a file swapped under the process) shows within that time.
    """

    def __init__(self, watch: ChangeWatch, max_entries: int = 50_000, max_age: float = 10.0) -> None:
        self._watch = watch
        self._max_entries = max_entries
        self._max_age = max_age
        self._generation: int | None = None
        self._born = 0.0
        self._values: dict[Hashable, t.Any] = {}

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        """The value remembered for *key* in this generation, else ``load()`` (remembered)."""
        generation = self._watch.version()
        if generation is None:
            return load()
        now = time.monotonic()
        if generation != self._generation or now - self._born > self._max_age:
            # Read before loading: a commit landing meanwhile changes the number, so a value
            # loaded from older rows is never kept under a newer generation.
            self._values = {}
            self._generation, self._born = generation, now
        values = self._values
        if key in values:
            return t.cast(V, values[key])
        value = load()
        if len(values) < self._max_entries:
            values[key] = value
        return value
