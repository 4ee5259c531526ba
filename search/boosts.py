"""Boosted products rank above the others that match the query as well, on every engine.

A boost adds :data:`BOOST` to the score of each product of a boosted origin country,
category or booth (once, however many of them it belongs to). That is more than every
field and exactness difference of a whole query but less than one word matched without a
typo (:data:`search.ranking.WITHOUT_TYPO`): a boosted product with a typo never outranks
one matched as typed.
"""

from __future__ import annotations

import dataclasses

from search.documents import SearchQuery
from search.ranking import WITHOUT_TYPO

#: Score added to a boosted product.
BOOST = WITHOUT_TYPO / 2


def boost_query(query: SearchQuery) -> SearchQuery | None:
    """The boosts of *query* as a query whose filters pick the boosted products; ``None`` without."""
    boosts = query.boosts
    if not boosts or query.sort != "relevance":
        return None
    return dataclasses.replace(
        query,
        origin_countries=boosts.countries,
        categories=boosts.categories,
        booths=boosts.booths,
        price_min_cny=None,
        price_max_cny=None,
        boosts=None,
    )


def boosted_leaves(leaves: list[tuple[float, int]], boosted: int) -> list[tuple[float, int]]:
    """Split each ``(score, row set)`` in two: its *boosted* rows with :data:`BOOST` added, the rest."""
    if not boosted:
        return leaves
    out: list[tuple[float, int]] = []
    for score, rows in leaves:
        lifted, rest = rows & boosted, rows & ~boosted
        if lifted:
            out.append((score + BOOST, lifted))
        if rest:
            out.append((score, rest))
    return out


def union_of(row_sets: list[int]) -> int:
    """Rows in any of *row_sets*."""
    rows = 0
    for item in row_sets:
        rows |= item
    return rows
