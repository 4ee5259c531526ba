"""The on-air cursor: next, prev, goto, pin and unpin, each one short locked transaction.

The cursor is one row per stream. A move locks it (``SELECT ... FOR UPDATE`` on PostgreSQL;
on SQLite the write transaction's ``BEGIN IMMEDIATE`` already serialises writers), reads
where it stands, moves it, logs the move for the recap, writes the ``card`` event and
queues the ``card.changed`` webhooks, all before one commit. Two host tabs pressing
``next`` at once therefore advance it by exactly two.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t

from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import Conflict
from catalog.domain_errors import Invalid
from catalog.models import LineupItem
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.models import Stream
from catalog.models import StreamCursor
from catalog.models import StreamMove
from catalog.models import StreamStatus
from catalog.models import User
from catalog.presenting.streams import Slot
from catalog.presenting.streams import slot_where
from catalog.presenting.streams import slots
from catalog.services import stream_events
from catalog.services import webhooks
from catalog.services.cards import CardCache
from catalog.services.cards import card_for_slot
from catalog.services.cards import envelope
from catalog.services.streams import control_stream


@dataclasses.dataclass(frozen=True)
class Move:
    """The outcome of a move: the envelope answered and pushed, and its event id."""

    stream: Stream
    cursor: StreamCursor
    body: dict[str, t.Any]
    event_id: int


def _step(items: t.Sequence[Slot], position: int, step: int) -> int | None:
    """The next position from *position* in direction *step* whose product may go on air."""
    candidate = position + step
    while 1 <= candidate <= len(items):
        if items[candidate - 1].available:
            return candidate
        candidate += step
    return None


def _target(
    stream: Stream, cursor: StreamCursor, items: t.Sequence[Slot], action: str, position: int | None
) -> int:
    if not items:
        raise Conflict(gettext("The run-sheet of stream %(id)s is empty; add products first.", id=stream.id))
    if action in ("next", "prev", "goto") and cursor.pinned:
        raise Conflict(
            gettext("The card at position %(p)d is pinned; unpin it before moving on.", p=cursor.position)
        )
    if action == "unpin":
        return cursor.position
    if action == "pin" and position is None:
        if cursor.item_id is None:
            raise Conflict(gettext("Nothing is on air to pin; give a position."))
        return cursor.position
    if action in ("next", "prev"):
        found = _step(items, cursor.position, 1 if action == "next" else -1)
        if found is None:
            edge = gettext("last") if action == "next" else gettext("first")
            raise Conflict(
                gettext(
                    "Position %(p)d is the %(edge)s item of the run-sheet that can go on air.",
                    p=cursor.position,
                    edge=edge,
                )
            )
        return found
    assert position is not None  # goto and pin with a position
    if not 1 <= position <= len(items):
        message = f"Position {position} is out of range; the run-sheet has positions 1 to {len(items)}."
        raise Invalid(message, errors=[{"field": "position", "message": message}])
    item = items[position - 1]
    if not item.available:
        message = f"Position {position} ({item.sku}) is {item.status.value} and cannot go on air."
        raise Invalid(message, errors=[{"field": "position", "message": message}])
    return position


def _quick_target(
    session: Session, stream: Stream, cursor: StreamCursor, action: str, position: int | None
) -> Slot | None:
    """The item a plain next, prev, goto or pin lands on, read alone; ``None`` when the whole
    run-sheet must decide (another action, or a move that will be refused)."""
    available = Product.status == ProductStatus.PUBLISHED
    if action in ("next", "prev") and not cursor.pinned:
        if action == "next":
            return slot_where(session, stream.id, LineupItem.position > cursor.position, available)
        return slot_where(session, stream.id, LineupItem.position < cursor.position, available, last=True)
    if position is not None and (action == "pin" or (action == "goto" and not cursor.pinned)):
        found = slot_where(session, stream.id, LineupItem.position == position)
        return found if found is not None and found.available else None
    return None


def move_cursor(
    session: Session,
    stream_id: int,
    action: str,
    position: int | None,
    user: User | None,
    now: dt.datetime,
    cache: CardCache,
    low_stock: int,
) -> Move:
    """Move the cursor of a live stream: 404 for no such stream, 403 unless *user* controls it, 409 when it
    is not live, 422 for a bad position."""
    stream, cursor = control_stream(session, stream_id, user)
    if stream.status is not StreamStatus.LIVE:
        raise Conflict(
            gettext(
                "Stream %(id)s is %(status)s; the cursor moves only while it is live.",
                id=stream.id,
                status=stream.status.value,
            )
        )
    item = _quick_target(session, stream, cursor, action, position)
    if item is None:  # the other actions, and every refusal, from the whole run-sheet
        items = slots(session, stream.id)
        item = items[_target(stream, cursor, items, action, position) - 1]
    target = item.position
    previous = cursor.item_id
    cursor.position, cursor.item_id = target, item.item_id
    cursor.pinned = action == "pin" or (cursor.pinned and action != "unpin")
    cursor.moves += 1
    cursor.moved_at = now
    session.add(
        StreamMove(
            stream_id=stream.id,
            at=now,
            action=action,
            position=target,
            item_id=item.item_id,
            product_id=item.product_id,
            number=item.number,
            user_id=user.id if user else None,
        )
    )
    card = card_for_slot(session, stream, cursor, item, cache, now, low_stock)
    body = envelope(stream, cursor, card)
    event = stream_events.record(session, stream.id, "card", body)
    if item.item_id != previous:
        webhooks.enqueue(session, "card.changed", body, now)
    return Move(stream, cursor, body, event.id)
