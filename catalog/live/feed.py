"""Hearing stream events from every worker process.

A move commits its event to the ``stream_events`` table; the committing process hands it to
its own feed right after the commit (:meth:`EventFeed.push`, no read back). The feed also
brings the events committed by *other* processes: it reads those newer than what its broadcaster has fanned out, for the streams
that have listeners in this process, whenever it is woken:

* on PostgreSQL, by ``LISTEN tianshan_stream_events``: the move's transaction sends
  ``NOTIFY`` on commit, which reaches every process at once;
* on SQLite, by a short poll (``LIVE_POLL_SECONDS``, default 0.05 s) of the table's primary
  key index, a cheap query that runs only while this process has listeners.

The pump also sends every listener of the process a heartbeat comment every
``LIVE_HEARTBEAT_SECONDS`` (one tick for all of them, no timer per listener). The feed's
threads (greenlets under gevent) start with the first listener and stop when the last one has
gone, so an idle process does no work.
"""

from __future__ import annotations

import logging
import threading
import time
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from catalog.live import sse
from catalog.live.broadcaster import Broadcaster
from catalog.live.flash import FlashClock
from catalog.models import utcnow
from catalog.services import stream_events
from catalog.services.stream_events import Event

log = logging.getLogger(__name__)


class EventFeed:
    """Reads new events from the database and hands them to *deliver*."""

    def __init__(
        self,
        sessions: sessionmaker[t.Any],
        url: sa.URL,
        broadcaster: Broadcaster,
        deliver: t.Callable[[list[Event]], None],
        *,
        poll_seconds: float,
        heartbeat_seconds: float = 15.0,
        safety_poll_seconds: float = 2.0,
        idle_seconds: float = 5.0,
        clock: FlashClock | None = None,
        on_due: t.Callable[[list[int]], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._url = url
        self._broadcaster = broadcaster
        self._deliver = deliver
        self._postgres = url.get_backend_name() == "postgresql"
        self._poll = safety_poll_seconds if self._postgres else poll_seconds
        self._idle = idle_seconds
        self._heartbeat = heartbeat_seconds
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._pump: threading.Thread | None = None
        self._listener: threading.Thread | None = None
        self._local: list[Event] = []
        self._clock = clock
        self._on_due = on_due

    def wake(self) -> None:
        """Look for new events now."""
        self._wake.set()

    def push(self, events: list[Event]) -> None:
        """Fan out events this process has just committed, without reading them back.

        The pump does it, so the request that committed answers first; with no listeners
        here (no pump) there is nobody to tell.
        """
        with self._lock:
            if self._pump is None:
                return
            self._local.extend(events)
        self._wake.set()

    def ensure_running(self) -> None:
        """Start the feed's threads if they are not running."""
        with self._lock:
            if self._stopping.is_set():
                return
            if self._pump is None:
                self._pump = threading.Thread(target=self._run, name="stream-event-feed", daemon=True)
                self._pump.start()
            if self._postgres and (self._listener is None or not self._listener.is_alive()):
                self._listener = threading.Thread(
                    target=self._listen, name="stream-event-listen", daemon=True
                )
                self._listener.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        for thread in (self._pump, self._listener):
            if thread is not None and thread is not threading.current_thread():
                thread.join(timeout=5)

    def read_once(self) -> int:
        """Read and deliver what is new for the streams with listeners; the number of events."""
        marks = self._broadcaster.marks()
        if not marks:
            return 0
        with self._sessions() as session:
            events = stream_events.events_for_streams(session, marks)
        if events:
            self._deliver(events)
        return len(events)

    def _beat(self, due: float) -> float:
        """Send the heartbeat when *due* has come; when the next one is due."""
        now = time.monotonic()
        if now < due:
            return due
        self._broadcaster.beat(sse.HEARTBEAT)
        return now + self._heartbeat

    def _run(self) -> None:
        idle = 0.0
        beat_due = time.monotonic() + self._heartbeat
        while not self._stopping.is_set():
            timeout = min(self._poll, max(0.0, beat_due - time.monotonic()))
            flash = self._clock.seconds_to_next(utcnow()) if self._clock else None
            if flash is not None:
                timeout = min(timeout, flash + 0.001)
            woken = self._wake.wait(timeout=timeout)
            self._wake.clear()
            if self._stopping.is_set():
                return
            beat_due = self._beat(beat_due)
            if self._broadcaster.listener_count() == 0:
                with self._lock:
                    self._local.clear()
                idle = 0.0 if woken else idle + self._poll
                if idle >= self._idle:
                    with self._lock:  # a listener subscribing now starts a new pump
                        if self._broadcaster.listener_count() == 0:
                            self._pump = None
                            return
                continue
            idle = 0.0
            with self._lock:
                local, self._local = self._local, []
            try:
                if local:
                    self._deliver(local)
                while self.read_once() >= 1000:
                    pass
                due = self._clock.take_due(utcnow()) if self._clock else []
                if due and self._on_due is not None:
                    self._on_due(due)
            except sa.exc.SQLAlchemyError as exc:
                log.warning("stream event feed: %s", exc)
                self._stopping.wait(min(1.0, self._poll * 5))
            except Exception:  # keep the feed alive for the other listeners
                log.exception("stream event feed failed to deliver")

    def _listen(self) -> None:
        import psycopg

        conninfo = self._url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stopping.is_set() and self._pump is not None:
            try:
                with psycopg.connect(conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {stream_events.CHANNEL}")
                    self._wake.set()  # anything committed before LISTEN took effect
                    while not self._stopping.is_set() and self._pump is not None:
                        for _ in connection.notifies(timeout=1.0, stop_after=1):
                            self._wake.set()
            except psycopg.Error as exc:
                log.warning("stream event LISTEN connection lost: %s", exc)
                self._stopping.wait(1.0)
