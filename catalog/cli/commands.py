"""Registers the catalog's command groups on an app."""

from __future__ import annotations

from flask import Flask

from catalog.cli import backup
from catalog.cli import data
from catalog.cli import db
from catalog.cli import media
from catalog.cli import passwords
from catalog.cli import search
from catalog.cli import users
from catalog.security.devserver import quiet_development_server


def init_app(app: Flask) -> None:
    """Add ``db``, ``users``, ``search``, ``import``, ``export`` and ``demo`` to ``app.cli``."""
    for group in (
        db.db_cli,
        users.users_cli,
        search.search_cli,
        data.import_cli,
        data.export_cli,
        media.media_cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(data.demo_command)
    quiet_development_server()
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
    users.users_cli.add_command(passwords.password_command)
