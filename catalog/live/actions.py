"""What a host does to a stream, with this process's live machinery supplied (card cache, clock,
low-stock mark): the API and the host console both call these, so every listener hears the same."""

from __future__ import annotations

import typing as t

from sqlalchemy.orm import Session

from catalog.freshness import ReadMemo
from catalog.live import get_live
from catalog.models import Stream
from catalog.models import StreamCursor
from catalog.models import User
from catalog.models import utcnow
from catalog.services import lineup
from catalog.services.cards import current_card
from catalog.services.cursor import Move
from catalog.services.cursor import move_cursor


def move(session: Session, stream_id: int, action: str, position: int | None, user: User | None) -> Move:
    """Move what is on air (next, prev, goto, pin, unpin); the caller commits."""
    live = get_live()
    return move_cursor(session, stream_id, action, position, user, utcnow(), live.cards, live.low_stock)


def lineup_changed(session: Session, stream: Stream, cursor: StreamCursor, user: User | None) -> None:
    """Tell the listeners the run-sheet changed (and the card, when it is on air); the caller commits."""
    live = get_live()
    lineup.lineup_changed(session, stream, cursor, user, utcnow(), live.cards, live.low_stock)


def card_on_air(session: Session, stream_id: int, memo: ReadMemo | None = None) -> dict[str, t.Any] | None:
    """The envelope of the card on air now, or ``None`` when there is no such stream."""
    live = get_live()
    return current_card(session, stream_id, live.cards, utcnow(), live.low_stock, memo)
