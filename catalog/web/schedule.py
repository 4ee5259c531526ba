"""The hosts' form for scheduling a show: wall-clock time in a zone, audience locales and currencies."""

from __future__ import annotations

import datetime as dt
import typing as t

from werkzeug.datastructures import MultiDict

from catalog.errors import FieldError
from catalog.web.context import _
from translations.locales import READING_LOCALES
from translations.timezones import UnknownTimeZone
from translations.timezones import local_to_utc


def schedule_form(
    form: MultiDict[str, str], studio_zone: str
) -> tuple[dict[str, t.Any], dict[str, t.Any], list[FieldError]]:
    """The form's values (to show again), the ``POST /api/v1/streams`` body, and problems found."""
    values: dict[str, t.Any] = {
        key: form.get(key, "").strip()
        for key in (
            "title",
            "starts_at",
            "time_zone",
            "duration_minutes",
            "currencies",
            "display_delay_seconds",
        )
    }
    values["locales"] = [loc for loc in form.getlist("locales") if loc in READING_LOCALES]
    zone = values["time_zone"] or studio_zone
    problems: list[FieldError] = []
    payload: dict[str, t.Any] = {
        "title": values["title"],
        "locales": values["locales"],
        "currencies": [
            c.strip().upper() for c in values["currencies"].replace(";", ",").split(",") if c.strip()
        ],
        "time_zone": zone,
    }
    try:
        local = dt.datetime.fromisoformat(values["starts_at"])
        if local.tzinfo is not None:
            raise ValueError("offset given")
        payload["starts_at"] = local_to_utc(local, zone).isoformat()
    except UnknownTimeZone as exc:
        problems.append({"field": "time_zone", "message": str(exc)})
    except ValueError:
        problems.append({"field": "starts_at", "message": _("Give the date and the time the show starts.")})
    for key in ("duration_minutes", "display_delay_seconds"):
        text = values[key]
        if text:
            payload[key] = int(text) if text.isdigit() else text
    return values, payload, problems
