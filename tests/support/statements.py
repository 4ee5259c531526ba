"""The SQL an engine runs while a block runs, to check what a code path asks the database."""

from __future__ import annotations

import contextlib
import typing as t

import sqlalchemy as sa


@contextlib.contextmanager
def statements_run(engine: sa.Engine) -> t.Iterator[list[str]]:
    """The statements *engine* runs in the block, whitespace collapsed, in order."""
    ran: list[str] = []

    def note(_conn: t.Any, _cursor: t.Any, statement: str, *_rest: t.Any) -> None:
        ran.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield ran
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
