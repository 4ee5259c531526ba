"""Keeping the search index in step with the database through the outbox.

Every write that changes what search sees adds an :class:`OutboxEntry` in its own
transaction; :func:`drain` later pushes those products to the engine and deletes the
entries it delivered. Nothing is lost when the engine is down: the drain stops and every
entry stays as it was, so the next drain after the engine returns delivers them all at once.
Only a document the engine refuses is postponed, with a growing delay of its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from catalog.models import OutboxEntry
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.models import utcnow
from catalog.models.base import UTCDateTime
from catalog.services.index_reading import DOCUMENT_LOADS
from catalog.services.index_reading import ContextSource
from catalog.services.index_reading import Found
from catalog.services.index_reading import ReadAhead
from catalog.services.index_reading import ThumbnailLookup
from catalog.services.index_reading import document_context
from catalog.services.index_reading import document_for
from search import PreparesDocuments
from search import SearchDocument
from search import SearchEngine
from search import SearchError
from search import SearchUnavailable

log = logging.getLogger(__name__)
MAX_BACKOFF = dt.timedelta(minutes=10)


def enqueue(session: Session, product_id: int) -> None:
    """Record, in the caller's transaction, that *product_id* must be re-indexed."""
    session.add(OutboxEntry(product_id=product_id))
    session.info["outbox_written"] = True


def enqueue_many(session: Session, product_ids: t.Collection[int]) -> None:
    """Record, in the caller's transaction and one statement, that *product_ids* must be re-indexed."""
    if not product_ids:
        return
    now = utcnow()
    rows = [{"product_id": i, "created_at": now, "next_attempt_at": now, "attempts": 0} for i in product_ids]
    session.execute(sa.insert(OutboxEntry), rows)
    session.info["outbox_written"] = True


def enqueue_published(session: Session, which: sa.ColumnElement[bool]) -> None:
    """Record, in the caller's transaction, that every published product matching *which* must be re-indexed."""
    now = utcnow()
    chosen = sa.select(Product.id, sa.literal(now, UTCDateTime), sa.literal(now, UTCDateTime), sa.literal(0))
    chosen = chosen.where(Product.status == ProductStatus.PUBLISHED, which)
    columns = ["product_id", "created_at", "next_attempt_at", "attempts"]
    session.execute(sa.insert(OutboxEntry).from_select(columns, chosen))
    session.info["outbox_written"] = True


@dataclasses.dataclass
class DrainReport:
    """What a :func:`drain` did and what still waits."""

    indexed: int = 0
    deleted: int = 0
    #: Entries whose document the engine refused this time (each postponed on its own).
    failed: int = 0
    #: Entries still in the outbox when the drain ended (``None``: not counted).
    pending: int | None = None
    #: Why the drain stopped early: the engine failed as a whole (nothing was postponed).
    error: str | None = None
    #: The engine could not be reached, timed out or was not ready.
    unavailable: bool = False
    #: Products whose documents were read ahead in another process (``read_ahead``).
    read_ahead: int = 0


def backlog(session: Session) -> int:
    """How many outbox entries wait."""
    return int(session.scalar(sa.select(sa.func.count(OutboxEntry.id))) or 0)


def oldest_pending(session: Session) -> dt.datetime | None:
    """When the oldest waiting entry was written (the indexer's lag)."""
    return session.scalar(sa.select(sa.func.min(OutboxEntry.created_at)))


def waiting_reasons(session: Session, *, limit: int = 20) -> list[tuple[int, str]]:
    """``(product id, last error)`` of waiting entries the engine refused, oldest first."""
    rows = session.execute(
        sa.select(OutboxEntry.product_id, OutboxEntry.last_error)
        .where(OutboxEntry.last_error.is_not(None))
        .order_by(OutboxEntry.id)
        .limit(limit)
    )
    return [(int(pid), str(error)) for pid, error in rows]


def drain(
    sessions: sessionmaker[Session],
    engine: SearchEngine,
    *,
    batch: int = 500,
    thumbnails: ThumbnailLookup | None = None,
    now: t.Callable[[], dt.datetime] = utcnow,
    everything: bool = False,
    read_ahead: bool = False,
    context: ContextSource = document_context,
    count_pending: bool = True,
) -> DrainReport:
    """Deliver due outbox entries to *engine*, one batch per transaction, until none are left.

    Each entry is tried at most once per drain. A document the engine refuses is postponed
    with a growing delay; when the engine fails as a whole (unreachable, timing out, not
    ready, or refusing the request itself) the drain stops, sets :attr:`DrainReport.error`
    and leaves every entry as it was, so the next drain tries them all again.

    :param everything: deliver every waiting entry, due or not, and wait for a drain running
        elsewhere instead of leaving the work to it (a one-off ``tianshan search sync``).
    :param read_ahead: past a first full batch, read the next batch's products in a process
        of their own while this one writes (:class:`ReadAhead`), for a command that drains
        a large backlog.
    :param context: how a batch's rates, category names and refund rules are read (in its
        session by default; the read-ahead process always reads them there).
    :param count_pending: count what still waits (:attr:`DrainReport.pending`) once done.
    """
    report = DrainReport()
    after = 0
    prepare = engine.preparer() if read_ahead and isinstance(engine, PreparesDocuments) else None
    with ReadAhead(sessions, thumbnails, prepare, context) as reader:
        while True:
            with sessions() as session, session.begin():
                if not _take_drain_lock(session, wait=everything):
                    break
                due = session.scalars(_due(after, batch, everything, now)).all()
                if not due:
                    break
                after = due[-1].id
                found = reader.documents(session, _product_ids(due))
                if read_ahead and len(due) == batch:
                    reader.ahead(_product_ids(session.scalars(_due(after, batch, everything, now))))
                if not _deliver(session, engine, due, report, found, now, reader.prepared):
                    break
        report.read_ahead = reader.served
    if count_pending:
        with sessions() as session:
            report.pending = backlog(session)
    return report


def _due(
    after: int, batch: int, everything: bool, now: t.Callable[[], dt.datetime]
) -> sa.Select[OutboxEntry]:
    """The next *batch* entries past id *after*, due or (*everything*) not."""
    query = sa.select(OutboxEntry).where(OutboxEntry.id > after)
    if not everything:
        query = query.where(OutboxEntry.next_attempt_at <= now())
    return query.order_by(OutboxEntry.id).limit(batch)


def _product_ids(entries: t.Iterable[OutboxEntry]) -> list[int]:
    return sorted({entry.product_id for entry in entries})


def _take_drain_lock(session: Session, *, wait: bool = False) -> bool:
    """One drainer at a time, so an older version never overwrites a newer one in the index."""
    if session.get_bind().dialect.name == "postgresql":
        if wait:
            session.execute(sa.text("SELECT pg_advisory_xact_lock(7406)"))
            return True
        return bool(session.scalar(sa.text("SELECT pg_try_advisory_xact_lock(7406)")))
    return True  # SQLite writers are serialised by BEGIN IMMEDIATE


def _deliver(
    session: Session,
    engine: SearchEngine,
    due: t.Sequence[OutboxEntry],
    report: DrainReport,
    found: Found,
    now: t.Callable[[], dt.datetime],
    prepared: t.Any = None,
) -> bool:
    """Push one batch; ``False`` when the engine failed as a whole and the drain must stop.

    *prepared*: what the engine's preparer made of the batch's published documents, if anything.
    """
    docs = [doc for doc in found.values() if doc is not None]
    gone = [product_id for product_id, doc in found.items() if doc is None]
    failed: dict[int, str] = {}
    indexed = deleted = 0
    try:
        if docs:
            result = (
                engine.index(docs)
                if prepared is None
                else t.cast(PreparesDocuments, engine).index_prepared(prepared)
            )
            failed.update(dict(result.failed))
            indexed = result.indexed
        if gone:
            result = engine.delete(gone)
            failed.update(dict(result.failed))
            deleted = result.indexed
    except SearchError as exc:
        # the engine, not these documents, failed: postponing them would only delay them
        # once it is back, so they stay due and the next drain sends them again
        # (a document written twice is harmless: the index keeps the newest version)
        log.warning("search engine failed, %d changes wait for the next drain: %s", len(due), exc)
        report.error = str(exc)
        report.unavailable = isinstance(exc, SearchUnavailable)
        return False
    report.indexed += indexed
    report.deleted += deleted
    for entry in due:
        if entry.product_id in failed:
            _postpone(entry, failed[entry.product_id], now())
            report.failed += 1
        else:
            session.delete(entry)
    return True


def _postpone(entry: OutboxEntry, error: str, now: dt.datetime) -> None:
    entry.attempts += 1
    entry.last_error = error[:2000]
    entry.next_attempt_at = now + min(dt.timedelta(seconds=2 ** min(entry.attempts, 10)), MAX_BACKOFF)


def reindex_all(
    session: Session,
    engine: SearchEngine,
    *,
    progress: t.Callable[[int], None] | None = None,
    thumbnails: ThumbnailLookup | None = None,
    chunk: int = 1000,
) -> int:
    """Rebuild the engine's index from every published product; returns how many were loaded."""
    shared = document_context(session)

    def documents() -> t.Iterator[SearchDocument]:
        last = 0
        while True:
            page = session.scalars(
                sa.select(Product)
                .where(Product.status == ProductStatus.PUBLISHED, Product.id > last)
                .order_by(Product.id)
                .limit(chunk)
                .options(*DOCUMENT_LOADS)
            ).all()
            if not page:
                return
            thumbs = thumbnails(session, [p.id for p in page]) if thumbnails else {}
            for product in page:
                yield document_for(
                    product, shared.rates, thumbs.get(product.id), shared.categories, shared.refund_rules
                )
            last = page[-1].id
            session.expunge_all()

    report = engine.rebuild(documents(), progress=progress)
    return report.indexed


def published_versions(session: Session) -> dict[int, int]:
    """id → version of every published product (what the index should hold)."""
    rows = session.execute(
        sa.select(Product.id, Product.version).where(Product.status == ProductStatus.PUBLISHED)
    )
    return {int(pid): int(version) for pid, version in rows}
