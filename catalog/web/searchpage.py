"""The search page's query: parsed from the query string, run on the engine, shaped for the page."""

from __future__ import annotations

import dataclasses
import hashlib
import typing as t
from decimal import Decimal
from decimal import InvalidOperation

from flask import request
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer
from markupsafe import Markup

from catalog.models import ExchangeRate
from catalog.searching import get_search
from catalog.services.pricing import NoRate
from catalog.services.pricing import convert
from catalog.web.context import _
from catalog.web.context import highlight_markup
from catalog.web.context import money
from search import SORTS
from search import InvalidQuery
from search import SearchQuery
from search import SearchResult
from translations.locales import fallback_chain
from translations.locales import render_text

PAGE_SIZE = 20
FILTERS = {"country": "origin_country", "category": "category", "booth": "booth"}


class SearchPageError(ValueError):
    """The reader's search cannot be run as asked; the message says what to change."""


@dataclasses.dataclass(frozen=True)
class PageQuery:
    """What the search form asked for."""

    text: str
    countries: tuple[str, ...]
    categories: tuple[str, ...]
    booths: tuple[str, ...]
    sort: str
    offset: int
    price_min: Decimal | None = None
    price_max: Decimal | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.countries or self.categories or self.booths)

    def key(self) -> str:
        """Identifies the search a cursor belongs to (everything but the page)."""
        raw = repr(
            (
                self.text,
                self.countries,
                self.categories,
                self.booths,
                self.sort,
                self.price_min,
                self.price_max,
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="web-search-cursor")


def _amount(text: str) -> Decimal | None:
    text = text.strip().replace(",", ".").replace(" ", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
        raise SearchPageError(_("Write a price as a number, such as 250 or 99.50."))
    return amount


def parse_page_query(secret: str) -> PageQuery:
    """The search asked for in this request's query string."""
    args = request.args
    text = args.get("q", "").strip()
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        sort = "relevance"
    query = PageQuery(
        text=text,
        countries=tuple(v.upper() for v in args.getlist("country") if v),
        categories=tuple(v for v in args.getlist("category") if v),
        booths=tuple(v for v in args.getlist("booth") if v),
        sort=sort,
        offset=0,
        price_min=_amount(args.get("price_min", "")),
        price_max=_amount(args.get("price_max", "")),
    )
    if query.price_min is not None and query.price_max is not None and query.price_min > query.price_max:
        raise SearchPageError(_("The lowest price is above the highest; swap them or clear one."))
    cursor = args.get("cursor")
    if not cursor:
        return query
    try:
        state = _serializer(secret).loads(cursor)
    except BadSignature as exc:
        raise SearchPageError(_("This page link is damaged; start again from the first page.")) from exc
    if not isinstance(state, dict) or state.get("q") != query.key() or not isinstance(state.get("o"), int):
        raise SearchPageError(_("This page link belongs to another search; start again from the first page."))
    return dataclasses.replace(query, offset=max(0, int(state["o"])))


def next_cursor(query: PageQuery, result: SearchResult, secret: str) -> str | None:
    """The cursor of the page after this one, or ``None`` on the last page."""
    after = query.offset + len(result.hits)
    if not result.hits or after >= result.total:
        return None
    return str(_serializer(secret).dumps({"q": query.key(), "o": after}))


def _in_cny(amount: Decimal | None, currency: str, rates: t.Mapping[str, ExchangeRate]) -> Decimal | None:
    if amount is None:
        return None
    try:
        return convert(amount, currency, "CNY", rates)[0]
    except NoRate:
        return amount if currency == "CNY" else None


def run_search(
    query: PageQuery, locale: str, currency: str = "CNY", rates: t.Mapping[str, ExchangeRate] | None = None
) -> SearchResult:
    """Run *query* for a reader of *locale* (prices bounded in *currency*); :class:`SearchPageError` when refused."""
    rates = rates or {}
    try:
        engine_query = SearchQuery(
            text=query.text,
            locales=fallback_chain(locale).locales,
            origin_countries=query.countries,
            categories=query.categories,
            booths=query.booths,
            price_min_cny=_in_cny(query.price_min, currency, rates),
            price_max_cny=_in_cny(query.price_max, currency, rates),
            sort=query.sort,
            facets=("origin_country", "category", "booth"),
            limit=PAGE_SIZE,
            offset=query.offset,
        )
    except InvalidQuery as exc:
        raise SearchPageError(str(exc)) from exc
    return get_search().engine.search(engine_query)


def result_items(
    result: SearchResult, locale: str, currency: str, rates: t.Mapping[str, ExchangeRate]
) -> list[dict[str, t.Any]]:
    """The hits as the page shows them: name, marked-up highlight, price in the reader's currency."""
    chain = fallback_chain(locale)
    items = []
    for hit in result.hits:
        name = render_text(hit.name, chain, hit.locale)
        marked = highlight_markup(render_text(hit.highlight, chain, hit.locale))
        in_name = marked.striptags() == " ".join(name.split())
        items.append(
            {
                "id": hit.id,
                "sku": hit.sku,
                "name": marked if in_name else Markup.escape(name),
                "snippet": None if in_name or not marked else marked,
                "price": money(hit.price, hit.currency, currency, rates),
                "thumbnail": hit.thumbnail,
            }
        )
    return items
