"""Building the app for a server or a command: a setting that cannot work ends the process with one line."""

from __future__ import annotations

import sys

from flask import Flask

from catalog import media_store
from catalog.app import create_app


def build_app() -> Flask:
    """The app of ``wsgi.py`` and the ``tianshan`` command, its storage checked before serving."""
    try:
        app = create_app()
        media_store.verify(app)
    except media_store.MediaConfigurationError as error:
        sys.exit(f"tianshan: {error}")
    return app
