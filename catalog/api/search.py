"""``/api/v1/search`` and ``/api/v1/search/suggest``."""

from __future__ import annotations

import hashlib
import typing as t
from decimal import Decimal

from flask import Blueprint
from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from catalog.api.presenters import reading_currency
from catalog.api.presenters import reading_locale
from catalog.api.spec import operation
from catalog.db import get_session
from catalog.errors import BadRequest
from catalog.errors import FieldError
from catalog.errors import ServiceUnavailable
from catalog.errors import Unprocessable
from catalog.http import decode_cursor
from catalog.http import encode_cursor
from catalog.http import invalid
from catalog.http import parse_query
from catalog.schemas.search import SearchAnswer
from catalog.schemas.search import SearchParams
from catalog.schemas.search import SuggestAnswer
from catalog.schemas.search import SuggestParams
from catalog.searching import get_search
from catalog.services.pricing import NoRate
from catalog.services.pricing import all_rates
from catalog.services.pricing import convert
from search import FACETS
from search import SORTS
from search import InvalidQuery
from search import SearchHit
from search import SearchQuery
from search import SearchUnavailable
from translations.formatting import quantize_money as quantize
from translations.locales import fallback_chain
from translations.locales import render_text

bp = Blueprint("search_api", __name__, url_prefix="/api/v1/search")


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _unavailable(exc: Exception) -> ServiceUnavailable:
    return ServiceUnavailable(
        gettext("Search is unavailable right now; the catalog itself still works. Try again shortly."),
        headers={"Retry-After": "5"},
        extra={"engine_error": str(exc)},
    )


def _check_choices(field: str, values: t.Iterable[str], allowed: t.Sequence[str]) -> list[FieldError]:
    unknown = [v for v in values if v not in allowed]
    if not unknown:
        return []
    message = gettext(
        "Unknown value %(value)s; allowed: %(allowed)s.", value=", ".join(unknown), allowed=", ".join(allowed)
    )
    return [{"field": field, "message": message}]


def _price_bounds(params: SearchParams, currency: str) -> tuple[Decimal | None, Decimal | None]:
    if params.price_min is None and params.price_max is None:
        return None, None
    rates = all_rates(get_session())
    bounds: list[Decimal | None] = []
    for raw in (params.price_min, params.price_max):
        if raw is None:
            bounds.append(None)
            continue
        try:
            bounds.append(convert(Decimal(raw), currency, "CNY", rates)[0])
        except NoRate as exc:
            message = gettext("No exchange rate for %(code)s has been entered.", code=exc.currency)
            raise Unprocessable(message, errors=[{"field": "currency", "message": message}]) from exc
    return bounds[0], bounds[1]


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
    facets = _split(params.facets) if params.facets is not None else ("origin_country", "category")
    errors = _check_choices("sort", [params.sort], SORTS) + _check_choices("facets", facets, FACETS)
    if params.price_min and params.price_max and Decimal(params.price_min) > Decimal(params.price_max):
        errors.append({"field": "price_min", "message": gettext("price_min is greater than price_max.")})
    if errors:
        raise invalid(errors)
    key = hashlib.sha256(repr(params.model_dump(exclude={"cursor", "limit"})).encode()).hexdigest()[:16]
    state = decode_cursor(params.cursor, "search")
    if state is not None and state.get("q") != key:
        raise BadRequest(gettext("This cursor was made for another search; start from the first page."))
    offset = int(state["o"]) if state else 0
    price_min, price_max = _price_bounds(params, currency)
    chain = fallback_chain(locale)
    try:
        query = SearchQuery(
            text=params.q,
            locales=chain.locales,
            origin_countries=_split(params.origin_country),
            categories=_split(params.category),
            booths=_split(params.booth),
            price_min_cny=price_min,
            price_max_cny=price_max,
            sort=params.sort,
            facets=facets,
            limit=params.limit,
            offset=offset,
        )
        result = get_search().engine.search(query)
    except InvalidQuery as exc:
        raise Unprocessable(str(exc), errors=[{"field": "q", "message": str(exc)}]) from exc
    except SearchUnavailable as exc:
        raise _unavailable(exc) from exc
    rates = all_rates(get_session()) if currency else {}
    items = [_hit_json(hit, chain, currency, rates) for hit in result.hits]
    next_offset = offset + len(result.hits)
    next_cursor = (
        encode_cursor({"k": "search", "o": next_offset, "q": key})
        if result.hits and next_offset < result.total
        else None
    )
    return jsonify(
        {
            "total": result.total,
            "items": items,
            "facets": {
                name: [{"value": f.value, "count": f.count} for f in values]
                for name, values in result.facets.items()
            },
            "next_cursor": next_cursor,
            "ignored_words": list(result.ignored_words),
            "corrected_query": result.corrected_query,
        }
    )


def _hit_json(hit: SearchHit, chain: t.Any, currency: str, rates: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    item: dict[str, t.Any] = {
        "id": hit.id,
        "sku": hit.sku,
        "name": render_text(hit.name, chain, hit.locale),
        "locale": hit.locale,
        "highlight": render_text(hit.highlight, chain, hit.locale),
        "price": {"amount": str(quantize(hit.price, hit.currency)), "currency": hit.currency},
        "display_price": None,
        "thumbnail": hit.thumbnail,
    }
    if currency != hit.currency:
        try:
            amount, _ = convert(hit.price, hit.currency, currency, rates)
            item["display_price"] = {"amount": str(amount), "currency": currency}
        except NoRate:
            pass
    return item


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
        message = gettext("Type-ahead takes at most 100 characters.")
        raise Unprocessable(message, errors=[{"field": "q", "message": message}])
    try:
        suggestions = get_search().engine.suggest(params.q, locales=chain.locales, limit=params.limit)
    except InvalidQuery as exc:
        raise Unprocessable(str(exc), errors=[{"field": "q", "message": str(exc)}]) from exc
    except SearchUnavailable as exc:
        raise _unavailable(exc) from exc
    return jsonify({"suggestions": [{"text": s.text, "product_id": s.product_id} for s in suggestions]})
