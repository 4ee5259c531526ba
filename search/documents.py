"""Plain value objects exchanged between the catalog and every search engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from decimal import Decimal

from search.synonyms import SynonymTable
from translations.locales import CONTENT_LOCALES

#: Content locales a document may carry text in (the locale registry's).
LOCALES: tuple[str, ...] = CONTENT_LOCALES
#: Allowed values of :attr:`SearchQuery.sort`.
SORTS: tuple[str, ...] = ("relevance", "price_asc", "price_desc", "newest")
#: Allowed values in :attr:`SearchQuery.facets`.
FACETS: tuple[str, ...] = ("origin_country", "category", "booth", "tax_refund")
#: The one value of the ``tax_refund`` facet: products a departing visitor can claim a refund on.
TAX_REFUND = "true"
#: Longest query text accepted, in characters.
MAX_QUERY_LENGTH = 200
#: Largest page size.
MAX_LIMIT = 100
#: ``offset + limit`` may not go past this (Elasticsearch's default result window).
MAX_WINDOW = 10_000


#: A span of days ``[start, end)``; ``end`` is ``None`` while no later rule ends it.
RefundPeriod = tuple[date, date | None]


class SearchError(Exception):
    """Base class of every search failure."""


class SearchUnavailable(SearchError):
    """The engine cannot be reached or timed out; the catalog answers 503."""


class InvalidQuery(SearchError, ValueError):
    """The query cannot be run as given (for example its text is too long); 422."""


@dataclass(frozen=True)
class LocalizedText:
    """A product's text in one content locale."""

    name: str
    description: str = ""
    highlights: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchDocument:
    """One published product as the index sees it."""

    id: int
    version: int
    sku: str
    barcode: str | None
    origin_country: str
    category: str
    booth: str | None
    brand: str | None
    price: Decimal
    currency: str
    price_cny: Decimal
    created_at: datetime
    texts: Mapping[str, LocalizedText]
    tags: tuple[str, ...] = ()
    thumbnail: str | None = None
    popularity: float = 0.0
    #: Per content locale, the names of the product's category (and its ancestors) and booth.
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Days a departure tax refund can be claimed on the product: ``(first day, day it ends or None)``.
    tax_refund_periods: tuple[RefundPeriod, ...] = ()


@dataclass(frozen=True)
class Boosts:
    """Products of these origin countries, categories (with their subcategories) or booths."""

    countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    booths: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.countries or self.categories or self.booths)


@dataclass(frozen=True)
class SearchQuery:
    """What a reader asks for.

    ``locales`` is the display chain only: the text always searches every language's fields.
    Construction checks the shape and raises :class:`InvalidQuery` with a readable message.
    """

    text: str = ""
    locales: tuple[str, ...] = ("zh",)
    origin_countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    booths: tuple[str, ...] = ()
    #: Only products a departure tax refund can be claimed on, on :attr:`tax_refund_on`.
    tax_refund: bool = False
    #: The day the ``tax_refund`` filter and facet judge by (the caller's calendar).
    tax_refund_on: date = field(default_factory=date.today)
    price_min_cny: Decimal | None = None
    price_max_cny: Decimal | None = None
    sort: str = "relevance"
    facets: tuple[str, ...] = ("origin_country", "category")
    limit: int = 20
    offset: int = 0
    #: Staff synonyms the words are expanded with (see :mod:`search.synonyms`).
    synonyms: SynonymTable | None = None
    #: Products ranked above the others that match as well (see :mod:`search.boosts`).
    boosts: Boosts | None = None

    def __post_init__(self) -> None:
        problem = query_problem(self)
        if problem is not None:
            raise InvalidQuery(problem)


def query_problem(query: SearchQuery) -> str | None:
    """Return why *query* cannot be run, or ``None`` when it is fine."""
    if not isinstance(query.text, str):
        return "query text must be a string"
    if len(query.text) > MAX_QUERY_LENGTH:
        length, limit = len(query.text), MAX_QUERY_LENGTH
        return f"query text is {length} characters long; the limit is {limit}, shorten it"
    if not query.locales:
        return "locales must name at least one locale, e.g. ('zh',)"
    if query.sort not in SORTS:
        return f"unknown sort {query.sort!r}; use one of: {', '.join(SORTS)}"
    unknown = [name for name in query.facets if name not in FACETS]
    if unknown:
        return f"unknown facet {unknown[0]!r}; use any of: {', '.join(FACETS)}"
    if isinstance(query.limit, bool) or not 1 <= query.limit <= MAX_LIMIT:
        return f"limit must be between 1 and {MAX_LIMIT}, got {query.limit}"
    if isinstance(query.offset, bool) or query.offset < 0:
        return f"offset must be zero or more, got {query.offset}"
    if query.offset + query.limit > MAX_WINDOW:
        return f"offset + limit may not exceed {MAX_WINDOW}; narrow the search instead"
    bounds = (("price_min_cny", query.price_min_cny), ("price_max_cny", query.price_max_cny))
    for label, bound in bounds:
        if bound is not None and (not isinstance(bound, Decimal) or not bound.is_finite()):
            return f"{label} must be a finite Decimal, got {bound!r}"
        if bound is not None and bound < 0:
            return f"{label} may not be negative, got {bound}"
    if (
        query.price_min_cny is not None
        and query.price_max_cny is not None
        and query.price_min_cny > query.price_max_cny
    ):
        low, high = query.price_min_cny, query.price_max_cny
        return f"price_min_cny ({low}) is greater than price_max_cny ({high})"
    return None


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet and how many results carry it."""

    value: str
    count: int


@dataclass(frozen=True)
class SearchHit:
    """One result, already resolved to the reader's locale chain."""

    id: int
    sku: str
    score: float
    name: str
    locale: str
    highlight: str
    price: Decimal
    currency: str
    thumbnail: str | None


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the total and the disjunctive facet counts."""

    total: int
    hits: tuple[SearchHit, ...]
    facets: Mapping[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    #: Words of the query that match nothing and were left out of the search.
    ignored_words: tuple[str, ...] = ()
    #: "Did you mean": the query with its words corrected, when only typo corrections match.
    corrected_query: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """A type-ahead completion: a product name and its product."""

    text: str
    product_id: int


@dataclass(frozen=True)
class BulkReport:
    """How a bulk write went: the count written and each failure as ``(doc id, reason)``."""

    indexed: int
    failed: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class EngineHealth:
    """The engine's state for ``/healthz``."""

    ok: bool
    engine: str
    detail: str
    version: str | None = None
    documents: int | None = None


def document_problem(doc: SearchDocument) -> str | None:
    """Return why *doc* cannot be indexed, or ``None``; engines report it in :class:`BulkReport`."""
    if isinstance(doc.id, bool) or not isinstance(doc.id, int) or doc.id <= 0:
        return f"id must be a positive integer, got {doc.id!r}"
    if not doc.sku or not doc.sku.strip():
        return "sku is empty"
    unknown = sorted(set(doc.texts) - set(LOCALES))
    if unknown:
        return f"unknown content locale {unknown[0]!r}; use any of: {', '.join(LOCALES)}"
    if not any(text.name.strip() for text in doc.texts.values()):
        return "the product has no name in any locale"
    if not doc.category or any(not part for part in doc.category.split(".")):
        return f"category must be a dotted slug path like 'food.flour', got {doc.category!r}"
    if not isinstance(doc.price_cny, Decimal) or not doc.price_cny.is_finite():
        return f"price_cny must be a finite Decimal, got {doc.price_cny!r}"
    if doc.created_at.tzinfo is None:
        return "created_at must be timezone-aware (UTC)"
    return None


def category_ancestors(category: str) -> tuple[str, ...]:
    """Return ``food``, ``food.flour`` for ``food.flour``: every prefix a filter can name."""
    parts = category.split(".")
    return tuple(".".join(parts[: i + 1]) for i in range(len(parts)))
