"""A batched counter writer: requests add to counts in memory, a background thread adds them to the database.

A request only takes a lock and adds to a dictionary, so counting costs it microseconds and
never waits on the database. Every ``flush_seconds`` the pending counts are swapped out and
written in one transaction, one ``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`` per
row. Each worker process has its own writer; the additions are atomic in the database, so the
workers' counts add up exactly. A batch that fails to write is put back and tried again, and
the pending counts are written when the process exits (gunicorn stops its workers gracefully).
"""

from __future__ import annotations

import atexit
import dataclasses
import logging
import threading
import typing as t
import weakref

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Counter:
    """A table of counters: the columns that name a row, and the columns that count."""

    table: sa.Table
    #: Every column of the key, in order (primary key columns, then values set only on insert).
    keys: tuple[str, ...]
    #: The counting columns, in order.
    counts: tuple[str, ...]

    @property
    def conflict(self) -> list[str]:
        return [column.name for column in self.table.primary_key.columns]


Pending = dict[tuple[Counter, tuple[t.Any, ...]], list[int]]


class CounterWriter:
    """Pending counts of this process, written in batches off the request path."""

    def __init__(self, sessions: sessionmaker[Session], flush_seconds: float = 1.0) -> None:
        self.sessions = sessions
        self.flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._pending: Pending = {}
        self._running = False
        self._wake = threading.Event()
        self._flushing = threading.Lock()
        #: Rows written and batches that failed (and were put back), for the bench and the logs.
        self.written = 0
        self.failures = 0
        reference = weakref.ref(self)
        atexit.register(_flush_at_exit, reference)

    def add(self, counter: Counter, key: tuple[t.Any, ...], counts: t.Sequence[int]) -> None:
        """Add *counts* to the row of *counter* named by *key*."""
        with self._lock:
            slot = self._pending.get((counter, key))
            if slot is None:
                self._pending[(counter, key)] = list(counts)
            else:
                for i, value in enumerate(counts):
                    slot[i] += value
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="counter-writer", daemon=True).start()

    def pending(self) -> int:
        """Rows waiting to be written."""
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write every pending count now; the number of rows written (the counts go back on failure)."""
        with self._flushing:
            with self._lock:
                batch, self._pending = self._pending, {}
            if not batch:
                return 0
            try:
                self._write(batch)
            except Exception:
                self.failures += 1
                self._put_back(batch)
                raise
            self.written += len(batch)
            return len(batch)

    def _write(self, batch: Pending) -> None:
        by_counter: dict[Counter, list[tuple[tuple[t.Any, ...], list[int]]]] = {}
        for (counter, key), counts in batch.items():
            by_counter.setdefault(counter, []).append((key, counts))
        with self.sessions() as session:
            insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
            for counter, rows in sorted(by_counter.items(), key=lambda item: item[0].table.name):
                # Rows in key order: two workers writing the same rows lock them in the same order.
                rows.sort(key=lambda row: tuple(str(part) for part in row[0]))
                statement = insert(counter.table)
                statement = statement.on_conflict_do_update(
                    index_elements=counter.conflict,
                    set_={name: counter.table.c[name] + statement.excluded[name] for name in counter.counts},
                )
                values = [
                    {
                        **dict(zip(counter.keys, key, strict=True)),
                        **dict(zip(counter.counts, counts, strict=True)),
                    }
                    for key, counts in rows
                ]
                session.execute(statement, values)
            session.commit()

    def _put_back(self, batch: Pending) -> None:
        with self._lock:
            for slot_key, counts in batch.items():
                slot = self._pending.get(slot_key)
                if slot is None:
                    self._pending[slot_key] = counts
                else:
                    for i, value in enumerate(counts):
                        slot[i] += value

    def _run(self) -> None:
        while True:
            self._wake.wait(self.flush_seconds)
            self._wake.clear()
            try:
                self.flush()
            except Exception as exc:  # the counts were put back; the next round tries again
                log.warning("analytics counts not written yet: %s", exc)
            with self._lock:
                if not self._pending:
                    self._running = False
                    return

    def settle(self) -> bool:
        """Write what is pending before a report is read; whether it was written (else it stays pending)."""
        try:
            self.flush()
        except Exception as exc:
            log.warning("analytics counts not written yet: %s", exc)
            return False
        return True

    def discard(self) -> int:
        """Forget what is pending, for a database that is gone; the number of rows forgotten."""
        with self._lock:
            forgotten, self._pending = len(self._pending), {}
        return forgotten

    def close(self) -> None:
        """Write what is pending, at exit."""
        if not self.settle():
            log.error("analytics counts of %d rows lost at exit", self.pending())


def _flush_at_exit(reference: weakref.ref[CounterWriter]) -> None:
    writer = reference()
    if writer is not None:
        writer.close()
