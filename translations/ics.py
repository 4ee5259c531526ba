"""iCalendar (RFC 5545) rendering of show schedules so viewers can add them to a calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime

from translations.timezones import require_aware

#: Longest content line in octets, excluding the CRLF (RFC 5545 §3.1).
MAX_LINE_OCTETS = 75
_CRLF = "\r\n"


@dataclass(frozen=True)
class CalendarEvent:
    """One event: a live show or any other scheduled happening.

    :param uid: globally unique and stable (e.g. ``"stream-42@tianshan"``), so a
        calendar updates the event instead of adding a copy.
    """

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold_line(line: str) -> str:
    """Fold a content line at 75 octets of UTF-8, never inside a character.

    Continuation lines start with one space, which counts toward their 75 octets.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, MAX_LINE_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (_CRLF + " ").join(pieces)


def _utc_stamp(moment: datetime, what: str) -> str:
    return require_aware(moment, what).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _check_value(value: str, what: str) -> str:
    if any((ord(char) < 0x20 and char not in "\t\r\n") or char == "\x7f" for char in value):
        raise ValueError(f"{what} contains control characters, which iCalendar cannot carry")
    return value


def render_ics(
    events: Iterable[CalendarEvent],
    generated_at: datetime,
    product_id: str = "-//Tianshan Catalog//Live streams//EN",
    calendar_name: str | None = None,
) -> str:
    """Render *events* as one ``VCALENDAR`` text with CRLF line ends.

    Times are written in UTC (``…Z``), which every calendar converts to its
    reader's zone. *generated_at* becomes each event's ``DTSTAMP``.
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_check_value(product_id, 'PRODID')}"]
    lines += ["CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if calendar_name:
        lines.append(f"X-WR-CALNAME:{escape_text(_check_value(calendar_name, 'name'))}")
    stamp = _utc_stamp(generated_at, "generated_at")
    for event in events:
        if not event.uid or any(c in event.uid for c in "\r\n"):
            raise ValueError(f"event uid {event.uid!r} must be a non-empty single line")
        starts = _utc_stamp(event.starts_at, "starts_at")
        ends = _utc_stamp(event.ends_at, "ends_at")
        if event.ends_at <= event.starts_at:
            raise ValueError(f"event {event.uid}: ends_at must be after starts_at")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(_check_value(event.uid, 'uid'))}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{starts}",
            f"DTEND:{ends}",
            f"SUMMARY:{escape_text(_check_value(event.summary, 'summary'))}",
        ]
        if event.description:
            text = escape_text(_check_value(event.description, "description"))
            lines.append(f"DESCRIPTION:{text}")
        if event.location:
            lines.append(f"LOCATION:{escape_text(_check_value(event.location, 'location'))}")
        if event.url:
            if any(c in event.url for c in ' \r\n"'):
                raise ValueError(f"event {event.uid}: url must not contain spaces or quotes")
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + _CRLF for line in lines)
