"""The synonyms a search runs with: set by the engine around its search, read by query analysis."""

from __future__ import annotations

import contextlib
import contextvars
import typing as t
from collections.abc import Iterator
from collections.abc import Sequence

if t.TYPE_CHECKING:
    from search.analysis import QueryWord


class Expander(t.Protocol):
    """Adds synonyms' terms to query words (see :class:`search.synonyms.SynonymTable`)."""

    def expand(self, words: Sequence[QueryWord]) -> list[QueryWord]:
        """*words* with their synonyms' terms added."""
        ...


_active: contextvars.ContextVar[Expander | None] = contextvars.ContextVar("synonyms", default=None)


@contextlib.contextmanager
def applied(expander: Expander | None) -> Iterator[None]:
    """Within the block, query analysis expands words with *expander* (``None``: no synonyms)."""
    token = _active.set(expander)
    try:
        yield
    finally:
        _active.reset(token)


def expand_active(words: list[QueryWord]) -> list[QueryWord]:
    """*words* expanded by the synonyms of the running search, or as they are when it has none."""
    expander = _active.get()
    return expander.expand(words) if expander is not None else words
