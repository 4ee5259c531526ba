"""How close a remembered source is to the text being translated: a score and the differing words."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from translations.diff import DiffSegment
from translations.diff import tokenize
from translations.diff import word_diff

#: Suggestions scoring below this (out of 100) are not worth offering.
MIN_SCORE = 50


@dataclass(frozen=True)
class MemoryMatch:
    """A remembered translation offered for a source: its score, and what differs in the sources."""

    score: int
    identical: bool
    source: str
    target: str
    diff: tuple[DiffSegment, ...]


def similarity(remembered: str, current: str) -> int:
    """0–100: how much of the two sources is the same, word by word (spaces ignored)."""
    old = [token.casefold() for token in tokenize(remembered) if not token.isspace()]
    new = [token.casefold() for token in tokenize(current) if not token.isspace()]
    if not old and not new:
        return 100
    return round(100 * difflib.SequenceMatcher(a=old, b=new, autojunk=False).ratio())


def rank_matches(current: str, remembered: list[tuple[str, str]], limit: int) -> list[MemoryMatch]:
    """The best *limit* of ``(source, translation)`` pairs for *current*: identical sources first,
    then by score; one suggestion per distinct translation, none below :data:`MIN_SCORE`."""
    matches: dict[str, MemoryMatch] = {}
    for source, target in remembered:
        identical = source == current
        score = 100 if identical else min(similarity(source, current), 99)
        if score < MIN_SCORE:
            continue
        known = matches.get(target)
        if known is not None and (known.identical, known.score) >= (identical, score):
            continue
        diff = () if identical else tuple(word_diff(source, current))
        matches[target] = MemoryMatch(score, identical, source, target, diff)
    ordered = sorted(matches.values(), key=lambda m: (not m.identical, -m.score, m.target))
    return ordered[:limit]
