"""``tianshan backup`` and ``tianshan restore`` for the embedded setup."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from catalog.db import get_db
from catalog.media_store import get_media
from catalog.services.backup import BackupError
from catalog.services.backup import Instance
from catalog.services.backup import create_backup
from catalog.services.backup import restore_backup
from catalog.services.backup import sqlite_path


def _instance() -> Instance:
    database = sqlite_path(current_app.config["DATABASE_URL"])
    if database is None:
        raise click.ClickException(
            "backup and restore cover the embedded SQLite setup; back up PostgreSQL with pg_dump "
            "and the media with `tianshan media backup` (see the README)"
        )
    return Instance(database, sqlite_path(current_app.config["SEARCH_URL"]), get_media().storage)


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(destination: Path) -> None:
    """Write a consistent backup (databases and media) to DESTINATION, a .tar.gz file."""
    try:
        manifest = create_backup(_instance(), destination)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Backed up {manifest['products']} products and {len(manifest['media'])} media files to {destination}."
    )


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing database.")
@with_appcontext
def restore_command(archive: Path, force: bool) -> None:
    """Restore a backup made by `tianshan backup` into this instance."""
    instance = _instance()
    get_db().dispose()
    try:
        manifest = restore_backup(archive, instance, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {manifest['products']} products and {len(manifest['media'])} media files.")
