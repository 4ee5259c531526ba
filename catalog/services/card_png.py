"""The on-air product card as a PNG: the product's text, price and picture, in one locale."""

from __future__ import annotations

import typing as t

from flask_babel import force_locale
from flask_babel import gettext
from sqlalchemy.orm import Session

import media
from catalog.models import ExchangeRate
from catalog.models import Product
from catalog.presenting.products import localized
from catalog.presenting.products import price_for
from catalog.services.images import gallery
from translations.formatting import country_name
from translations.locales import content_locale
from translations.locales import fallback_chain
from translations.locales import render_for
from translations.locales import render_text

LAYOUTS = tuple(media.LAYOUTS)


def card_labels(locale: str) -> media.CardLabels:
    """The card's words in *locale* (Kazakh Latin is the Kazakh catalog, transliterated)."""
    with force_locale(content_locale(locale)):
        labels = media.CardLabels(
            origin=gettext("Origin"),
            booth=gettext("Booth"),
            scan=gettext("Scan to buy"),
            flash=gettext("Flash price"),
        )
    return media.CardLabels(
        *(render_for(locale, v) for v in (labels.origin, labels.booth, labels.scan, labels.flash))
    )


def booth_name(product: Product, locale: str) -> str:
    """The booth's name in *locale*, falling back like product text."""
    if product.booth is None:
        return ""
    chain = fallback_chain(locale)
    used = chain.pick(product.booth.names)
    name = product.booth.names[used] if used else product.booth.slug
    return render_text(name, chain, used) if used else name


def card_content(
    session: Session,
    read: t.Callable[[str], bytes],
    product: Product,
    locale: str,
    currency: str,
    rates: t.Mapping[str, ExchangeRate],
    product_url: str,
) -> media.CardContent:
    """Everything the card shows, display-ready."""
    text = localized(product, locale)
    price = price_for(product, currency, locale, rates)
    images = gallery(session, product.id)
    picture: bytes | None = None
    focal = media.renditions.CENTRE
    if images:
        key = images[0].key("zoom", "jpeg")  # decodes faster than the WebP
        picture = read(key) if key else None
        focal = (images[0].focal_x, images[0].focal_y)
    return media.CardContent(
        name=text["name"],
        price=price["formatted"],
        origin_country=country_name(product.origin_country, locale),
        origin_code=product.origin_country,
        booth=booth_name(product, locale),
        highlights=tuple(text["highlights"][:3]),
        image=picture,
        image_focal=focal,
        qr_url=product_url,
        labels=card_labels(locale),
    )
