"""``tianshan media``: housekeeping of stored pictures."""

from __future__ import annotations

import click
from flask.cli import AppGroup

import media
from catalog.db import get_session
from catalog.media_store import get_media
from catalog.services.images import referenced_keys

media_cli = AppGroup("media", help="Manage stored pictures.")


@media_cli.command("gc")
@click.option("--delete", is_flag=True, help="Remove the files (without it, only list them).")
def gc_command(delete: bool) -> None:
    """List (or remove) stored files that no product's picture uses any more."""
    report = media.collect_garbage(get_media().storage, referenced_keys(get_session()), dry_run=not delete)
    for key in report.unreferenced:
        click.echo(("removed " if delete else "unused ") + key)
    verb = "Removed" if delete else "Would remove"
    click.echo(f"{verb} {len(report.unreferenced)} file(s); kept {report.kept}.")
    if not delete and report.unreferenced:
        click.echo("Run again with --delete to remove them.")
