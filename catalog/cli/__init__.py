"""The ``tianshan`` command: Flask's command group for this app plus the catalog's own commands."""

from __future__ import annotations

from flask.cli import FlaskGroup


def _make_app() -> object:
    from catalog.startup import build_app

    return build_app()


main = FlaskGroup(create_app=_make_app, help="Tianshan Catalog: the service and its tools.")  # type: ignore[arg-type]
