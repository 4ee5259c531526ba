"""Schemathesis hooks: every generated request goes out as one of the roles, in turn.

Loaded by the schemathesis command line through ``SCHEMATHESIS_HOOKS``; the tokens come from
``TIANSHAN_FUZZ_TOKENS`` (a JSON object, role → token). Requests of the stateful phase, which
follow links from what they create, go as an admin so that each chain reaches its end; the
other phases send each request as the next role of the cycle (anonymous included).
"""

from __future__ import annotations

import itertools
import json
import os
import typing as t

import schemathesis
from schemathesis.generation.meta import TestPhase

TOKENS: dict[str, str] = json.loads(os.environ.get("TIANSHAN_FUZZ_TOKENS", "{}"))
ROLES = ["anonymous", *sorted(TOKENS)]
_turns = itertools.cycle(ROLES)


@schemathesis.auth()
class EveryRole:
    """Authorization for each request: the next role of the cycle (admin in stateful chains)."""

    def get(self, case: t.Any, context: t.Any) -> str:
        return "roles"

    def set(self, case: t.Any, data: str, context: t.Any) -> None:
        stateful = case.meta is not None and case.meta.phase.name == TestPhase.STATEFUL
        role = "admin" if stateful else next(_turns)
        headers = dict(case.headers or {})
        headers.pop("Authorization", None)
        if role != "anonymous":
            headers["Authorization"] = f"Bearer {TOKENS[role]}"
        case.headers = headers
