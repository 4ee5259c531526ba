"""Commands that build or load many objects at once run with the collector relaxed
(:mod:`catalog.collector`)."""

from __future__ import annotations

import functools
import typing as t

from catalog import collector

P = t.ParamSpec("P")
R = t.TypeVar("R")


def bulk_command(command: t.Callable[P, R]) -> t.Callable[P, R]:
    """Run *command* with the collector relaxed, restoring its settings afterwards."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        thresholds = collector.relax()
        try:
            return command(*args, **kwargs)
        finally:
            collector.restore(thresholds)

    return run
