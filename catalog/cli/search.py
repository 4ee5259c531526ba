"""``tianshan search``: rebuild, sync, check and inspect the search index."""

from __future__ import annotations

import time

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from catalog.db import get_db
from catalog.db import get_session
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.searching import get_search
from catalog.services import indexing
from search import SearchError

search_cli = AppGroup("search", help="Manage the search index.")


def _thumbnails() -> indexing.ThumbnailLookup | None:
    from flask import current_app

    return current_app.extensions.get("thumbnails")


@search_cli.command("reindex")
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
    """Deliver waiting outbox changes to the search engine."""
    while True:
        try:
            report = indexing.drain(get_db().write_sessions, get_search().engine, thumbnails=_thumbnails())
        except SearchError as exc:  # no engine to drain to: every change still waits
            with get_db().write_sessions() as session:
                report = indexing.DrainReport(error=str(exc), pending=indexing.backlog(session))
        if report.indexed or report.deleted or report.failed or not follow:
            click.echo(
                f"indexed {report.indexed}, removed {report.deleted}, failed {report.failed}, "
                f"waiting {report.pending}" + (f" (engine: {report.error})" if report.error else "")
            )
        if not follow:
            if report.error:
                raise SystemExit(1)
            return
        time.sleep(interval)


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
