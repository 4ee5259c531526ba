"""Per-process caches of rendered results, keyed by everything the result depends on.

Hot reads (a product page, the card on air) are served from here: the key carries the
product's version, so a change makes a new key and the old entry simply ages out. The stamps
that make the keys are remembered until a table they were read from changes (:mod:`catalog.freshness`).
"""

from __future__ import annotations

import typing as t
from collections.abc import Callable
from collections.abc import Hashable

from flask import Flask
from flask import current_app
from sqlalchemy.orm import Session

from catalog.db import get_db
from catalog.freshness import ReadMemo
from catalog.services import index_reading
from catalog.services.index_reading import DocumentContext
from catalog.services.pricing import RateValues
from catalog.services.pricing import rate_values
from media import RenderCache

V = t.TypeVar("V")


def init_app(app: Flask) -> None:
    """Attach the rendered-JSON cache and the memo of stamps (after the database)."""
    app.extensions["json_cache"] = RenderCache(
        max_entries=int(app.config["JSON_CACHE_ENTRIES"]), max_bytes=64 * 1024 * 1024
    )
    app.extensions["read_memo"] = ReadMemo(app.extensions["db"].watch)


def json_cache() -> RenderCache:
    """The current app's cache of rendered JSON bodies."""
    return t.cast(RenderCache, current_app.extensions["json_cache"])


def read_memo() -> ReadMemo:
    """The current app's memo of stamps read from the database."""
    return t.cast(ReadMemo, current_app.extensions["read_memo"])


def remembered(
    key: Hashable,
    load: Callable[[Session], V],
    keep: Callable[[V], bool] | None = None,
    confirm: bool = False,
) -> V:
    """The memo's value for *key*, else ``load(session)`` in a session of its own.

    The memo reads the tables' change counts before loading, so that a value read before a
    commit is never kept as newer. A request's session may have begun reading earlier, and
    its snapshot with it: the session here begins after the count was read. *confirm*: see
    :meth:`catalog.freshness.ReadMemo.get`.
    """

    def fresh() -> V:
        with get_db().sessions() as session:
            return load(session)

    return read_memo().get(key, fresh, keep, confirm)


def current_rates() -> t.Mapping[str, RateValues]:
    """The exchange rates by currency, read again only once their table has changed."""
    return remembered(("rates",), rate_values)


def remembered_document_context(session: Session) -> DocumentContext:
    """What search documents are built with besides their products (rates, category names, refund
    rules), read again only once one of their tables has changed.

    Read in the drain's own *session*, whose transaction holds SQLite's write lock (a second
    connection could wait for the pool while every writer holds one, waiting for that lock); its
    queries all run, as it holds only outbox entries and products. On PostgreSQL the session
    reads committed rows, so rows read after the confirmed counts are at least as new as they.
    A change made outside the app, which the counts miss, shows once the value is
    :attr:`catalog.freshness.ReadMemo` ``max_age`` old: documents synced before then keep the
    rules read earlier until a reindex.
    """
    return read_memo().get(
        ("document context",), lambda: index_reading.document_context(session), confirm=True
    )
