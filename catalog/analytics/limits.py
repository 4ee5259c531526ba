"""Refusing floods of beacons from one client, in memory, so that a refusal costs no database work.

The client is known only by a keyed hash of its address, held for the current window and never
written anywhere. Each worker process counts for itself, so with N workers a client may send up
to N times the limit before every worker refuses it.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
import typing as t

#: Clients remembered before the windows that have ended are cleared out.
PRUNE_AT = 10_000


class WindowLimiter:
    """Lets each client through *limit* times per *window* seconds (a fixed window per client)."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: t.Callable[[], float] = time.monotonic
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("the limit must be at least 1 and the window longer than 0 seconds")
        self.limit = limit
        self.window = window
        self.clock = clock
        self._salt = secrets.token_bytes(16)
        self._lock = threading.Lock()
        self._windows: dict[bytes, tuple[float, int]] = {}

    def attempt(self, client: str) -> int:
        """Count a request of *client*: 0 when it may go ahead, else the seconds to wait."""
        key = hashlib.blake2b(client.encode(), key=self._salt, digest_size=16).digest()
        now = self.clock()
        with self._lock:
            started, count = self._windows.get(key, (now, 0))
            if now - started >= self.window:
                started, count = now, 0
            count += 1
            self._windows[key] = (started, count)
            if len(self._windows) > PRUNE_AT:
                self._prune(now)
        if count <= self.limit:
            return 0
        return max(1, math.ceil(started + self.window - now))

    def _prune(self, now: float) -> None:
        ended = [key for key, (started, _) in self._windows.items() if now - started >= self.window]
        for key in ended:
            del self._windows[key]
