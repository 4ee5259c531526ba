"""``tianshan search``: rebuild, sync, check and inspect the search index."""

from __future__ import annotations

import time

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from catalog.cli.bulk import bulk_command
from catalog.db import get_db
from catalog.db import get_session
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.searching import get_search
from catalog.services import indexing
from catalog.services.index_reading import ThumbnailLookup
from search import SearchError
from search import SearchUnavailable

search_cli = AppGroup("search", help="Manage the search index.")

#: Seconds ``search sync --follow`` waits after the engine failed as a whole, doubling up to
#: :data:`FOLLOW_BACKOFF_MAX` while it stays down.
FOLLOW_BACKOFF_FIRST = 1.0
FOLLOW_BACKOFF_MAX = 30.0
#: Refused changes a one-off sync lists with their reasons.
REASONS_SHOWN = 20


def _thumbnails() -> ThumbnailLookup | None:
    from flask import current_app

    return current_app.extensions.get("thumbnails")


@search_cli.command("reindex")
@bulk_command
def reindex_command() -> None:
    """Rebuild the index from the database into a new index and swap it in."""
    session = get_session()
    total = (
        session.scalar(sa.select(sa.func.count(Product.id)).where(Product.status == ProductStatus.PUBLISHED))
        or 0
    )
    engine = get_search().engine
    with click.progressbar(length=total, label="Indexing products", show_pos=True) as bar:
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            bar.update(count - done)
            done = count

        try:
            loaded = indexing.reindex_all(session, engine, progress=advance, thumbnails=_thumbnails())
        except SearchError as exc:
            raise click.ClickException(f"reindex failed, the old index stays live: {exc}") from exc
    click.echo(f"Indexed {loaded} published products into {engine.name}; the new index is live.")


@search_cli.command("sync")
@click.option("--follow", is_flag=True, help="Keep delivering changes as they come (a worker).")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between polls with --follow.")
def sync_command(follow: bool, interval: float) -> None:
    """Deliver waiting outbox changes to the search engine.

    Once, every waiting change is sent now, whatever its retry time, and the command fails if
    the engine cannot be reached. With ``--follow`` it keeps polling, leaves refused changes
    to their retry times, and while the engine is down tries again after 1 s, doubling up to
    30 s.
    """
    if not follow:
        report = _sync(everything=True)
        _echo(report)
        if report.error:
            raise SystemExit(1)
        return
    backoff = FOLLOW_BACKOFF_FIRST
    last_error: str | None = None
    while True:
        report = _sync(everything=False)
        if report.indexed or report.deleted or report.failed or report.error != last_error:
            _echo(report, reasons=False)
        last_error = report.error
        if report.error:
            time.sleep(backoff)
            backoff = min(backoff * 2, FOLLOW_BACKOFF_MAX)
        else:
            backoff = FOLLOW_BACKOFF_FIRST
            time.sleep(interval)


def _sync(*, everything: bool) -> indexing.DrainReport:
    """One drain of the outbox; an engine that cannot even be set up counts as down."""
    try:
        return indexing.drain(
            get_db().write_sessions,
            get_search().engine,
            thumbnails=_thumbnails(),
            everything=everything,
            read_ahead=True,
        )
    except SearchError as exc:  # no engine to drain to: every change still waits
        with get_db().write_sessions() as session:
            return indexing.DrainReport(
                error=str(exc),
                unavailable=isinstance(exc, SearchUnavailable),
                pending=indexing.backlog(session),
            )


def _echo(report: indexing.DrainReport, *, reasons: bool = True) -> None:
    """Print the counts, then why changes still wait."""
    click.echo(
        f"indexed {report.indexed}, removed {report.deleted}, failed {report.failed}, waiting {report.pending}"
        + (f" (engine: {report.error})" if report.error else "")
    )
    if report.error:
        state = "unavailable" if report.unavailable else "refused the request"
        click.echo(f"The search engine is {state}: no change was postponed, the next sync sends them all.")
    if not reasons or not report.pending:
        return
    refused = indexing.waiting_reasons(get_session(), limit=REASONS_SHOWN + 1)
    for product_id, error in refused[:REASONS_SHOWN]:
        click.echo(f"  product {product_id} refused by the engine: {error}")
    if len(refused) > REASONS_SHOWN:
        click.echo(f"  … and more ({report.pending} changes wait in all)")


@search_cli.command("check")
def check_command() -> None:
    """Compare the database with the index and report drift."""
    expected = indexing.published_versions(get_session())
    try:
        actual = get_search().engine.indexed_versions()
    except SearchError as exc:
        raise click.ClickException(f"the search engine is unavailable: {exc}") from exc
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    stale = sorted(i for i in set(expected) & set(actual) if expected[i] != actual[i])
    click.echo(f"database: {len(expected)} published; index: {len(actual)} documents")
    for label, ids in (
        ("missing from the index", missing),
        ("in the index but not published", extra),
        ("indexed at an older version", stale),
    ):
        if ids:
            shown = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
            click.echo(f"{len(ids)} {label}: {shown}")
    if missing or extra or stale:
        click.echo("Run `tianshan search sync` (or `tianshan search reindex`) to repair.")
        raise SystemExit(1)
    click.echo("No drift.")


@search_cli.command("status")
def status_command() -> None:
    """Engine, version, document count, outbox length and lag."""
    session = get_session()
    ext = get_search()
    click.echo(f"url: {ext.url}")
    try:
        health = ext.engine.health()
        click.echo(f"engine: {health.engine} {health.version or ''}".rstrip())
        click.echo(f"healthy: {'yes' if health.ok else 'no'} ({health.detail})")
        click.echo(f"documents: {health.documents}")
    except SearchError as exc:
        click.echo(f"engine unavailable: {exc}")
    click.echo(f"outbox: {indexing.backlog(session)} waiting")
    oldest = indexing.oldest_pending(session)
    if oldest is not None:
        from catalog.models import utcnow

        click.echo(f"lag: {(utcnow() - oldest).total_seconds():.1f} s")
