"""``/api/v1/search`` and ``/api/v1/search/suggest``."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint
from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from catalog.analytics import get_analytics
from catalog.api.spec import operation
from catalog.caches import current_rates
from catalog.curating import get_curations
from catalog.db import get_session
from catalog.errors import ServiceUnavailable
from catalog.errors import Unprocessable
from catalog.http import decode_cursor
from catalog.http import encode_cursor
from catalog.http import parse_query
from catalog.negotiation import reading_currency
from catalog.negotiation import reading_locale
from catalog.schemas.search import SearchAnswer
from catalog.schemas.search import SearchParams
from catalog.schemas.search import SuggestAnswer
from catalog.schemas.search import SuggestParams
from catalog.searching import get_search
from catalog.services.product_search import CURSOR_KIND
from catalog.services.product_search import DEFAULT_FACETS
from catalog.services.product_search import SearchFilters
from catalog.services.product_search import check_query_text
from catalog.services.product_search import search_catalog
from search import InvalidQuery
from search import SearchUnavailable
from translations.locales import fallback_chain

bp = Blueprint("search_api", __name__, url_prefix="/api/v1/search")


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _unavailable(exc: Exception) -> ServiceUnavailable:
    return ServiceUnavailable(
        gettext("Search is unavailable right now; the catalog itself still works. Try again shortly."),
        headers={"Retry-After": "5"},
        extra={"engine_error": str(exc)},
    )


def _amount(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def _money(amount: tuple[Decimal, str] | None) -> dict[str, str] | None:
    return {"amount": str(amount[0]), "currency": amount[1]} if amount else None


@bp.get("")
@operation(
    summary="Search published products in any language or script",
    tag="search",
    query=SearchParams,
    responses={200: SearchAnswer},
    errors=(422, 503),
)
def search() -> ResponseReturnValue:
    params = parse_query(SearchParams)
    locale = reading_locale(params.locale)
    currency = reading_currency(params.currency)
    filters = SearchFilters(
        text=params.q,
        countries=_split(params.origin_country),
        categories=_split(params.category),
        booths=_split(params.booth),
        tax_refund=params.tax_refund,
        price_min=_amount(params.price_min),
        price_max=_amount(params.price_max),
        currency=currency,
        sort=params.sort,
        facets=_split(params.facets) if params.facets is not None else DEFAULT_FACETS,
    )
    try:
        page = search_catalog(
            get_search().engine,
            filters,
            locale=locale,
            currency=currency,
            rates=current_rates(),
            limit=params.limit,
            cursor=decode_cursor(params.cursor, CURSOR_KIND),
            curation=get_curations().for_locale(get_session(), locale),
            counts=get_analytics().writer,
        )
    except SearchUnavailable as exc:
        raise _unavailable(exc) from exc
    items = [
        {
            "id": hit.id,
            "sku": hit.sku,
            "name": hit.name,
            "locale": hit.locale,
            "highlight": hit.highlight,
            "price": _money(hit.price),
            "display_price": _money(hit.display_price),
            "thumbnail": hit.thumbnail,
        }
        for hit in page.hits
    ]
    return jsonify(
        {
            "total": page.total,
            "items": items,
            "facets": {
                name: [{"value": f.value, "count": f.count} for f in values]
                for name, values in page.facets.items()
            },
            "next_cursor": encode_cursor(page.next_cursor) if page.next_cursor else None,
            "ignored_words": list(page.ignored_words),
            "corrected_query": page.corrected_query,
        }
    )


@bp.get("/suggest")
@operation(
    summary="Type-ahead suggestions from the second letter",
    tag="search",
    query=SuggestParams,
    responses={200: SuggestAnswer},
    errors=(422, 503),
)
def suggest() -> ResponseReturnValue:
    params = parse_query(SuggestParams)
    chain = fallback_chain(reading_locale(params.locale))
    if len(params.q) > 100:
        raise Unprocessable.field("q", gettext("Type-ahead takes at most 100 characters."))
    check_query_text(params.q)
    try:
        suggestions = get_search().engine.suggest(params.q, locales=chain.locales, limit=params.limit)
    except InvalidQuery as exc:
        raise Unprocessable.field("q", str(exc)) from exc
    except SearchUnavailable as exc:
        raise _unavailable(exc) from exc
    return jsonify({"suggestions": [{"text": s.text, "product_id": s.product_id} for s in suggestions]})
