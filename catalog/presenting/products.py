"""Products as JSON: their text in the reader's locale, their price in the reader's currency."""

from __future__ import annotations

import typing as t

from flask_babel import gettext

from catalog.domain_errors import Invalid
from catalog.models import ExchangeRate
from catalog.models import Product
from catalog.models import Reader
from catalog.presenting.tax_refund import refund_json
from catalog.services.pricing import NoRate
from catalog.services.pricing import display_price
from catalog.services.tax_refund import RefundRules
from catalog.services.tax_refund import today
from catalog.services.visibility import visible_contents
from translations.formatting import quantize_money as quantize
from translations.locales import DEFAULT_FALLBACK_CHAIN
from translations.locales import fallback_chain
from translations.locales import render_text


def localized(product: Product, locale: str) -> dict[str, t.Any]:
    """The product's text for *locale*, falling back along its chain."""
    chain = fallback_chain(locale, product.fallback_chain)
    visible = {c.locale: c for c in visible_contents(product, None)}  # what every reader may see
    used = chain.pick(visible) or product.source_locale
    content = visible.get(used) or product.content_for(product.source_locale)
    assert content is not None  # the source locale's text always exists
    return {
        "locale": locale,
        "name": render_text(content.name, chain, used),
        "description": render_text(content.description, chain, used),
        "highlights": [render_text(h, chain, used) for h in content.highlights],
        "fallback_from": None if used == chain.locales[0] else used,
    }


def price_for(
    product: Product, currency: str, locale: str, rates: t.Mapping[str, ExchangeRate]
) -> dict[str, t.Any]:
    """The display price in *currency*, formatted for *locale*; 422 when no rate is known."""
    try:
        price = display_price(product.price_amount, product.price_currency, currency, locale, rates)
    except NoRate as exc:
        message = gettext(
            "No exchange rate for %(code)s has been entered; staff set it with PUT /api/v1/rates/%(code)s.",
            code=exc.currency,
        )
        raise Invalid.field("currency", message) from exc
    return {
        "amount": str(price.amount),
        "currency": price.currency,
        "formatted": price.formatted,
        "rate_as_of": price.rate_as_of.isoformat() if price.rate_as_of else None,
    }


def product_json(
    product: Product,
    locale: str,
    currency: str,
    rates: t.Mapping[str, ExchangeRate],
    thumbnail: str | None = None,
    reader: Reader | None = None,
    refund_rules: RefundRules | None = None,
) -> dict[str, t.Any]:
    """The full JSON of *product* for *reader* of *locale* paying in *currency* (texts they may see).

    With *refund_rules*, it tells a departing foreign visitor what they would get back today.
    """
    body = {
        "id": product.id,
        "sku": product.sku,
        "source_locale": product.source_locale,
        "content": {
            c.locale: {"name": c.name, "description": c.description, "highlights": list(c.highlights)}
            for c in visible_contents(product, reader)
        },
        "origin_country": product.origin_country,
        "category": product.category.path,
        "booth": product.booth.slug if product.booth else None,
        "brand": product.brand,
        "price": {
            "amount": str(quantize(product.price_amount, product.price_currency)),
            "currency": product.price_currency,
        },
        "wholesale": [
            {"min_qty": w.min_qty, "amount": str(quantize(w.amount, product.price_currency))}
            for w in product.wholesale
        ],
        "stock": product.stock,
        "barcode": product.barcode,
        "status": product.status.value,
        "tags": list(product.tags),
        "hs_code": product.hs_code,
        "net_quantity": product.net_quantity,
        "shelf_life_days": product.shelf_life_days,
        "fallback_chain": list(product.fallback_chain or DEFAULT_FALLBACK_CHAIN),
        "version": product.version,
        "created_at": product.created_at.isoformat(),
        "updated_at": product.updated_at.isoformat(),
        "localized": localized(product, locale),
        "display_price": price_for(product, currency, locale, rates),
        "thumbnail": thumbnail,
        "vat_class": product.vat_class,
        "tax_refund_excluded": product.tax_refund_excluded,
    }
    if refund_rules is not None:
        body["tax_refund"] = refund_json(product, refund_rules, today(), locale, currency, rates)
    return body
