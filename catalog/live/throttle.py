"""Per-client limits kept in this process's memory, so a flood is refused before it reaches the database.

Clients are known by a keyed hash of their address, held only in memory and only for the
window: nothing about a viewer is stored.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import math
import threading


class SlidingWindow:
    """Admits at most *limit* hits per key within *window* seconds; forgets keys beyond *max_keys*."""

    def __init__(self, limit: int, window: float, max_keys: int = 100_000) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("the limit must be at least 1 and the window longer than 0 seconds")
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._hits: collections.OrderedDict[str, collections.deque[float]] = collections.OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str, now: float) -> int:
        """Count a hit of *key* at *now* (seconds); 0 when admitted, else whole seconds to wait."""
        with self._lock:
            hits = self._hits.pop(key, None) or collections.deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            wait = 0
            if len(hits) >= self.limit:
                wait = max(1, math.ceil(hits[0] + self.window - now))
            else:
                hits.append(now)
            self._hits[key] = hits  # most recently used last
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
            return wait


def client_key(secret: str, address: str | None) -> str:
    """A client's address as a keyed hash, so the address itself is never kept."""
    return hmac.new(secret.encode(), (address or "").encode(), hashlib.sha256).hexdigest()[:32]
