"""Pages for viewers: the catalog home, search and product pages, the language switch."""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from catalog.analytics import get_analytics
from catalog.caches import current_rates
from catalog.curating import get_curations
from catalog.db import get_session
from catalog.errors import CatalogError
from catalog.errors import NotFound
from catalog.errors import status_of
from catalog.http import decode_cursor
from catalog.http import encode_cursor
from catalog.live import actions
from catalog.models import utcnow
from catalog.negotiation import LOCALE_COOKIE
from catalog.presenting.products import localized
from catalog.presenting.streams import title_for
from catalog.presenting.tax_refund import refund_json
from catalog.searching import get_search
from catalog.services import pricing
from catalog.services import products as product_service
from catalog.services import streams as stream_service
from catalog.services.categories import booths
from catalog.services.categories import category_tree
from catalog.services.product_search import CURSOR_KIND
from catalog.services.product_search import search_catalog
from catalog.services.streams import schedule_json
from catalog.services.tax_refund import current_rules
from catalog.services.tax_refund import today
from catalog.services.visibility import product_visible
from catalog.web import replay
from catalog.web import showcase
from catalog.web.context import CURRENCY_COOKIE
from catalog.web.context import _
from catalog.web.context import in_page_script
from catalog.web.context import money
from catalog.web.context import name_in
from catalog.web.context import page_currency
from catalog.web.context import page_locale
from catalog.web.context import safe_next
from catalog.web.pictures import gallery_for
from catalog.web.searchpage import PAGE_SIZE
from catalog.web.searchpage import page_filters
from catalog.web.searchpage import result_items
from catalog.web.signin import signed_in_user
from search import SearchUnavailable
from translations.locales import content_locale
from translations.locales import normalize_locale

bp = Blueprint("viewer", __name__)
YEAR = 365 * 24 * 3600


def _currencies(rates: t.Mapping[str, t.Any]) -> list[str]:
    return [current_app.config["DEFAULT_CURRENCY"], *sorted(rates)]


@bp.get("/")
def home() -> ResponseReturnValue:
    session = get_session()
    categories = [c for c in category_tree(session) if "." not in c.path]
    return render_template(
        "viewer/home.html",
        categories=[(c.path, name_in(c.names, c.slug)) for c in categories],
        booths=[(b.slug, name_in(b.names, b.slug), b.country) for b in booths(session)],
        shows=showcase.upcoming_shows(session, page_locale()),
    )


@bp.get("/search")
def search() -> ResponseReturnValue:
    session = get_session()
    rates = current_rates()
    currency = page_currency(rates)
    values: dict[str, t.Any] = {"currency": currency, "currencies": _currencies(rates), "error": None}
    try:
        filters = page_filters(currency)
        page = search_catalog(
            get_search().engine,
            filters,
            locale=page_locale(),
            currency=currency,
            rates=rates,
            limit=PAGE_SIZE,
            cursor=decode_cursor(request.args.get("cursor"), CURSOR_KIND),
            curation=get_curations().for_locale(session, page_locale()),
            counts=get_analytics().writer,
        )
    except CatalogError as exc:
        error = in_page_script(" ".join(e["message"] for e in exc.errors) or exc.detail)
        page_values = {**values, "error": error}
        return render_template("viewer/search.html", query=None, result=None, **page_values), status_of(exc)
    except SearchUnavailable:
        message = _("Search is unavailable right now; try again in a moment.")
        return render_template(
            "viewer/search.html", query=None, result=None, **{**values, "error": message}
        ), 503
    names = {
        "category": {c.path: name_in(c.names, c.slug) for c in category_tree(session)},
        "booth": {b.slug: name_in(b.names, b.slug) for b in booths(session)},
    }
    return render_template(
        "viewer/search.html",
        query=filters,
        result=page,
        offset=page.offset,
        items=result_items(page),
        facet_names=names,
        cursor=encode_cursor(page.next_cursor) if page.next_cursor else None,
        **values,
    )


@bp.get("/products/<int:product_id>")
def product(product_id: int) -> ResponseReturnValue:
    session = get_session()
    item = product_service.get_product(session, product_id)
    staff = signed_in_user()
    if not product_visible(item, staff):
        raise NotFound(_("This product is not on sale."))
    rates = pricing.all_rates(session)
    currency = page_currency(rates)
    locale = page_locale()
    text = localized(item, locale)
    tiers = [
        (tier.min_qty, money(tier.amount, item.price_currency, currency, rates)) for tier in item.wholesale
    ]
    category_names = {c.path: name_in(c.names, c.slug) for c in category_tree(session)}
    crumbs = []
    parts = item.category.path.split(".")
    for depth in range(1, len(parts) + 1):
        path = ".".join(parts[:depth])
        crumbs.append((path, category_names.get(path, parts[depth - 1])))
    return render_template(
        "viewer/product.html",
        product=item,
        text=text,
        price=money(item.price_amount, item.price_currency, currency, rates),
        source_price=money(item.price_amount, item.price_currency, item.price_currency, rates),
        tiers=tiers,
        currency=currency,
        currencies=_currencies(rates),
        crumbs=crumbs,
        booth_name=name_in(item.booth.names, item.booth.slug) if item.booth else None,
        staff=staff,
        images=gallery_for(session, item, text["name"]),
        refund=refund_json(item, current_rules(session), today(), locale, currency, rates),
        seen_in=replay.seen_in(session, item.id, locale),
    )


@bp.get("/shows/<int:stream_id>")
def show(stream_id: int) -> ResponseReturnValue:
    """A show for viewers: what is on air, following the stream live (and statically without script)."""
    session = get_session()
    stream = stream_service.get_stream(session, stream_id)
    locale = page_locale()
    locales = list(stream.locales) or ["zh"]
    card_locale = (
        locale
        if locale in locales
        else (content_locale(locale) if content_locale(locale) in locales else locales[0])
    )
    rates = pricing.all_rates(session)
    currency = page_currency(rates)
    if currency not in stream.currencies:
        currency = (stream.currencies or ["CNY"])[0]
    envelope = actions.card_on_air(session, stream_id)
    card = envelope["card"] if envelope else None
    return render_template(
        "viewer/show.html",
        stream=stream,
        title=title_for(stream, locale),
        card=card,
        text=card["locales"].get(card_locale) if card else None,
        position=envelope["position"] if envelope else 0,
        card_locale=card_locale,
        card_currency=currency,
        schedule=schedule_json(stream, showcase.ZONE_BY_LOCALE.get(locale, "Asia/Urumqi"), locale, utcnow()),
    )


@bp.get("/locale/<locale>")
def choose_locale(locale: str) -> ResponseReturnValue:
    """Save the reader's language in a cookie and go back to the page they were on."""
    chosen = normalize_locale(locale)
    if chosen is None:
        raise NotFound(_("This language is not offered."))
    response = redirect(safe_next(request.args.get("next"), url_for(".home")))
    _remember(response, LOCALE_COOKIE, chosen)
    return response


@bp.get("/currency")
def choose_currency() -> ResponseReturnValue:
    """Save the reader's currency (``?code=``) in a cookie and go back to the page they were on."""
    code = request.args.get("code", "")
    rates = pricing.all_rates(get_session())
    if code not in _currencies(rates):
        raise NotFound(_("Prices cannot be shown in this currency."))
    response = redirect(safe_next(request.args.get("next"), url_for(".home")))
    _remember(response, CURRENCY_COOKIE, code)
    return response


def _remember(response: t.Any, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=YEAR,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
