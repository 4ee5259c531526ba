"""iCalendar rendering: UTC times, escaping and line folding."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from translations.ics import CalendarEvent
from translations.ics import escape_text
from translations.ics import fold_line
from translations.ics import render_ics
from translations.timezones import NaiveDatetime
from translations.timezones import load_zone

STAMP = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def show(**changes: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": "stream-42@tianshan",
        "starts_at": datetime(2026, 12, 1, 19, 0, tzinfo=load_zone("Asia/Urumqi")),
        "ends_at": datetime(2026, 12, 1, 22, 0, tzinfo=load_zone("Asia/Urumqi")),
        "summary": "Мука, чай; и мёд",
    }
    values.update(changes)
    return CalendarEvent(**values)  # type: ignore[arg-type]


def test_calendar_shape_and_utc_times() -> None:
    text = render_ics([show(description="Line 1\nLine 2", location="Hall A")], STAMP)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert text.split("\r\n")[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tianshan Catalog//Live streams//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    lines = unfold(text).split("\r\n")
    assert "DTSTART:20261201T130000Z" in lines
    assert "DTEND:20261201T160000Z" in lines
    assert "DTSTAMP:20261129T080000Z" in lines
    assert "SUMMARY:Мука\\, чай\\; и мёд" in lines
    assert "DESCRIPTION:Line 1\\nLine 2" in lines
    assert "LOCATION:Hall A" in lines
    assert lines.count("BEGIN:VEVENT") == 1


def test_escaping_of_text_values() -> None:
    assert escape_text("a\\b;c,d\r\ne\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    line = "SUMMARY:" + "哈萨克斯坦面粉" * 20
    folded = fold_line(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert unfold(folded) == line
    assert len(parts[0].encode()) == 74  # a 3-octet character would not fit in the 75th


def test_folding_ascii_exactly() -> None:
    line = "X" * 75
    assert fold_line(line) == line
    assert fold_line("X" * 76) == "X" * 75 + "\r\n X"
    assert fold_line("X" * (75 + 74 + 1)) == "X" * 75 + "\r\n " + "X" * 74 + "\r\n X"


def test_calendar_name_and_url() -> None:
    text = render_ics([show(url="https://example.test/s/42")], STAMP, calendar_name="Эфиры, Урумчи")
    lines = unfold(text).split("\r\n")
    assert "X-WR-CALNAME:Эфиры\\, Урумчи" in lines
    assert "URL:https://example.test/s/42" in lines


def test_empty_calendar() -> None:
    text = render_ics([], STAMP)
    assert "BEGIN:VEVENT" not in text
    assert text.startswith("BEGIN:VCALENDAR\r\n")


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"uid": ""}, ValueError, "must be a non-empty single line"),
        ({"ends_at": datetime(2026, 12, 1, 12, 0, tzinfo=UTC)}, ValueError, "ends_at must be after"),
        ({"starts_at": datetime(2026, 12, 1, 19, 0)}, NaiveDatetime, "starts_at 2026-12-01T19:00"),
        ({"summary": "bell\x07"}, ValueError, "summary contains control characters"),
        ({"url": "https://x.test/a b"}, ValueError, "url must not contain spaces"),
    ],
)
def test_bad_events_are_refused(changes: dict[str, object], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        render_ics([show(**changes)], STAMP)


def test_events_keep_their_order_and_uids() -> None:
    first = show(uid="a@tianshan")
    second = show(
        uid="b@tianshan",
        starts_at=first.starts_at + timedelta(days=1),
        ends_at=first.ends_at + timedelta(days=1),
    )
    lines = unfold(render_ics([first, second], STAMP)).split("\r\n")
    assert [line for line in lines if line.startswith("UID:")] == ["UID:a@tianshan", "UID:b@tianshan"]
    assert "DTSTART:20261202T130000Z" in lines
