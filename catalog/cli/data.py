"""``tianshan demo``, ``tianshan import products`` and ``tianshan export products``."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from flask.cli import with_appcontext
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from catalog.cli.bulk import bulk_command
from catalog.db import get_db
from catalog.db import get_session
from catalog.live import get_live
from catalog.models import Product
from catalog.models import utcnow
from catalog.presenting.sheets import SheetError
from catalog.presenting.sheets import product_to_row
from catalog.presenting.sheets import write_rows
from catalog.searching import get_search
from catalog.services import demo
from catalog.services import demo_show
from catalog.services import importer
from catalog.services import indexing
from catalog.services.images import thumbnail_urls
from search import SearchError

import_cli = AppGroup("import", help="Import data from files.")
export_cli = AppGroup("export", help="Export data to files.")


def _sync_search() -> None:
    get_session().close()  # end this command's transaction before the indexer takes the write lock
    try:
        report = indexing.drain(
            get_db().write_sessions, get_search().engine, thumbnails=thumbnail_urls, read_ahead=True
        )
        click.echo(f"Search index: {report.indexed} indexed, {report.pending} waiting.")
    except SearchError as exc:
        click.echo(f"Search index not updated now ({exc}); `tianshan search sync` delivers the changes.")


@click.command("demo")
@click.option(
    "--pictures/--no-pictures", default=True, show_default=True, help="Draw a picture for each product."
)
@with_appcontext
def demo_command(pictures: bool) -> None:
    """Load the demo catalog (running it again adds nothing twice)."""
    session = get_session()
    total = len(demo.demo_products())
    with click.progressbar(length=total, label="Loading demo products", show_pos=True) as bar:
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            bar.update(count - done)
            done = count

        report = demo.load_demo(session, progress=advance)
    session.commit()
    if pictures:
        ids = list(session.scalars(sa.select(Product.id).order_by(Product.id)))
        with click.progressbar(length=len(ids), label="Drawing demo pictures", show_pos=True) as bar:
            drawn = 0

            def drew(count: int) -> None:
                nonlocal drawn
                bar.update(count - drawn)
                drawn = count

            demo.add_demo_pictures(session, current_app.config["MEDIA_URL"], ids, progress=drew)
        session.commit()
    counts = demo.counts(session)
    click.echo(
        f"Demo catalog: {report.created} products added ({report.existing} were there already); "
        f"{counts['products']} products, {counts['categories']} categories, {counts['booths']} booths."
    )
    _demo_show()
    _sync_search()


def demo_password(secret: str) -> str:
    """The demo host's password, the same on every run for one secret key (so it can be shown again)."""
    return "demo-" + hmac.new(secret.encode(), b"tianshan demo host", hashlib.sha256).hexdigest()[:16]


def _demo_show() -> None:
    """Add the demo host and streams, then say how to sign in and where the show is."""
    session = get_session()
    live = get_live()
    shows = demo_show.load_demo_show(session, utcnow(), live.cards, live.low_stock)
    password = demo_password(str(current_app.config["SECRET_KEY"]))
    host = shows.host
    if not host.password_hash:
        host.password_hash = generate_password_hash(password)
    session.commit()
    click.echo(
        f"Demo show: {len(shows.created)} streams added ({len(shows.existing)} were there already); "
        f"on air now: /shows/{shows.live_id}, host console /host/streams/{shows.live_id}, "
        f"overlay /overlay/streams/{shows.live_id}."
    )
    if check_password_hash(host.password_hash or "", password):
        click.echo(f"Demo host sign-in at /signin: name {host.name}, password {password}")
    else:
        click.echo(
            f"Demo host {host.name} has a password of its own (`tianshan users password {host.name}`)."
        )


@import_cli.command("products")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@bulk_command
def import_products_command(file: Path) -> None:
    """Create or update products from a CSV or XLSX FILE: every row or none."""
    session = get_session()
    with click.progressbar(length=0, label=f"Importing {file.name}", show_percent=True) as bar:

        def advance(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        try:
            report = importer.import_products(
                session, file, None, progress=advance, limits=importer.sheet_limits(current_app.config)
            )
        except SheetError as exc:
            raise click.ClickException(str(exc)) from exc
        except importer.ImportRejected as exc:
            session.rollback()
            click.echo("", err=True)
            for problem in exc.report.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(
                f"{len(exc.report.problems)} problem(s) in {exc.report.rows} rows; nothing was imported."
            ) from exc
    session.commit()
    click.echo(
        f"{report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged."
    )
    _sync_search()


@export_cli.command("products")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_products_command(file: Path) -> None:
    """Write every product to a CSV or XLSX FILE (the import's format)."""
    session = get_session()
    products = session.scalars(sa.select(Product).order_by(Product.id))
    try:
        count = write_rows(file, (product_to_row(p) for p in products))
    except SheetError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Exported {count} products to {file}.")
