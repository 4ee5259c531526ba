"""Searching the catalog for a reader: plain filters to an engine query, price bounds in yuan,
the page cursor's state, and hits with their text in the reader's locale and price in their currency.

The API endpoint and the search page both call :func:`search_catalog`; each parses its own input
and shows the errors raised here (:class:`Invalid` with field errors, :class:`Malformed` for a
cursor of another search) in its own way.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
import typing as t
import unicodedata
from decimal import Decimal

from flask_babel import gettext

from catalog.analytics.counters import CounterWriter
from catalog.domain_errors import FieldError
from catalog.domain_errors import Invalid
from catalog.domain_errors import Malformed
from catalog.models import utcnow
from catalog.services import refund_rules
from catalog.services.pricing import BASE_CURRENCY
from catalog.services.pricing import NoRate
from catalog.services.pricing import RateLike
from catalog.services.pricing import convert
from catalog.services.search_analytics import record_search
from search import FACETS
from search import SORTS
from search import FacetValue
from search import InvalidQuery
from search import SearchEngine
from search import SearchHit
from search import SearchQuery
from search.curation import StaffCuration
from translations.formatting import quantize_money
from translations.locales import FallbackChain
from translations.locales import fallback_chain
from translations.locales import render_text

#: The kind of cursor a search page hands out (see :func:`catalog.http.encode_cursor`).
CURSOR_KIND = "search"
DEFAULT_FACETS = ("origin_country", "category", "tax_refund")


@dataclasses.dataclass(frozen=True)
class SearchFilters:
    """What the reader asked for, before any rule is applied."""

    text: str = ""
    countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    booths: tuple[str, ...] = ()
    #: Only products a departing foreign visitor can claim a tax refund on today.
    tax_refund: bool = False
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    #: The currency the price bounds are written in.
    currency: str = BASE_CURRENCY
    sort: str = "relevance"
    facets: tuple[str, ...] = DEFAULT_FACETS

    @property
    def bounded(self) -> bool:
        return self.price_min is not None or self.price_max is not None

    def key(self) -> str:
        """Identifies the search a page cursor belongs to: everything that picks and orders the hits."""
        raw = repr(
            (
                self.text,
                self.countries,
                self.categories,
                self.booths,
                self.tax_refund,
                self.price_min,
                self.price_max,
                self.currency if self.bounded else None,
                self.sort,
                self.facets,
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class ShownHit:
    """A hit as a reader sees it: text in their locale, price in its own and in their currency."""

    id: int
    sku: str
    locale: str
    name: str
    highlight: str
    price: tuple[Decimal, str]
    #: The price in the reader's currency; ``None`` when it is the same or has no rate.
    display_price: tuple[Decimal, str] | None
    thumbnail: str | None


@dataclasses.dataclass(frozen=True)
class SearchPage:
    """One page of results."""

    total: int
    hits: list[ShownHit]
    facets: t.Mapping[str, tuple[FacetValue, ...]]
    #: How many results come before this page.
    offset: int
    #: The state of the next page's cursor; ``None`` on the last page.
    next_cursor: dict[str, t.Any] | None
    #: Query words that matched nothing and were left out of the search.
    ignored_words: tuple[str, ...] = ()
    #: The query with its typos corrected, when nothing matched it as typed.
    corrected_query: str | None = None


def _choice_errors(field: str, values: t.Iterable[str], allowed: t.Sequence[str]) -> list[FieldError]:
    unknown = [v for v in values if v not in allowed]
    if not unknown:
        return []
    message = gettext(
        "Unknown value %(value)s; allowed: %(allowed)s.", value=", ".join(unknown), allowed=", ".join(allowed)
    )
    return [{"field": field, "message": message}]


def check_query_text(text: str) -> None:
    """:class:`Invalid` naming ``q`` when the search text holds control characters (tabs and line breaks pass)."""
    if any(unicodedata.category(char) == "Cc" and char not in "\t\n\r" for char in text):
        message = gettext("The search text holds control characters; type it again without them.")
        raise Invalid.field("q", message)


def check_filters(filters: SearchFilters) -> None:
    """:class:`Invalid` naming the filters that break a rule: control characters, unknown sort or facets, price order."""
    check_query_text(filters.text)
    errors = _choice_errors("sort", [filters.sort], SORTS) + _choice_errors("facets", filters.facets, FACETS)
    if errors:
        raise Invalid.fields(errors)
    low, high = filters.price_min, filters.price_max
    if low is not None and high is not None and low > high:
        message = gettext("The lowest price is above the highest; swap them or clear one.")
        raise Invalid(
            gettext("price_min is greater than price_max."),
            errors=[{"field": "price_min", "message": message}],
        )


def first_row(filters: SearchFilters, cursor: t.Mapping[str, t.Any] | None) -> int:
    """How many results come before the page *cursor* points at; :class:`Malformed` for another search's."""
    if cursor is None:
        return 0
    offset = cursor.get("o")
    if cursor.get("q") != filters.key() or not isinstance(offset, int) or isinstance(offset, bool):
        raise Malformed(gettext("This page link belongs to another search; start again from the first page."))
    return max(0, offset)


def bounds_in_yuan(
    filters: SearchFilters, rates: t.Mapping[str, RateLike]
) -> tuple[Decimal | None, Decimal | None]:
    """The price bounds in yuan; :class:`Invalid` when their currency has no exchange rate."""
    bounds: list[Decimal | None] = []
    for amount in (filters.price_min, filters.price_max):
        if amount is None:
            bounds.append(None)
            continue
        try:
            bounds.append(convert(amount, filters.currency, BASE_CURRENCY, rates)[0])
        except NoRate as exc:
            message = gettext("No exchange rate for %(code)s has been entered.", code=exc.currency)
            raise Invalid.field("currency", message) from exc
    return bounds[0], bounds[1]


def shown_hit(
    hit: SearchHit, chain: FallbackChain, currency: str, rates: t.Mapping[str, RateLike]
) -> ShownHit:
    """*hit* for a reader of *chain* paying in *currency*."""
    display = None
    if currency != hit.currency:
        try:
            display = (convert(hit.price, hit.currency, currency, rates)[0], currency)
        except NoRate:
            display = None
    return ShownHit(
        id=hit.id,
        sku=hit.sku,
        locale=hit.locale,
        name=render_text(hit.name, chain, hit.locale),
        highlight=render_text(hit.highlight, chain, hit.locale),
        price=(quantize_money(hit.price, hit.currency), hit.currency),
        display_price=display,
        thumbnail=hit.thumbnail,
    )


def search_catalog(
    engine: SearchEngine,
    filters: SearchFilters,
    *,
    locale: str,
    currency: str,
    rates: t.Mapping[str, RateLike],
    limit: int,
    cursor: t.Mapping[str, t.Any] | None = None,
    curation: StaffCuration | None = None,
    counts: CounterWriter | None = None,
) -> SearchPage:
    """The page of results *cursor* points at, for a reader of *locale* paying in *currency*.

    The first page of a search is counted in *counts* (search analytics), when given.

    Raises :class:`Invalid` or :class:`Malformed` when the search cannot be run as asked, and lets
    :class:`search.SearchUnavailable` through (each caller answers it in its own way).
    *curation* brings the staff's synonyms and query rules (see :mod:`search.curation`).
    """
    check_filters(filters)
    offset = first_row(filters, cursor)
    price_min, price_max = bounds_in_yuan(filters, rates)
    chain = fallback_chain(locale)
    try:
        query = SearchQuery(
            text=filters.text,
            locales=chain.locales,
            origin_countries=filters.countries,
            categories=filters.categories,
            booths=filters.booths,
            tax_refund=filters.tax_refund,
            tax_refund_on=refund_rules.today(),
            price_min_cny=price_min,
            price_max_cny=price_max,
            sort=filters.sort,
            facets=filters.facets,
            limit=limit,
            offset=offset,
        )
    except InvalidQuery as exc:
        raise Invalid.field("q", str(exc)) from exc
    started = time.perf_counter()
    result = (curation or StaffCuration()).search(engine, query, utcnow())
    if counts is not None and offset == 0:
        engine_seconds = time.perf_counter() - started
        record_search(
            counts,
            text=filters.text,
            locale=locale,
            total=result.total,
            engine_seconds=engine_seconds,
            now=utcnow(),
        )
    after = offset + len(result.hits)
    more = bool(result.hits) and after < result.total
    return SearchPage(
        total=result.total,
        hits=[shown_hit(hit, chain, currency, rates) for hit in result.hits],
        facets=result.facets,
        offset=offset,
        next_cursor={"k": CURSOR_KIND, "o": after, "q": filters.key()} if more else None,
        ignored_words=tuple(result.ignored_words),
        corrected_query=result.corrected_query,
    )
