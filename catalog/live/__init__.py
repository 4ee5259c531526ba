"""Live state of streams in this process: the card cache, the broadcaster, the event feed and the
webhook deliverer, attached to the app as ``app.extensions["live"]``.

Nothing starts in the app factory: the feed starts with the first event-stream listener and
the deliverer with the first queued webhook, each in the worker process that needs it (after
gunicorn's gevent worker has patched the standard library), and both stop when idle.
"""

from __future__ import annotations

import typing as t

import click
import orjson
from flask import Flask
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import event
from sqlalchemy.orm import Session

from catalog.db import Database
from catalog.live import readiness_watch
from catalog.live import sse
from catalog.live.broadcaster import Broadcaster
from catalog.live.delivery import Deliverer
from catalog.live.delivery import DeliverySettings
from catalog.live.feed import EventFeed
from catalog.live.flash import FlashClock
from catalog.models import utcnow
from catalog.services.cards import CardCache
from catalog.services.cards import current_card
from catalog.services.cards import key_from_card
from catalog.services.stream_events import Event


class Live:
    """The live machinery of one app."""

    def __init__(self, app: Flask, database: Database) -> None:
        config = app.config
        self.cards = CardCache(ttl=float(config["LIVE_CARD_TTL_SECONDS"]))
        self.low_stock = int(config["LIVE_LOW_STOCK"])
        self.broadcaster = Broadcaster(int(config["LIVE_QUEUE_SIZE"]))
        self.flash = FlashClock()
        self._sessions = database.sessions
        self.feed = EventFeed(
            database.sessions,
            database.url,
            self.broadcaster,
            self.deliver,
            poll_seconds=float(config["LIVE_POLL_SECONDS"]),
            heartbeat_seconds=float(config["LIVE_HEARTBEAT_SECONDS"]),
            clock=self.flash,
            on_due=self.refresh_cards,
        )
        self.settings = DeliverySettings(
            timeout_seconds=float(config["WEBHOOKS_TIMEOUT_SECONDS"]),
            max_attempts=int(config["WEBHOOKS_MAX_ATTEMPTS"]),
            backoff_seconds=float(config["WEBHOOKS_BACKOFF_SECONDS"]),
            allow_loopback=bool(config["WEBHOOKS_ALLOW_LOOPBACK"]),
        )
        self.deliverer = Deliverer(database.write_sessions, self.settings)
        self.deliver_in_process = bool(config["WEBHOOKS_IN_PROCESS"])
        event.listen(database.write_sessions, "after_commit", self._after_commit)
        event.listen(database.write_sessions, "after_soft_rollback", self._after_rollback)
        event.listen(database.write_sessions, "after_flush", readiness_watch.note_changes)
        event.listen(database.write_sessions, "before_commit", readiness_watch.announce)

    def deliver(self, events: list[Event]) -> None:
        """Fan out events read from the database; cards pushed by other processes are cached."""
        for item in events:
            if item.kind == "card":
                body = orjson.loads(item.data)
                card = body.get("card")
                if card and "key" in card:
                    self.cards.put(key_from_card(card), card)
                if self.broadcaster.has_listeners(item.stream_id):
                    self.flash.note(item.stream_id, body)
        self.broadcaster.publish(events)

    def refresh_cards(self, stream_ids: list[int]) -> None:
        """Send the cards whose flash sale has just started or ended to this process's listeners."""
        with self._sessions() as session:
            for stream_id in stream_ids:
                body = current_card(session, stream_id, self.cards, utcnow(), self.low_stock)
                if body is None or not self.broadcaster.has_listeners(stream_id):
                    continue
                self.broadcaster.announce(stream_id, sse.frame(None, "card", body))
                self.flash.note(stream_id, body)

    def _after_commit(self, session: Session) -> None:
        events = session.info.pop("stream_events", None)
        if events:  # this process's listeners hear it at once; other processes through the feed
            self.feed.push(events)
        if session.info.pop("webhooks_queued", False) and self.deliver_in_process:
            self.deliverer.wake()

    def _after_rollback(self, session: Session, _previous: t.Any) -> None:
        session.info.pop("stream_events", None)
        session.info.pop(readiness_watch.KEY, None)
        session.info.pop("webhooks_queued", None)

    def close(self) -> None:
        """Stop the threads and end every open event stream (tests, shutdown)."""
        self.feed.stop()
        self.deliverer.stop()
        self.broadcaster.close_all()


webhooks_cli = AppGroup("webhooks", help="Deliver outgoing webhooks.")


@webhooks_cli.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
def deliver_command(once: bool) -> None:
    """Send pending webhook deliveries (a worker; use with TIANSHAN_WEBHOOKS_IN_PROCESS=false)."""
    live = get_live()
    if once:
        click.echo(f"Attempted {live.deliverer.run_due()} deliveries.")
        return
    click.echo("Delivering webhooks; Ctrl+C stops.")
    while True:
        live.deliverer.run_until_idle()
        live.deliverer.wait(1.0)


def init_app(app: Flask) -> None:
    """Attach the live machinery (after the database) and the ``webhooks`` command group."""
    app.extensions["live"] = Live(app, app.extensions["db"])
    app.cli.add_command(webhooks_cli)


def get_live() -> Live:
    """The current app's live machinery."""
    return t.cast(Live, current_app.extensions["live"])
