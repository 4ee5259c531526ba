"""Commit notices between workers on PostgreSQL: waiting for them, and holding them up."""

from __future__ import annotations

import contextlib
import os
import signal
import typing as t

import sqlalchemy as sa
from flask import Flask

from catalog.freshness import LISTENER_NAME


def notices_in(app: Flask) -> None:
    """Wait until *app* has the notices of every commit made so far.

    On PostgreSQL a notice reaches the other workers a moment after its commit, and an anonymous
    read does not wait for it: for that moment it may still serve what was read before.
    """
    app.extensions["db"].watch.changes(confirm=True)


@contextlib.contextmanager
def listeners_stopped(app: Flask) -> t.Iterator[list[int]]:
    """Stop the server processes of the database's listening connections, as a loaded machine might.

    A commit's notice cannot reach a stopped listener: it waits in the server until the process
    runs again, as it does when the block ends (or at :func:`resume`).
    """
    with app.extensions["db"].engine.connect() as connection:
        pids = connection.scalars(
            sa.text(
                "SELECT pid FROM pg_stat_activity WHERE application_name = :name AND datname = current_database()"
            ),
            {"name": LISTENER_NAME},
        ).all()
    assert pids, "the app listens for commits"
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield list(pids)
    finally:
        resume(pids)


def resume(pids: t.Iterable[int]) -> None:
    """Let the stopped server processes run again (one that has exited meanwhile is left alone)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)
