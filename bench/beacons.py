"""Viewers' analytics beacons against a live show: sent at a steady random rate, checked for exact counts.

Used by ``bench/live.py``: while the host moves the cursor, *viewers* viewers each send a beacon
(card seen, product page opened, want) every *every* seconds on average, through a few keep-alive
connections on 127.0.0.1. Each answer's time is kept; the accepted beacons are tallied per
product and kind, to be compared with what the database holds at the end.
"""

from __future__ import annotations

import collections
import http.client
import json
import random
import threading
import time
import typing as t

import sqlalchemy as sa

KINDS = (("seen", "seen", 6), ("opened", "opened", 2), ("want", "wants", 1))
LOCALES = ("ru", "kk", "zh")


class BeaconLoad:
    """A bounded stream of beacons from simulated viewers, sent by *connections* threads."""

    def __init__(
        self,
        port: int,
        stream_id: int,
        product_ids: t.Sequence[int],
        viewers: int,
        every: float,
        connections: int = 8,
        seed: int = 7,
    ) -> None:
        self.port = port
        self.stream_id = stream_id
        self.product_ids = list(product_ids)
        self.rate = viewers / every  # beacons per second from all viewers together
        self.connections = connections
        self.random = random.Random(seed)
        self.latencies: list[float] = []
        self.statuses: collections.Counter[int] = collections.Counter()
        self.accepted: collections.Counter[tuple[int, str]] = collections.Counter()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        for number in range(self.connections):
            rng = random.Random(self.random.random() + number)
            thread = threading.Thread(target=self._send, args=(rng,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def _send(self, rng: random.Random) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        path = f"/api/v1/streams/{self.stream_id}/beacons"
        headers = {"Content-Type": "application/json"}
        rate = self.rate / self.connections
        names = [name for name, _, _ in KINDS]
        weights = [weight for _, _, weight in KINDS]
        due = time.perf_counter()
        while not self.stopping.is_set():
            due += rng.expovariate(rate)  # a Poisson stream: viewers act independently
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            kind = rng.choices(names, weights)[0]
            product_id = rng.choice(self.product_ids)
            body = json.dumps({"kind": kind, "product_id": product_id, "locale": rng.choice(LOCALES)})
            started = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (http.client.HTTPException, OSError):
                connection.close()
                with self.lock:
                    self.statuses[0] += 1
                continue
            elapsed = time.perf_counter() - started
            with self.lock:
                self.latencies.append(elapsed)
                self.statuses[response.status] += 1
                if response.status == 202:
                    self.accepted[(product_id, kind)] += 1
        connection.close()

    def expected(self) -> dict[tuple[int, str], int]:
        """Accepted beacons per (product, count column)."""
        columns = {name: column for name, column, _ in KINDS}
        return {(product_id, columns[kind]): n for (product_id, kind), n in self.accepted.items()}


def stored_counts(engine: sa.Engine, stream_id: int) -> dict[tuple[int, str], int]:
    """What the database holds per (product, count column) for the stream."""
    found: dict[tuple[int, str], int] = {}
    query = sa.text(
        "SELECT product_id, SUM(seen), SUM(opened), SUM(wants) FROM stream_product_counts"
        " WHERE stream_id = :stream GROUP BY product_id"
    )
    with engine.connect() as connection:
        for product_id, seen, opened, wants in connection.execute(query, {"stream": stream_id}):
            for column, value in (("seen", seen), ("opened", opened), ("wants", wants)):
                if value:
                    found[(int(product_id), column)] = int(value)
    return found


def compare(
    expected: t.Mapping[tuple[int, str], int], stored: t.Mapping[tuple[int, str], int]
) -> tuple[int, int, int]:
    """(accepted, stored, rows that differ) between what was sent and what was counted."""
    keys = set(expected) | set(stored)
    differing = sum(1 for key in keys if expected.get(key, 0) != stored.get(key, 0))
    return sum(expected.values()), sum(stored.values()), differing
