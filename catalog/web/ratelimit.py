"""Limiting failed sign-ins per name and address, counted in the database every worker shares."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import typing as t

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from catalog.models import SigninFailure
from catalog.models import utcnow

#: Expired rows removed by each attempt, so the table stays small without a separate job.
PRUNE_BATCH = 100


class FailureLimiter:
    """Refuses a key once it has failed *limit* times within *window* seconds of its first failure.

    The counts live in ``signin_failures``, one row per key, so every worker process (and host)
    sees the same count: *limit* guesses in all, not per worker.

    An attempt is counted as a failure before its password is checked, in one atomic UPSERT,
    and forgiven by :meth:`reset` when it turns out right: guesses sent in parallel each get
    their own number and only the first *limit* are let through to the check.
    """

    def __init__(
        self, limit: int = 5, window: float = 300.0, clock: t.Callable[[], dt.datetime] = utcnow
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("the limit must be at least 1 and the window longer than 0 seconds")
        self.limit = limit
        self.window = dt.timedelta(seconds=window)
        self.clock = clock

    def attempt(self, session: Session, key: str) -> int:
        """Count an attempt of *key* and commit *session*; seconds to wait, 0 when it may go ahead.

        Call :meth:`reset` when the attempt succeeds.
        """
        now = self.clock()
        cutoff = now - self.window
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        new = insert(SigninFailure).values(key=_digest(key), failures=1, window_start=now)
        expired = SigninFailure.window_start <= cutoff
        started_afresh = new.excluded.window_start
        upsert = new.on_conflict_do_update(
            index_elements=[SigninFailure.key],
            set_={
                "failures": sa.case((expired, 1), else_=SigninFailure.failures + 1),
                "window_start": sa.case((expired, started_afresh), else_=SigninFailure.window_start),
            },
        ).returning(SigninFailure.failures, SigninFailure.window_start)
        failures, started = session.execute(upsert).one()
        self._prune(session, cutoff)
        session.commit()
        if failures <= self.limit:
            return 0
        return max(1, math.ceil((started + self.window - now).total_seconds()))

    def reset(self, session: Session, key: str) -> None:
        """Forget the failures of *key* (after it succeeded) and commit *session*."""
        forget = sa.delete(SigninFailure).where(SigninFailure.key == _digest(key))
        session.execute(forget, execution_options={"synchronize_session": False})
        session.commit()

    def _prune(self, session: Session, cutoff: dt.datetime) -> None:
        # After the UPSERT, and skipping rows other transactions hold: a prune never waits, so
        # two attempts cannot each hold a row the other one needs (PostgreSQL; SQLite has one writer).
        stale = (
            sa.select(SigninFailure.key)
            .where(SigninFailure.window_start <= cutoff)
            .limit(PRUNE_BATCH)
            .with_for_update(skip_locked=True)
        )
        prune = sa.delete(SigninFailure).where(SigninFailure.key.in_(stale.scalar_subquery()))
        session.execute(prune, execution_options={"synchronize_session": False})


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
