"""A cluster stand-in for :class:`search.server_engine.ServerEngine`: bulk items answer as told.

It holds one live index behind the engine's alias and answers each bulk item with the
status given for its document id (201 or 200 when none is given), the way Elasticsearch
reports a refused document (400, a mapping error) or a shard that cannot take writes (503).
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping

from search.server_engine import DEFAULT_ALIAS

#: Error type and reason Elasticsearch gives with each failing status.
ERRORS: dict[int, tuple[str, str]] = {
    400: ("document_parsing_exception", "failed to parse field [price_cny] of type [scaled_float]"),
    429: ("es_rejected_execution_exception", "rejected execution of coordinating operation"),
    503: ("unavailable_shards_exception", "primary shard is not active"),
}


class StubBackend:
    """A :class:`search.server_engine.Backend` whose bulk answers come from *statuses*."""

    def __init__(self, statuses: Mapping[int, int] | None = None, alias: str = DEFAULT_ALIAS) -> None:
        self.statuses = dict(statuses or {})
        self.alias = alias
        #: ``(op, id)`` of every bulk item the engine sent, in order.
        self.sent: list[tuple[str, int]] = []

    def request(
        self, method: str, path: str, body: t.Any = None, params: Mapping[str, str] | None = None
    ) -> t.Any:
        if method == "GET" and path.startswith("/_alias/"):
            return {f"{self.alias}-1": {"aliases": {self.alias: {}}}}
        raise AssertionError(f"unexpected request {method} {path}")

    def bulk(
        self, actions: Iterable[dict[str, t.Any]], *, refresh: str | None = None, parallel: bool = False
    ) -> Iterator[tuple[bool, dict[str, t.Any]]]:
        for action in actions:
            op, doc_id = str(action["_op_type"]), int(action["_id"])
            self.sent.append((op, doc_id))
            status = self.statuses.get(doc_id, 201 if op == "index" else 200)
            details: dict[str, t.Any] = {"_index": action["_index"], "_id": str(doc_id), "status": status}
            if status >= 300:
                kind, reason = ERRORS.get(status, ("exception", f"status {status}"))
                details["error"] = {"type": kind, "reason": reason}
            yield status < 300, {op: details}

    def scan(self, index: str, body: dict[str, t.Any]) -> Iterator[dict[str, t.Any]]:
        return iter(())

    def close(self) -> None:
        pass
