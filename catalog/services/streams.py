"""Scheduling streams, starting and ending them, and the schedule in the reader's time zone."""

from __future__ import annotations

import datetime as dt
import typing as t

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session
from sqlalchemy.orm import lazyload

from catalog.domain_errors import Conflict
from catalog.domain_errors import NotFound
from catalog.models import Stream
from catalog.models import StreamCursor
from catalog.models import StreamStatus
from catalog.models import User
from catalog.presenting.streams import iso
from catalog.presenting.streams import lineup_json
from catalog.presenting.streams import status_json
from catalog.presenting.streams import title_for
from catalog.schemas.streams import StreamCreate
from catalog.schemas.streams import StreamFields
from catalog.services import audit
from catalog.services import stream_events
from catalog.services import webhooks
from catalog.services.stream_hosts import require_control
from translations.checks import CONTROL_CHARACTER
from translations.formatting import format_date
from translations.formatting import format_relative
from translations.formatting import format_time
from translations.ics import CalendarEvent
from translations.ics import render_ics
from translations.locales import babel_locale
from translations.locales import content_locale
from translations.timezones import to_zone

#: The longest a show may run, so "not over yet" can be asked of the index on ``starts_at``.
LONGEST_SHOW = dt.timedelta(hours=24)


def _titles(title: str | dict[str, str], locales: t.Sequence[str]) -> dict[str, str]:
    """A title per content locale; a single title belongs to the audience's first locale."""
    if isinstance(title, dict):
        return dict(title)
    first = locales[0] if locales else "zh"
    return {content_locale(first): title}


def create_stream(session: Session, data: StreamCreate, user: User | None, default_zone: str) -> Stream:
    """Schedule a stream; its cursor row is created with it."""
    stream = Stream(
        title=_titles(data.title, data.locales),
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        time_zone=data.time_zone or default_zone,
        host_id=user.id if user else None,
        locales=list(data.locales),
        currencies=list(data.currencies),
        status=StreamStatus.SCHEDULED,
        display_delay_seconds=data.display_delay_seconds or 0,
        replay_url=data.replay_url,
    )
    session.add(stream)
    session.flush()
    session.add(StreamCursor(stream_id=stream.id))
    audit.record(session, user, "stream.create", "stream", stream.id, {"title": [None, stream.title]})
    return stream


def get_stream(session: Session, stream_id: int) -> Stream:
    """The stream *stream_id*, or 404."""
    stream = session.get(Stream, stream_id)
    if stream is None:
        raise NotFound(gettext("There is no stream %(id)s.", id=stream_id))
    return stream


def get_cursor(session: Session, stream_id: int) -> StreamCursor | None:
    return session.get(StreamCursor, stream_id)


def lock_stream(session: Session, stream_id: int) -> tuple[Stream, StreamCursor]:
    """Lock the stream's cursor row (``SELECT ... FOR UPDATE``) and load the stream.

    Every change to a stream takes this lock first, so changes of one stream are serialised
    (on SQLite, ``BEGIN IMMEDIATE`` already serialises writers) and its events commit in order.
    """
    row = session.execute(
        sa.select(StreamCursor, Stream)
        .join(Stream, Stream.id == StreamCursor.stream_id)
        .where(StreamCursor.stream_id == stream_id)
        .with_for_update(of=StreamCursor)
        # The host and co-hosts are read only when asked for (a move needs neither; a host or an
        # admin controls the stream without the list, and the host is most often the one asking).
        .options(lazyload(Stream.host), lazyload(Stream.co_hosts))
        .execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise NotFound(gettext("There is no stream %(id)s.", id=stream_id))
    cursor, stream = row
    return stream, cursor


def check_control(session: Session, stream_id: int, user: User | None) -> None:
    """404 for a stream that does not exist, 403 unless *user* controls it."""
    require_control(get_stream(session, stream_id), user)


def control_stream(session: Session, stream_id: int, user: User | None) -> tuple[Stream, StreamCursor]:
    """:func:`lock_stream` for a change by *user*: 403 unless they are its host, a co-host or an admin."""
    stream, cursor = lock_stream(session, stream_id)
    require_control(stream, user)
    return stream, cursor


def update_stream(session: Session, stream: Stream, data: StreamFields, user: User | None) -> Stream:
    """Change the fields given; the card's locales and currencies follow at the next move."""
    before = {"title": stream.title, "starts_at": iso(stream.starts_at), "locales": stream.locales}
    if data.locales is not None:
        stream.locales = list(data.locales)
    if data.title is not None:
        stream.title = _titles(data.title, stream.locales)
    if data.starts_at is not None:
        stream.starts_at = data.starts_at
    if data.currencies is not None:
        stream.currencies = list(data.currencies)
    for name in ("duration_minutes", "time_zone", "display_delay_seconds", "replay_url"):
        value = getattr(data, name)
        if value is not None:
            setattr(stream, name, value)
    stream.version += 1
    after = {"title": stream.title, "starts_at": iso(stream.starts_at), "locales": stream.locales}
    audit.record(session, user, "stream.update", "stream", stream.id, audit.diff(before, after))
    return stream


def start_stream(session: Session, stream: Stream, user: User | None, now: dt.datetime) -> Stream:
    """Go live: 409 unless the stream is scheduled."""
    if stream.status is not StreamStatus.SCHEDULED:
        raise Conflict(
            gettext(
                "Stream %(id)s is %(status)s; only a scheduled stream can start.",
                id=stream.id,
                status=stream.status.value,
            )
        )
    stream.status, stream.started_at = StreamStatus.LIVE, now
    _status_changed(session, stream, user, "stream.started", now)
    return stream


def end_stream(session: Session, stream: Stream, user: User | None, now: dt.datetime) -> Stream:
    """End the show: 409 unless the stream is live."""
    if stream.status is not StreamStatus.LIVE:
        raise Conflict(
            gettext(
                "Stream %(id)s is %(status)s; only a live stream can end.",
                id=stream.id,
                status=stream.status.value,
            )
        )
    stream.status, stream.ended_at = StreamStatus.ENDED, now
    _status_changed(session, stream, user, "stream.ended", now)
    return stream


def _status_changed(
    session: Session, stream: Stream, user: User | None, event: str, now: dt.datetime
) -> None:
    stream.version += 1
    session.flush()
    audit.record(session, user, event, "stream", stream.id, {"status": [None, stream.status.value]})
    stream_events.record(session, stream.id, "status", status_json(stream))
    payload = {**status_json(stream), "title": stream.title, "lineup": lineup_json(session, stream.id, now)}
    webhooks.enqueue(session, event, payload, now)


def upcoming(session: Session, now: dt.datetime, after: tuple[str, int] | None, limit: int) -> list[Stream]:
    """Live streams and scheduled ones not over yet, by start time, after the ``(starts_at, id)`` key."""
    found: list[Stream] = []
    key = (dt.datetime.fromisoformat(after[0]), after[1]) if after else None
    while len(found) < limit:
        stmt = (
            sa.select(Stream)
            .where(Stream.status != StreamStatus.ENDED, Stream.starts_at > now - LONGEST_SHOW)
            .order_by(Stream.starts_at, Stream.id)
            .limit(limit)
        )
        if key is not None:
            moment, ident = key
            stmt = stmt.where(
                sa.or_(Stream.starts_at > moment, sa.and_(Stream.starts_at == moment, Stream.id > ident))
            )
        batch = list(session.scalars(stmt))
        found += [s for s in batch if s.status is StreamStatus.LIVE or s.ends_at > now]
        if len(batch) < limit:
            break
        key = (batch[-1].starts_at, batch[-1].id)
    return found[:limit]


def format_start(moment: dt.datetime, locale: str, zone: str) -> str:
    """A date and time as a reader of *locale* writes it: a long date and a short time."""
    pattern = str(babel_locale(locale).datetime_formats["medium"]).replace("'", "")
    return pattern.format(
        format_time(moment, locale, zone, "short"), format_date(moment, locale, "long", zone)
    )


def schedule_json(stream: Stream, zone: str, locale: str, now: dt.datetime) -> dict[str, t.Any]:
    """A stream as a viewer in *zone* reading *locale* sees it in the schedule."""
    return {
        "id": stream.id,
        "title": title_for(stream, locale),
        "status": stream.status.value,
        "starts_at": stream.starts_at.isoformat(),
        "starts_at_local": to_zone(stream.starts_at, zone).isoformat(),
        "starts_at_formatted": format_start(stream.starts_at, locale, zone),
        "starts_in": format_relative(stream.starts_at, now, locale),
        "ends_at_local": to_zone(stream.ends_at, zone).isoformat(),
        "time_zone": zone,
        "locales": list(stream.locales),
        "currencies": list(stream.currencies),
    }


def calendar(session: Session, locale: str, now: dt.datetime, base_url: str) -> str:
    """The upcoming streams as an iCalendar feed, titled in *locale*."""
    events = [
        CalendarEvent(
            uid=f"stream-{stream.id}@tianshan",
            starts_at=stream.starts_at,
            ends_at=stream.ends_at,
            # Titles are checked on the way in; one stored before that must not break the feed.
            summary=CONTROL_CHARACTER.sub("", title_for(stream, locale)),
            url=f"{base_url}api/v1/streams/{stream.id}",
        )
        for stream in upcoming(session, now, None, 200)
    ]
    return render_ics(events, now, calendar_name="Tianshan live")
