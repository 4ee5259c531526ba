"""Symmetric-deletion typo candidates and the edit distance that confirms them."""

from __future__ import annotations

import pytest

from search.typos import PREFIX_LENGTH
from search.typos import closest_terms
from search.typos import deletions
from search.typos import edit_distance
from search.typos import nearest_terms


def test_deletions_of_a_short_word() -> None:
    assert deletions("abc", 1) == {"abc", "bc", "ac", "ab"}
    assert deletions("abc", 2) == {"abc", "bc", "ac", "ab", "a", "b", "c"}


def test_deletions_use_the_prefix_only() -> None:
    assert all(len(item) <= PREFIX_LENGTH for item in deletions("ультрапастеризованное"))


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("шоколад", "шоколад", 0), ("шоколат", "шоколад", 1), ("шоколд", "шоколад", 1),
     ("шокколад", "шоколад", 1), ("шокоалд", "шоколад", 1), ("шекалат", "шоколад", 3),
     ("", "abc", 3)],
)  # fmt: skip
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 3) == distance


def test_edit_distance_stops_above_the_limit() -> None:
    assert edit_distance("abcdef", "uvwxyz", 2) == 3


def test_symmetric_deletions_find_every_single_edit() -> None:
    term = "шоколад"
    for typo in ("шоколат", "шоклад", "шокколад", "шокoлад", "ошколад"):
        assert deletions(term) & deletions(typo, 1), typo


def test_closest_terms_nearest_first() -> None:
    found = closest_terms("шоколат", ["шоколад", "шоколадка", "шокалат", "мука", "шоколат"], 1)
    assert found == ["шокалат", "шоколад"]  # both one edit away, then alphabetical
    assert closest_terms("abcdefghij", ["abcdefghzz", "abcdefghiz"], 2) == [
        "abcdefghiz",
        "abcdefghzz",
    ]


def test_nearest_terms_keeps_the_smallest_distance() -> None:
    candidates = ["шоколад", "шоколадка", "шокалат", "мука"]
    assert nearest_terms("шоколат", candidates, 2) == ["шокалат", "шоколад"]
    assert nearest_terms("шоколадки", candidates, 2) == ["шоколадка"]
    assert nearest_terms("сахар", candidates, 1) == []
