"""Each process's copy of the staff's synonyms and query rules, read again every few seconds.

Searching must not read the database for them each time, and a change must reach every
process soon: a copy lives ``SEARCH_CURATION_SECONDS`` at most, and a process that changes
them forgets its copy at once.
"""

from __future__ import annotations

import threading
import time
import typing as t

from flask import Flask
from flask import current_app
from sqlalchemy.orm import Session

from catalog.services.search_curation import load_curations
from search.curation import StaffCuration

_NONE = StaffCuration()


class CurationCache:
    """The compiled curations of one app, with the time they were read."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._read_at = -float("inf")
        self._curations: dict[str, StaffCuration] = {}

    def for_locale(self, session: Session, locale: str) -> StaffCuration:
        """The curation a reader of *locale* searches with."""
        if time.monotonic() - self._read_at > self.seconds:
            with self._lock:
                if time.monotonic() - self._read_at > self.seconds:
                    self._curations = load_curations(session)
                    self._read_at = time.monotonic()
        return self._curations.get(locale, _NONE)

    def forget(self) -> None:
        """Read them again on the next search."""
        self._read_at = -float("inf")


def init_app(app: Flask) -> None:
    """Attach the curation cache to *app*."""
    app.extensions["search_curation"] = CurationCache(float(app.config["SEARCH_CURATION_SECONDS"]))


def get_curations() -> CurationCache:
    """The current app's curation cache."""
    return t.cast(CurationCache, current_app.extensions["search_curation"])
