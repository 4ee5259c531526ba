"""The shows a viewer can watch: what is on air now and what starts next, in their time zone."""

from __future__ import annotations

import typing as t

from sqlalchemy.orm import Session

from catalog.models import StreamStatus
from catalog.models import utcnow
from catalog.services.streams import schedule_json
from catalog.services.streams import upcoming
from translations.locales import REGISTRY

#: The time zone a reader of each locale most likely lives in; the page's script then shows
#: times in the browser's own zone.
ZONE_BY_LOCALE = {code: info.time_zone for code, info in REGISTRY.items()}


def upcoming_shows(session: Session, locale: str, limit: int = 6) -> dict[str, list[dict[str, t.Any]]]:
    """Shows on air now and those still to come, as the schedule shows them to *locale*."""
    now = utcnow()
    zone = ZONE_BY_LOCALE.get(locale, "Asia/Urumqi")
    shows = [schedule_json(stream, zone, locale, now) for stream in upcoming(session, now, None, limit)]
    return {
        "live": [s for s in shows if s["status"] == StreamStatus.LIVE.value],
        "next": [s for s in shows if s["status"] != StreamStatus.LIVE.value],
    }
