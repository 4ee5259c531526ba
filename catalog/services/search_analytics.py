"""Search analytics: each search and each click on a result counted per hour, query and locale.

Nothing names the reader: a count is keyed by the hour, the reading locale and the query as
typed (normalized), never by a user or an address. The staff read which queries are most asked,
which find nothing, and which find results that nobody opens.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t
import unicodedata

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.analytics.counters import Counter
from catalog.analytics.counters import CounterWriter
from catalog.domain_errors import Invalid
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.models import SearchClickCount
from catalog.models import SearchCount
from catalog.models.analytics import QUERY_LENGTH

SEARCHES = Counter(
    t.cast(sa.Table, SearchCount.__table__),
    ("hour", "locale", "query", "script"),
    ("searches", "zero_results", "results", "engine_micros"),
)
CLICKS = Counter(
    t.cast(sa.Table, SearchClickCount.__table__), ("hour", "locale", "query", "position"), ("clicks",)
)
#: The deepest result a click may come from (five full pages of the largest page size).
MAX_POSITION = 500
#: Queries listed per group in a report, unless asked for fewer.
REPORT_LIMIT = 20


def normalize_query(text: str) -> str:
    """The query as counted: NFKC, case-folded, spaces collapsed, at most 200 characters."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())[:QUERY_LENGTH]


def query_script(text: str) -> str:
    """The script the query's letters are written in: ``Cyrl``, ``Latn``, ``Hani``, ``mixed`` or ``none``."""
    found = set()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("CYRILLIC"):
            found.add("Cyrl")
        elif name.startswith("LATIN"):
            found.add("Latn")
        elif name.startswith("CJK"):
            found.add("Hani")
        else:
            found.add("other")
    if not found:
        return "none"
    return found.pop() if len(found) == 1 else "mixed"


def hour_of(moment: dt.datetime) -> dt.datetime:
    """The start of *moment*'s hour (UTC)."""
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def record_search(
    writer: CounterWriter, *, text: str, locale: str, total: int, engine_seconds: float, now: dt.datetime
) -> None:
    """Count one search of *text* (a query of only spaces is not counted)."""
    query = normalize_query(text)
    if not query:
        return
    counts = (1, 1 if total == 0 else 0, total, round(engine_seconds * 1_000_000))
    writer.add(SEARCHES, (hour_of(now), locale, query, query_script(query)), counts)


def record_click(
    session: Session,
    writer: CounterWriter,
    *,
    text: str,
    locale: str,
    position: int,
    product_id: int,
    now: dt.datetime,
) -> None:
    """Count a click on the result at *position*; :class:`Invalid` for an empty query or an unknown product."""
    query = normalize_query(text)
    if not query:
        raise Invalid.field("q", gettext("A click belongs to a search: send the query that was searched."))
    status = session.scalar(sa.select(Product.status).where(Product.id == product_id))
    if status is not ProductStatus.PUBLISHED:
        raise Invalid.field(
            "product_id", gettext("There is no product %(id)s among search results.", id=product_id)
        )
    writer.add(CLICKS, (hour_of(now), locale, query, position), (1,))


@dataclasses.dataclass(frozen=True)
class QueryStats:
    """One query in one locale over the report's hours."""

    query: str
    locale: str
    script: str
    searches: int
    zero_results: int
    results: int
    engine_micros: int
    clicks: int

    @property
    def answered(self) -> int:
        """Searches that found something (only those can be clicked)."""
        return self.searches - self.zero_results

    @property
    def click_through(self) -> float | None:
        return round(self.clicks / self.answered, 4) if self.answered else None

    def as_json(self) -> dict[str, t.Any]:
        return {
            "query": self.query,
            "locale": self.locale,
            "script": self.script,
            "searches": self.searches,
            "zero_results": self.zero_results,
            "clicks": self.clicks,
            "click_through": self.click_through,
            "average_results": round(self.results / self.searches, 1) if self.searches else 0,
            "average_engine_ms": round(self.engine_micros / self.searches / 1000, 2) if self.searches else 0,
        }


def query_stats(
    session: Session, start: dt.datetime, end: dt.datetime, locale: str | None
) -> list[QueryStats]:
    """Every query searched in [*start*, *end*) (by hour), in *locale* or in any."""
    searches = sa.select(
        SearchCount.query,
        SearchCount.locale,
        sa.func.max(SearchCount.script).label("script"),
        sa.func.sum(SearchCount.searches).label("searches"),
        sa.func.sum(SearchCount.zero_results).label("zero_results"),
        sa.func.sum(SearchCount.results).label("results"),
        sa.func.sum(SearchCount.engine_micros).label("engine_micros"),
    ).where(SearchCount.hour >= hour_of(start), SearchCount.hour < end)
    clicks = sa.select(
        SearchClickCount.query, SearchClickCount.locale, sa.func.sum(SearchClickCount.clicks).label("clicks")
    ).where(SearchClickCount.hour >= hour_of(start), SearchClickCount.hour < end)
    if locale is not None:
        searches = searches.where(SearchCount.locale == locale)
        clicks = clicks.where(SearchClickCount.locale == locale)
    s = searches.group_by(SearchCount.query, SearchCount.locale).subquery()
    c = clicks.group_by(SearchClickCount.query, SearchClickCount.locale).subquery()
    rows = session.execute(
        sa.select(s, sa.func.coalesce(c.c.clicks, 0)).outerjoin(
            c, sa.and_(c.c.query == s.c.query, c.c.locale == s.c.locale)
        )
    )
    return [
        QueryStats(row[0], row[1], row[2], int(row[3]), int(row[4]), int(row[5]), int(row[6]), int(row[7]))
        for row in rows
    ]


def report(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    locale: str | None,
    *,
    limit: int = REPORT_LIMIT,
    min_searches: int = 5,
) -> dict[str, t.Any]:
    """Top queries, queries that found nothing, and answered queries whose results are seldom opened."""
    if end <= start:
        raise Invalid.field("to", gettext("The end of the period must come after its start."))
    stats = query_stats(session, start, end, locale)
    top = sorted(stats, key=lambda s: (-s.searches, s.query, s.locale))
    zero = sorted((s for s in stats if s.zero_results), key=lambda s: (-s.zero_results, s.query, s.locale))
    low = sorted(
        (s for s in stats if s.answered >= min_searches),
        key=lambda s: (s.clicks / s.answered, -s.answered, s.query, s.locale),
    )
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "locale": locale,
        "searches": sum(s.searches for s in stats),
        "clicks": sum(s.clicks for s in stats),
        "top_queries": [s.as_json() for s in top[:limit]],
        "zero_result_queries": [s.as_json() for s in zero[:limit]],
        "low_click_through_queries": [s.as_json() for s in low[:limit]],
    }
