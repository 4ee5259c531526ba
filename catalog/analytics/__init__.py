"""Analytics without personal data: the counter writer and the beacon limiter of one app.

Attached as ``app.extensions["analytics"]``; nothing starts in the factory (the writer's thread
starts with the first count and stops when it has nothing left to write).
"""

from __future__ import annotations

import contextlib
import typing as t

from flask import Flask
from flask import current_app
from flask import request
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.analytics.counters import CounterWriter
from catalog.analytics.limits import WindowLimiter
from catalog.db import Database
from catalog.db import get_db
from catalog.db import get_session
from catalog.errors import TooManyRequests


class Analytics:
    """The counters and the flood limit of one app."""

    def __init__(self, app: Flask, database: Database) -> None:
        self.writer = CounterWriter(database.count_sessions, float(app.config["ANALYTICS_FLUSH_SECONDS"]))
        self.beacons = WindowLimiter(int(app.config["ANALYTICS_BEACONS_PER_MINUTE"]), 60.0)


def init_app(app: Flask) -> None:
    """Attach the analytics (after the database)."""
    app.extensions["analytics"] = Analytics(app, app.extensions["db"])


def get_analytics() -> Analytics:
    """The current app's analytics."""
    return t.cast(Analytics, current_app.extensions["analytics"])


@contextlib.contextmanager
def beacon_session() -> t.Iterator[Session]:
    """A short read-only session for checking a beacon, closed before the answer is sent.

    A beacon is a POST, whose request session would take SQLite's write lock at its first read
    and keep it until the request ends; this one only reads, and holds nothing afterwards.
    """
    with get_db().sessions() as session:
        yield session


def admit_beacon() -> Analytics:
    """The analytics, once this client's beacon is within its limit; 429 with Retry-After when not."""
    analytics = get_analytics()
    wait = analytics.beacons.attempt(request.remote_addr or "")
    if wait:
        raise TooManyRequests(
            gettext("Too many beacons from this client; slow down."), headers={"Retry-After": str(wait)}
        )
    return analytics


def settled_session() -> Session:
    """The request's session, after this process's pending counts are written and its snapshot renewed.

    Other workers' counts arrive within ``ANALYTICS_FLUSH_SECONDS``.
    """
    get_analytics().writer.settle()
    session = get_session()
    session.commit()  # a read begun before the counts were written (the token check) would not see them
    return session
