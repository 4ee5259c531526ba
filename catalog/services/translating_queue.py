"""The translators' queue (what needs work, most urgent first) and per-locale progress counts."""

from __future__ import annotations

import dataclasses
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased

from catalog.models import Booth
from catalog.models import Category
from catalog.models import LineupItem
from catalog.models import Product
from catalog.models import ProductContent
from catalog.models import ProductStatus
from catalog.models import StreamMove
from catalog.services.categories import subtree_ids
from catalog.services.translating import current_revisions
from catalog.services.translating import source_listing
from catalog.services.translating import status_of
from catalog.services.translating_checks import listing_checks
from catalog.validation import CONTENT_LOCALES
from translations import STATE_PRIORITY
from translations import ListingStatus
from translations import ListingText
from translations import diff_html
from translations import word_diff

STATES = ("stale", "missing", "draft", "reviewed")
#: What the queue lists unless asked otherwise: everything not yet reviewed.
NEEDS_WORK = ("stale", "missing", "draft")


def attention() -> sa.Subquery:
    """How often each product was put on air: the queue's second key after urgency.

    This is the seam for demand signals: a count of searches that showed the product can
    be added here as another summed column once search keeps one.
    """
    return (
        sa.select(StreamMove.product_id.label("product_id"), sa.func.count().label("shown"))
        .where(StreamMove.product_id.is_not(None))
        .group_by(StreamMove.product_id)
        .subquery("attention")
    )


#: How many texts one page of a queue filtered by a check may run the checks on.
CHECK_SCAN_LIMIT = 400


@dataclasses.dataclass(frozen=True)
class QueueFilter:
    locale: str
    states: tuple[str, ...] = NEEDS_WORK
    category: str | None = None
    booth: str | None = None  # a booth's slug
    stream: int | None = None  # products on this show's run-sheet
    check: str | None = None  # texts failing this quality check

    def key(self) -> list[t.Any]:
        """The filters, as a cursor remembers them."""
        return [self.locale, list(self.states), self.category, self.booth, self.stream, self.check]


@dataclasses.dataclass(frozen=True)
class QueueItem:
    product: Product
    state: str
    shown: int
    status: ListingStatus
    source_diff: dict[str, dict[str, t.Any]] | None
    revision: int | None

    def key(self) -> list[int]:
        """The position of this item in the queue order, for the next page's cursor."""
        return [STATE_PRIORITY[self.state], -self.shown, self.product.id]


@dataclasses.dataclass(frozen=True)
class _Translatable:
    """Products that need a text in one locale, with the expressions the queue sorts by."""

    select: sa.Select[t.Any]
    state: sa.ColumnElement[str]
    priority: sa.ColumnElement[int]
    shown: sa.ColumnElement[int]


def _translatable(
    session: Session, locale: str, category: str | None, *columns: t.Any, query: QueueFilter | None = None
) -> _Translatable:
    """Products not archived and written in another locale than *locale*, joined to that text
    (and, with *query*, only those of its booth and show)."""
    content = aliased(ProductContent)
    seen = attention()
    state = sa.func.coalesce(content.state, "missing")
    priority = sa.case(*((state == name, rank) for name, rank in STATE_PRIORITY.items()), else_=9)
    shown = sa.func.coalesce(seen.c.shown, 0)
    stmt = (
        sa.select(*columns)
        .select_from(Product)
        .outerjoin(content, sa.and_(content.product_id == Product.id, content.locale == locale))
        .outerjoin(seen, seen.c.product_id == Product.id)
        .where(Product.source_locale != locale, Product.status != ProductStatus.ARCHIVED)
    )
    if category:
        stmt = stmt.where(Product.category_id.in_(subtree_ids(session, category)))
    if query is not None and query.booth:
        stmt = stmt.where(Product.booth_id.in_(sa.select(Booth.id).where(Booth.slug == query.booth)))
    if query is not None and query.stream is not None:
        on_show = sa.select(LineupItem.product_id).where(LineupItem.stream_id == query.stream)
        stmt = stmt.where(Product.id.in_(on_show))
    return _Translatable(stmt, state, priority, shown)


def queue_page(
    session: Session, query: QueueFilter, after: t.Sequence[int] | None, limit: int
) -> list[QueueItem]:
    """A page of the queue: stale and missing first, then the products most often on air."""
    base = _translatable(session, query.locale, query.category, query=query)
    neg_shown = 0 - base.shown
    stmt = (
        base.select.add_columns(Product, base.state, base.shown)
        .where(base.state.in_(query.states))
        .order_by(base.priority, neg_shown, Product.id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(sa.tuple_(base.priority, neg_shown, Product.id) > sa.tuple_(*after))
    rows = session.execute(stmt).all()
    revisions = current_revisions(session, [row[0].id for row in rows], query.locale)
    items = []
    for found, state, shown in rows:
        revision = revisions.get((found.id, query.locale))
        status = status_of(found, query.locale, revision)
        diff = None
        if status.state == "stale" and revision is not None and revision.source_text is not None:
            diff = source_diff(revision.source_text, source_listing(found), status)
        items.append(QueueItem(found, state, int(shown), status, diff, revision.number if revision else None))
    return items


def queue_scan(
    session: Session, query: QueueFilter, after: t.Sequence[int] | None, limit: int
) -> tuple[list[QueueItem], list[int] | None]:
    """A page of the queue and where the next one starts (None at the end).

    Filtered by a check, the checks run on the texts in queue order until the page is full or
    :data:`CHECK_SCAN_LIMIT` texts were looked at; the next page goes on from there.
    """
    if query.check is None:
        page = queue_page(session, query, after, limit + 1)
        return page[:limit], page[limit - 1].key() if len(page) > limit else None
    found: list[QueueItem] = []
    scanned = 0
    while scanned < CHECK_SCAN_LIMIT:
        size = min(100, CHECK_SCAN_LIMIT - scanned)
        batch = queue_page(session, query, after, size)
        for item in batch:
            scanned += 1
            after = item.key()
            if _fails(session, item.product, query.locale, query.check):
                found.append(item)
                if len(found) == limit:
                    return found, after
        if len(batch) < size:
            return found, None
    return found, list(after) if after is not None else None


def _fails(session: Session, product: Product, locale: str, check: str) -> bool:
    return any(
        finding.check == check
        for field in listing_checks(session, product, locale)
        for finding in field.findings
    )


def _field_text(value: t.Any) -> str:
    return "\n".join(value) if isinstance(value, list | tuple) else str(value or "")


def source_diff(
    then: t.Mapping[str, t.Any], now: ListingText, status: ListingStatus
) -> dict[str, dict[str, t.Any]]:
    """Word diffs, per stale field, from the source a translation was made from to today's."""
    out: dict[str, dict[str, t.Any]] = {}
    for field, state in status.fields.items():
        if state != "stale":
            continue
        segments = word_diff(_field_text(then.get(field)), _field_text(getattr(now, field)))
        out[field] = {"segments": [list(s) for s in segments], "html": diff_html(segments)}
    return out


def progress(session: Session, category: str | None = None) -> dict[str, t.Any]:
    """Counts of texts per locale and state, overall and per category."""
    locales: dict[str, dict[str, int]] = {}
    categories: dict[str, dict[str, dict[str, int]]] = {}
    for locale in CONTENT_LOCALES:
        base = _translatable(session, locale, category)
        rows = session.execute(
            base.select.add_columns(Category.path, base.state, sa.func.count())
            .join(Category, Category.id == Product.category_id)
            .group_by(Category.path, base.state)
        )
        totals = locales.setdefault(locale, _empty_counts())
        for path, state, count in rows:
            per = categories.setdefault(path, {}).setdefault(locale, _empty_counts())
            for counts in (totals, per):
                counts[state] = counts.get(state, 0) + int(count)
                counts["total"] += int(count)
    return {
        "locales": {loc: _with_share(c) for loc, c in locales.items()},
        "categories": [
            {"category": path, "locales": {loc: _with_share(c) for loc, c in per.items()}}
            for path, per in sorted(categories.items())
        ],
    }


def _empty_counts() -> dict[str, int]:
    return {state: 0 for state in STATES} | {"total": 0}


def _with_share(counts: dict[str, int]) -> dict[str, t.Any]:
    total = counts["total"]
    done = counts.get("reviewed", 0) + counts.get("draft", 0)
    return {**counts, "translated_share": round(done / total, 4) if total else 1.0}
