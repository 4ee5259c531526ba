"""Flash sales that start or end while their item is on air.

No one moves the cursor when a flash price starts or ends, yet the card on air changes. Each
process with listeners notes, from every card it fans out, when the card's flash sale next
changes phase; at that moment its feed rebuilds the card and sends it to its own listeners
as a ``card`` event without an id (nothing was written: every process computes the same
card from the same rows, and a reconnecting listener gets it in its snapshot).
"""

from __future__ import annotations

import datetime as dt
import threading
import typing as t


def next_change(envelope: t.Mapping[str, t.Any] | None) -> dt.datetime | None:
    """When the flash sale of the card in *envelope* starts or ends next, if it will."""
    card = (envelope or {}).get("card") or {}
    flash = card.get("flash") or {}
    phase = flash.get("phase")
    moment = (
        flash.get("starts_at") if phase == "before" else flash.get("ends_at") if phase == "running" else None
    )
    return dt.datetime.fromisoformat(moment) if moment else None


class FlashClock:
    """The next flash-phase change of the card on air, per stream."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._due: dict[int, dt.datetime] = {}

    def note(self, stream_id: int, envelope: t.Mapping[str, t.Any] | None) -> None:
        """Remember when the card now on air for *stream_id* changes by itself."""
        moment = next_change(envelope)
        with self._lock:
            if moment is None:
                self._due.pop(stream_id, None)
            else:
                self._due[stream_id] = moment

    def seconds_to_next(self, now: dt.datetime) -> float | None:
        with self._lock:
            if not self._due:
                return None
            return max(0.0, (min(self._due.values()) - now).total_seconds())

    def take_due(self, now: dt.datetime) -> list[int]:
        """The streams whose card changes at or before *now* (forgotten until noted again)."""
        with self._lock:
            due = [stream_id for stream_id, moment in self._due.items() if moment <= now]
            for stream_id in due:
                del self._due[stream_id]
        return due
