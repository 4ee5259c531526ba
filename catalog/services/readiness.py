"""Go-live readiness: whether each run-sheet item, and so the stream, can go on air in every
locale and currency of its audience."""

from __future__ import annotations

import datetime as dt
import typing as t

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

import media
from catalog.domain_errors import Conflict
from catalog.models import ExchangeRate
from catalog.models import LineupItem
from catalog.models import ProductImage
from catalog.models import Stream
from catalog.models import User
from catalog.services import audit
from catalog.services.translating_state import current_revisions
from catalog.services.translating_state import status_of
from translations.locales import content_locale

Level = t.Literal["ready", "warnings", "blocked"]
_RANK: dict[Level, int] = {"ready": 0, "warnings": 1, "blocked": 2}
#: The layouts the name and highlights must fit (the PNG card and the OBS overlay come in both).
LAYOUTS: tuple[media.Layout, ...] = ("portrait", "landscape")


def _reason(level: Level, code: str, message: str, **where: t.Any) -> dict[str, t.Any]:
    return {"level": level, "code": code, "message": message, **where}


def worst(levels: t.Iterable[Level]) -> Level:
    """The most serious of *levels* (``ready`` for none)."""
    return max(levels, key=_RANK.__getitem__, default="ready")


def _text_reasons(
    item: LineupItem, locales: t.Sequence[str], revisions: t.Mapping[t.Any, t.Any]
) -> list[dict[str, t.Any]]:
    product = item.product
    reasons: list[dict[str, t.Any]] = []
    for locale in locales:
        content = product.content_for(locale)
        if content is None or not content.name.strip():
            message = gettext("No %(locale)s text; the card shows another language.", locale=locale)
            reasons.append(_reason("warnings", "text_missing", message, locale=locale))
            continue
        state = "reviewed"
        if locale != product.source_locale:
            state = status_of(product, locale, revisions.get((product.id, locale))).state
        if state == "stale":
            message = gettext("The %(locale)s text is older than the source text.", locale=locale)
            reasons.append(_reason("warnings", "text_stale", message, locale=locale))
        elif state != "reviewed":
            message = gettext("The %(locale)s text is not reviewed.", locale=locale)
            reasons.append(_reason("warnings", "text_unreviewed", message, locale=locale))
        for layout in LAYOUTS:
            for part in media.overflow(
                content.name, content.highlights, layout, item.flash_amount is not None
            ):
                message = overflow_message(part, layout, locale)
                reasons.append(_reason("warnings", "card_overflow", message, locale=locale, layout=layout))
    return reasons


def overflow_message(part: str, layout: str, locale: str) -> str:
    """What is cut short where: the name or the highlights, in the portrait or landscape layout."""
    if part == "name" and layout == "portrait":
        message = gettext("The %(locale)s name is cut short on the portrait card and overlay.", locale=locale)
    elif part == "name":
        message = gettext(
            "The %(locale)s name is cut short on the landscape card and overlay.", locale=locale
        )
    elif layout == "portrait":
        message = gettext(
            "The %(locale)s highlights are cut short on the portrait card and overlay.", locale=locale
        )
    else:
        message = gettext(
            "The %(locale)s highlights are cut short on the landscape card and overlay.", locale=locale
        )
    return str(message)


def _stock_reasons(item: LineupItem) -> list[dict[str, t.Any]]:
    stock = item.product.stock
    if stock <= 0:
        return [_reason("blocked", "sold_out", gettext("Out of stock."))]
    wanted = item.flash_per_viewer_limit
    if item.flash_amount is not None and wanted is not None and stock < wanted:
        message = gettext("Stock %(stock)d is below the flash quantity %(n)d.", stock=stock, n=wanted)
        return [_reason("blocked", "stock_below_flash", message)]
    return []


def _picture_reasons(
    pictures: t.Mapping[int, list[ProductImage]], item: LineupItem
) -> list[dict[str, t.Any]]:
    found = pictures.get(item.product_id, [])
    if not any(picture.renditions for picture in found):
        return [_reason("warnings", "no_picture", gettext("No picture renditions."))]
    return []


def _price_reasons(
    item: LineupItem,
    currencies: t.Sequence[str],
    rates: t.Mapping[str, ExchangeRate],
    now: dt.datetime,
    max_age: dt.timedelta,
) -> list[dict[str, t.Any]]:
    reasons: list[dict[str, t.Any]] = []
    own = item.product.price_currency
    for currency in currencies:
        if currency == own:
            continue
        for needed in {currency, own} - {"CNY"}:
            rate = rates.get(needed)
            if rate is None:
                message = gettext("No exchange rate for %(currency)s.", currency=needed)
                reasons.append(_reason("blocked", "rate_missing", message, currency=needed))
            elif _aware(rate.as_of) < now - max_age:
                message = gettext(
                    "The %(currency)s rate is from %(date)s.",
                    currency=needed,
                    date=rate.as_of.date().isoformat(),
                )
                reasons.append(_reason("warnings", "rate_old", message, currency=needed))
    unique = {(r["code"], r["currency"]): r for r in reasons}
    return list(unique.values())


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def readiness(
    session: Session, stream: Stream, now: dt.datetime, rate_max_age: dt.timedelta
) -> dict[str, t.Any]:
    """The readiness report of *stream*; 409 when its run-sheet is empty."""
    if not stream.items:
        raise Conflict(gettext("Stream %(id)s has an empty run-sheet; add products first.", id=stream.id))
    locales = list(dict.fromkeys(content_locale(loc) for loc in stream.locales))
    product_ids = [item.product_id for item in stream.items]
    revisions = current_revisions(session, product_ids)
    pictures: dict[int, list[ProductImage]] = {}
    for picture in session.scalars(sa.select(ProductImage).where(ProductImage.product_id.in_(product_ids))):
        pictures.setdefault(picture.product_id, []).append(picture)
    rates = {rate.currency: rate for rate in session.scalars(sa.select(ExchangeRate))}
    items: list[dict[str, t.Any]] = []
    for item in stream.items:
        reasons = [
            *_text_reasons(item, locales, revisions),
            *_picture_reasons(pictures, item),
            *_stock_reasons(item),
            *_price_reasons(item, stream.currencies, rates, now, rate_max_age),
        ]
        items.append(
            {
                "item_id": item.id,
                "position": item.position,
                "number": item.number,
                "product_id": item.product_id,
                "sku": item.product.sku,
                "status": worst(r["level"] for r in reasons),
                "reasons": reasons,
            }
        )
    return {
        "stream_id": stream.id,
        "status": worst(i["status"] for i in items),
        "locales": locales,
        "currencies": list(stream.currencies),
        "counts": {level: sum(1 for i in items if i["status"] == level) for level in _RANK},
        "items": items,
    }


def gate_start(
    session: Session,
    stream: Stream,
    user: User | None,
    now: dt.datetime,
    rate_max_age: dt.timedelta,
    force: bool,
) -> None:
    """409 with the report when *stream* is blocked, unless *force*: then the start is recorded as forced."""
    if not stream.items:
        return
    report = readiness(session, stream, now, rate_max_age)
    if report["status"] != "blocked":
        return
    if not force:
        raise Conflict(
            gettext(
                "Stream %(id)s is not ready to go live; fix the blocked items or force the start.",
                id=stream.id,
            ),
            extra={"readiness": report},
        )
    blocked = [i["sku"] for i in report["items"] if i["status"] == "blocked"]
    audit.record(session, user, "stream.start_forced", "stream", stream.id, {"blocked": [None, blocked]})
