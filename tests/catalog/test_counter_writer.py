"""The batched counter writer: what it holds, writes and forgets."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Flask

from catalog.models import SearchCount
from catalog.services.search_analytics import SEARCHES

HOUR = dt.datetime(2026, 12, 2, 18, tzinfo=dt.UTC)


def _searches(app: Flask) -> int:
    with app.extensions["db"].sessions() as session:
        return int(session.scalar(sa.select(sa.func.coalesce(sa.func.sum(SearchCount.searches), 0))) or 0)


def test_counts_added_twice_to_one_row_are_written_as_their_sum(app: Flask) -> None:
    writer = app.extensions["analytics"].writer
    writer.add(SEARCHES, (HOUR, "ru", "мёд", "Cyrl"), (1, 0, 12, 800))
    writer.add(SEARCHES, (HOUR, "ru", "мёд", "Cyrl"), (2, 1, 0, 200))
    assert writer.pending() == 1
    assert writer.flush() == 1
    assert _searches(app) == 3


def test_discarded_counts_are_never_written(app: Flask) -> None:
    writer = app.extensions["analytics"].writer
    writer.add(SEARCHES, (HOUR, "kk", "бал", "Cyrl"), (1, 0, 3, 100))
    writer.add(SEARCHES, (HOUR, "en", "honey", "Latn"), (1, 0, 3, 100))
    assert writer.discard() == 2
    assert writer.pending() == 0
    assert writer.flush() == 0
    assert _searches(app) == 0
