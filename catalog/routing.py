"""URL converters: ids in paths stay within what both databases store."""

from __future__ import annotations

import typing as t

from flask import Flask
from werkzeug.routing import IntegerConverter

#: Primary keys are 32-bit integers on PostgreSQL; a larger id in a path is simply not found.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` limited to 1..MAX_ID, so an absurd id is a 404, not a database error."""

    def __init__(self, map: t.Any, *args: t.Any, **kwargs: t.Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Use :class:`IdConverter` for every ``<int:...>`` in the app's routes."""
    app.url_map.converters["int"] = IdConverter
