"""The search page's side of a search: its query string read as filters, and hits shaped for HTML."""

from __future__ import annotations

import typing as t
from decimal import Decimal
from decimal import InvalidOperation

from flask import request
from markupsafe import Markup

from catalog.domain_errors import Invalid
from catalog.services.product_search import SearchFilters
from catalog.services.product_search import SearchPage
from catalog.web.context import _
from catalog.web.context import highlight_markup
from catalog.web.context import page_locale
from search import SORTS
from translations.formatting import format_money

PAGE_SIZE = 20
#: The page counts every facet it offers as chips.
PAGE_FACETS = ("origin_country", "category", "booth", "tax_refund")


def _amount(field: str) -> Decimal | None:
    text = request.args.get(field, "").strip().replace(",", ".").replace(" ", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
        raise Invalid.field(field, _("Write a price as a number, such as 250 or 99.50."))
    return amount


def page_filters(currency: str) -> SearchFilters:
    """The search asked for in this request's query string; price bounds are in ``?currency=``, else *currency*.

    An unknown sort falls back to relevance (the page offers only the known ones).
    """
    args = request.args
    sort = args.get("sort") or "relevance"
    return SearchFilters(
        text=args.get("q", "").strip(),
        countries=tuple(v.upper() for v in args.getlist("country") if v),
        categories=tuple(v for v in args.getlist("category") if v),
        booths=tuple(v for v in args.getlist("booth") if v),
        tax_refund=args.get("tax_refund", "").lower() in ("true", "1", "on"),
        price_min=_amount("price_min"),
        price_max=_amount("price_max"),
        currency=args.get("currency") or currency,
        sort=sort if sort in SORTS else "relevance",
        facets=PAGE_FACETS,
    )


def result_items(page: SearchPage) -> list[dict[str, t.Any]]:
    """The hits as the page shows them: name, marked-up highlight, price in the reader's currency."""
    locale = page_locale()
    items = []
    for hit in page.hits:
        marked = highlight_markup(hit.highlight)
        in_name = marked.striptags() == " ".join(hit.name.split())
        amount, currency = hit.display_price or hit.price
        items.append(
            {
                "id": hit.id,
                "sku": hit.sku,
                "name": marked if in_name else Markup.escape(hit.name),
                "snippet": None if in_name or not marked else marked,
                "price": format_money(amount, currency, locale),
                "thumbnail": hit.thumbnail,
            }
        )
    return items
