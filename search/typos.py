"""Typo tolerance by symmetric deletion (the SymSpell idea), pure functions.

Each vocabulary term is stored under every string reachable from its first
:data:`PREFIX_LENGTH` characters by deleting up to :data:`MAX_DISTANCE` of them. A query word
looks up its own deletions; every term sharing one is a candidate, and the true edit distance
decides. No document is ever scanned.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Longest distance the vocabulary is prepared for.
MAX_DISTANCE = 2
#: Deletions are taken from this many leading characters only (keeps the table small).
PREFIX_LENGTH = 7
#: Shortest vocabulary term worth correcting to.
MIN_TERM_LENGTH = 4


def deletions(word: str, distance: int = MAX_DISTANCE) -> set[str]:
    """Return *word*'s prefix and every string made by deleting up to *distance* letters."""
    prefix = word[:PREFIX_LENGTH]
    found = {prefix}
    frontier = {prefix}
    for _ in range(distance):
        next_frontier: set[str] = set()
        for item in frontier:
            if len(item) <= 1:
                continue
            for i in range(len(item)):
                next_frontier.add(item[:i] + item[i + 1 :])
        next_frontier -= found
        found |= next_frontier
        frontier = next_frontier
    return found


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance between *a* and *b*, or ``limit + 1`` if above it.

    Insertions, deletions, substitutions and swaps of neighbours each cost one.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        row_min = i
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous_previous[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[len(b)]


def closest_terms(word: str, candidates: Iterable[str], max_distance: int) -> list[str]:
    """Candidates within *max_distance* of *word*, nearest first, excluding *word* itself."""
    scored: list[tuple[int, str]] = []
    for term in set(candidates):
        if term == word or len(term) < MIN_TERM_LENGTH:
            continue
        distance = edit_distance(word, term, max_distance)
        if distance <= max_distance:
            scored.append((distance, term))
    scored.sort()
    return [term for _, term in scored]


def nearest_terms(word: str, candidates: Iterable[str], max_distance: int) -> list[str]:
    """The candidates at the smallest distance found (up to *max_distance*), alphabetical."""
    found = closest_terms(word, candidates, max_distance)
    if not found:
        return []
    best = edit_distance(word, found[0], max_distance)
    return [term for term in found if edit_distance(word, term, max_distance) == best]
