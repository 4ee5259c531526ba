"""``tianshan db``: the database schema."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from catalog import migrate
from catalog.cli.search import reindex_command
from catalog.db import get_db
from catalog.searching import get_search
from search.fts5 import Fts5Engine

db_cli = AppGroup("db", help="Manage the database schema.")


@db_cli.command("upgrade")
@click.option("--revision", default="heads", show_default=True, help="Target revision.")
def upgrade_command(revision: str) -> None:
    """Apply the migrations up to REVISION."""
    database = get_db()
    migrate.upgrade(database.engine, revision)
    current = migrate.current_revision(database.engine)
    click.echo(f"Database at revision {current} ({database.url.get_backend_name()}).")
    engine = get_search().engine
    if isinstance(engine, Fts5Engine) and engine.outdated():
        click.echo("The embedded search index was written by an earlier release; rebuilding it.")
        click.get_current_context().invoke(reindex_command)


@db_cli.command("current")
def current_command() -> None:
    """Print the revision the database is at."""
    click.echo(migrate.current_revision(get_db().engine) or "none")
