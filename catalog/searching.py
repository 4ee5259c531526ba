"""The app's search engine: created from ``TIANSHAN_SEARCH_URL`` on first use."""

from __future__ import annotations

import threading
import typing as t

from flask import Flask
from flask import current_app

from search import SearchEngine
from search import engine_from_url


class SearchExtension:
    """Holds the engine of one app; the factory makes no connection, the first search does."""

    def __init__(self, url: str, options: t.Mapping[str, t.Any]) -> None:
        self.url = url
        self.options = dict(options)
        self._engine: SearchEngine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> SearchEngine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    engine = engine_from_url(self.url, **self.options)
                    engine.ensure_index()
                    self._engine = engine
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None


def init_app(app: Flask) -> None:
    """Attach the search extension to *app*."""
    app.extensions["search"] = SearchExtension(app.config["SEARCH_URL"], app.config["SEARCH_OPTIONS"])


def get_search() -> SearchExtension:
    """The current app's search extension."""
    return t.cast(SearchExtension, current_app.extensions["search"])
