"""``tianshan media``: housekeeping of stored pictures, in a folder or a bucket."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

import media
from catalog.db import get_session
from catalog.media_store import get_media
from catalog.services.backup import BackupError
from catalog.services.backup import create_media_backup
from catalog.services.backup import restore_media_backup
from catalog.services.images import referenced_keys

media_cli = AppGroup("media", help="Manage stored pictures.")


@media_cli.command("gc")
@click.option("--delete", is_flag=True, help="Remove the files (without it, only list them).")
@click.option(
    "--min-age",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Minutes a file must have been stored before it is collected (uploads in flight keep theirs).",
)
def gc_command(delete: bool, min_age: int) -> None:
    """List (or remove) stored files that no product's picture uses any more."""
    try:
        report = media.collect_garbage(
            get_media().storage,
            referenced_keys(get_session()),
            dry_run=not delete,
            grace_seconds=min_age * 60.0,
        )
    except media.StorageUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    for key in report.unreferenced:
        click.echo(("removed " if delete else "unused ") + key)
    verb = "Removed" if delete else "Would remove"
    click.echo(f"{verb} {len(report.unreferenced)} file(s); kept {report.kept}.")
    if report.recent:
        click.echo(f"Kept {len(report.recent)} unused file(s) stored less than {min_age} minute(s) ago.")
    if not delete and report.unreferenced:
        click.echo("Run again with --delete to remove them.")


@media_cli.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(destination: Path) -> None:
    """Write every stored picture file (folder or bucket) to DESTINATION, a .tar.gz file."""
    try:
        manifest = create_media_backup(get_media().storage, destination)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up {len(manifest['media'])} media files to {destination}.")


@media_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(archive: Path) -> None:
    """Put the picture files of ARCHIVE (a media or full backup) back into the storage."""
    try:
        manifest = restore_media_backup(archive, get_media().storage)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {len(manifest['media'])} media files.")
