"""Boosts in Elasticsearch and OpenSearch requests (see :mod:`search.boosts`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from search.boosts import BOOST
from search.boosts import boost_query
from search.documents import SearchQuery

#: Builds the filters of a query's facets (:func:`search.dsl_query.facet_filters`).
FacetFilters = Callable[[SearchQuery], dict[str, dict[str, Any]]]


def boosted_clause(main: dict[str, Any], query: SearchQuery, facet_filters: FacetFilters) -> dict[str, Any]:
    """*main* with :data:`BOOST` added to the score of the products *query* boosts."""
    target = boost_query(query)
    if target is None:
        return main
    boosted = {"bool": {"should": list(facet_filters(target).values()), "minimum_should_match": 1}}
    return {"bool": {"must": [main], "should": [{"constant_score": {"filter": boosted, "boost": BOOST}}]}}
