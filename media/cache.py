"""A small thread-safe LRU for rendered bytes, rendering each missing key only once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Hashable

from media.locks import KeyedLocks


class RenderCache:
    """Keep the most recently used rendered results (e.g. card PNGs) in memory.

    The caller builds the key from everything the result depends on, for a card:
    ``(product_id, product_version, locale, currency, layout)``. When several threads ask
    for the same missing key at once, one renders and the others wait for its result.
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 256 * 1024 * 1024) -> None:
        if max_entries < 1 or max_bytes < 1:
            raise ValueError("A render cache needs room for at least one entry.")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._guard = threading.Lock()
        self._rendering = KeyedLocks()

    def get(self, key: Hashable) -> bytes | None:
        """The cached bytes for *key*, or None."""
        with self._guard:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def get_or_render(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        """Return the cached bytes for *key*, calling *render* once if they are missing."""
        value = self.get(key)
        if value is not None:
            self._count(hit=True)
            return value
        with self._rendering.hold(key):
            value = self.get(key)  # Another thread may have rendered it while we waited.
            if value is not None:
                self._count(hit=True)
                return value
            self._count(hit=False)
            value = render()
            self.put(key, value)
            return value

    def put(self, key: Hashable, value: bytes) -> None:
        """Store *value*, evicting the least recently used entries beyond the limits."""
        with self._guard:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._size -= len(previous)
            if len(value) > self.max_bytes:
                return
            self._entries[key] = value
            self._size += len(value)
            while len(self._entries) > self.max_entries or self._size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted)

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()
            self._size = 0

    def __len__(self) -> int:
        with self._guard:
            return len(self._entries)

    def _count(self, *, hit: bool) -> None:
        with self._guard:
            if hit:
                self.hits += 1
            else:
                self.misses += 1
