"""Limiting failed sign-ins per name and address, kept in memory per process."""

from __future__ import annotations

import collections
import threading
import time
import typing as t


class FailureLimiter:
    """Refuses a key after *limit* failures within *window* seconds.

    Kept in the process's memory: with several worker processes each counts on its own, so
    the effective limit is ``limit`` times the number of workers, still a wall against guessing.
    """

    def __init__(
        self, limit: int = 5, window: float = 300.0, clock: t.Callable[[], float] = time.monotonic
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("the limit must be at least 1 and the window longer than 0 seconds")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> collections.deque[float]:
        failures = self._failures.setdefault(key, collections.deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, key: str) -> int:
        """Seconds until *key* may try again; 0 when it may try now."""
        with self._lock:
            now = self._clock()
            failures = self._recent(key, now)
            if len(failures) < self.limit:
                if not failures:
                    self._failures.pop(key, None)
                return 0
            return max(1, int(failures[-self.limit] + self.window - now + 0.999))

    def fail(self, key: str) -> None:
        """Record one failure of *key*."""
        with self._lock:
            now = self._clock()
            self._recent(key, now).append(now)
            if len(self._failures) > 100_000:  # forget idle keys rather than grow without end
                self._forget_idle(now)

    def reset(self, key: str) -> None:
        """Forget the failures of *key* (after it succeeded)."""
        with self._lock:
            self._failures.pop(key, None)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._failures.items() if not v or v[-1] <= now - self.window]:
            del self._failures[key]
