"""Commands that build or load many objects at once: the cyclic garbage collector runs less often.

Every 700 new objects Python looks for reference cycles among the young ones, and from time
to time among all of them. An import or a rebuild keeps tens of thousands of rows alive
until it ends, so those passes find nothing and, in a default setup, take a third of the
command's CPU. Objects already alive when the command starts (the application, its
modules) are frozen out of every pass, and the young generation is scanned far less often.
"""

from __future__ import annotations

import functools
import gc
import typing as t

P = t.ParamSpec("P")
R = t.TypeVar("R")

#: New objects between two passes of the collector while a bulk command runs.
YOUNG_THRESHOLD = 50_000


def bulk_command(command: t.Callable[P, R]) -> t.Callable[P, R]:
    """Run *command* with the collector relaxed, restoring its settings afterwards."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        thresholds = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, *thresholds[1:])
        try:
            return command(*args, **kwargs)
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()

    return run
