"""The card on air: built once per cursor position and product version, then served from a cache.

A card holds the product in every locale and currency of the stream at once, the flash price
while it runs and the live stock. Pulling one up costs one small joined query (what is on
air, which product version, where the flash sale stands) and a dictionary lookup; a cursor
move (in any worker process, through the event it writes) puts the new card in the cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import typing as t
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.freshness import ReadMemo
from catalog.models import ExchangeRate
from catalog.models import LineupItem
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.models import Stream
from catalog.models import StreamCursor
from catalog.models.streams import flash_phase
from catalog.presenting.products import localized
from catalog.presenting.streams import Slot
from catalog.presenting.streams import cursor_json
from catalog.presenting.streams import flash_json
from catalog.services.pricing import BASE_CURRENCY
from catalog.services.pricing import NoRate
from catalog.services.pricing import all_rates
from catalog.services.pricing import convert
from catalog.services.tax_refund import HALL_TIME_ZONE
from catalog.services.tax_refund import RefundRules
from catalog.services.tax_refund import current_rules
from search.recent import Recent
from translations.formatting import country_name
from translations.formatting import format_money


@dataclasses.dataclass(frozen=True)
class CardKey:
    """What a card depends on: the stream's version (locales, currencies, run-sheet), the
    position and item on air, the product's version (stock, price, text) and the flash phase."""

    stream_id: int
    stream_version: int
    position: int
    item_id: int
    product_version: int
    flash_phase: str


class CardCache:
    """A bounded, thread-safe map of rendered cards; entries expire after *ttl* seconds so
    that exchange-rate changes reach a card that stays on air."""

    def __init__(self, size: int = 512, ttl: float = 60.0) -> None:
        self._entries: Recent[CardKey, tuple[float, dict[str, t.Any]]] = Recent(size)
        self._ttl = ttl
        self.hits = self.misses = 0

    def get(self, key: CardKey) -> dict[str, t.Any] | None:
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry[0] > self._ttl:
            self.misses += 1
            return None
        self.hits += 1
        return entry[1]

    def put(self, key: CardKey, card: dict[str, t.Any]) -> None:
        self._entries.put(key, (time.monotonic(), card))


def card_for_slot(
    session: Session,
    stream: Stream,
    cursor: StreamCursor,
    slot: Slot,
    cache: CardCache,
    now: dt.datetime,
    low_stock: int,
) -> dict[str, t.Any]:
    """The card of *slot*: a lookup when cached, else built from the item and cached."""
    phase = slot.flash_phase(now)
    key = CardKey(stream.id, stream.version, cursor.position, slot.item_id, slot.product_version, phase)
    card = cache.get(key)
    if card is None:
        item = session.get(LineupItem, slot.item_id)
        assert item is not None
        card = _rebuild(session, stream, cursor, item, cache, now, low_stock)
    return card


def card_key(stream: Stream, cursor: StreamCursor, item: LineupItem, now: dt.datetime) -> CardKey:
    return CardKey(
        stream.id, stream.version, cursor.position, item.id, item.product.version, item.flash_phase(now)
    )


def key_from_card(card: t.Mapping[str, t.Any]) -> CardKey:
    """The key a pushed card was built for (cards carry it, so other processes can cache them)."""
    return CardKey(*card["key"])


def _price(
    amount: Decimal, source: str, target: str, locale: str, rates: t.Mapping[str, ExchangeRate]
) -> dict[str, t.Any]:
    try:
        converted, as_of = convert(amount, source, target, rates)
    except NoRate:
        return {
            "amount": None,
            "currency": target,
            "formatted": None,
            "error": f"no exchange rate for {target}",
        }
    return {
        "amount": str(converted),
        "currency": target,
        "formatted": format_money(converted, target, locale),
        "rate_as_of": as_of.isoformat() if as_of else None,
    }


def build_card(
    stream: Stream,
    cursor: StreamCursor,
    item: LineupItem,
    rates: t.Mapping[str, ExchangeRate],
    now: dt.datetime,
    low_stock: int,
    refund_rules: RefundRules,
) -> dict[str, t.Any]:
    """The card of *item* in every locale and currency of *stream*."""
    product = item.product
    key = card_key(stream, cursor, item, now)
    running = key.flash_phase == "running"
    refund = refund_rules.estimate(product, now.astimezone(HALL_TIME_ZONE).date())
    locales: dict[str, t.Any] = {}
    for locale in stream.locales:
        text = localized(product, locale)
        prices = {
            c: _price(product.price_amount, product.price_currency, c, locale, rates)
            for c in stream.currencies
        }
        flash = None
        if running and item.flash_amount is not None:
            flash = {
                c: _price(item.flash_amount, product.price_currency, c, locale, rates)
                for c in stream.currencies
            }
        locales[locale] = {
            "name": text["name"],
            "description": text["description"],
            "highlights": text["highlights"],
            "fallback_from": text["fallback_from"],
            "origin": country_name(product.origin_country, locale),
            "price": prices,
            "flash_price": flash,
            "tax_refund": None
            if refund is None
            else {
                "refund_percent": str(refund[0].normalize()),
                "estimate": {
                    c: _price(refund[1], product.price_currency, c, locale, rates) for c in stream.currencies
                },
                "min_spend": {
                    c: _price(refund_rules.min_spend_cny, BASE_CURRENCY, c, locale, rates)
                    for c in stream.currencies
                },
            },
        }
    return {
        "key": list(dataclasses.astuple(key)),
        "position": cursor.position,
        "number": item.number,
        "item_id": item.id,
        "product": {
            "id": product.id,
            "sku": product.sku,
            "origin_country": product.origin_country,
            "brand": product.brand,
            "status": product.status.value,
            "available": product.status is ProductStatus.PUBLISHED,
            "version": product.version,
        },
        "stock": {"count": product.stock, "low": product.stock <= low_stock, "sold_out": product.stock == 0},
        "flash": flash_json(item, now),
        "locales": locales,
    }


def on_air_item(stream: Stream, cursor: StreamCursor) -> LineupItem | None:
    return next((i for i in stream.items if i.id == cursor.item_id), None)


def card_for_move(
    session: Session, stream: Stream, cursor: StreamCursor, cache: CardCache, now: dt.datetime, low_stock: int
) -> dict[str, t.Any] | None:
    """The card for where the cursor now stands, rebuilt unless cached."""
    item = on_air_item(stream, cursor)
    if item is None:
        return None
    return cache.get(card_key(stream, cursor, item, now)) or _rebuild(
        session, stream, cursor, item, cache, now, low_stock
    )


def _rebuild(
    session: Session,
    stream: Stream,
    cursor: StreamCursor,
    item: LineupItem,
    cache: CardCache,
    now: dt.datetime,
    low_stock: int,
) -> dict[str, t.Any]:
    card = build_card(stream, cursor, item, all_rates(session), now, low_stock, current_rules(session))
    cache.put(card_key(stream, cursor, item, now), card)
    return card


def envelope(stream: Stream, cursor: StreamCursor, card: dict[str, t.Any] | None) -> dict[str, t.Any]:
    """The card with where the cursor stands (the answer to moves, reads and ``card`` events)."""
    return {
        "stream_id": stream.id,
        "status": stream.status.value,
        **cursor_json(cursor, stream),
        "card": card,
    }


_ON_AIR = (
    sa.select(
        Stream.version,
        Stream.status,
        Stream.display_delay_seconds,
        StreamCursor.position,
        StreamCursor.item_id,
        StreamCursor.pinned,
        StreamCursor.moves,
        StreamCursor.moved_at,
        LineupItem.flash_amount,
        LineupItem.flash_starts_at,
        LineupItem.flash_ends_at,
        Product.version,
    )
    .select_from(StreamCursor)
    .join(Stream, Stream.id == StreamCursor.stream_id)
    .outerjoin(LineupItem, LineupItem.id == StreamCursor.item_id)
    .outerjoin(Product, Product.id == LineupItem.product_id)
)


def on_air_row(session: Session, stream_id: int) -> t.Sequence[t.Any] | None:
    """Where the cursor of *stream_id* stands, with the versions its card depends on."""
    return session.execute(_ON_AIR.where(StreamCursor.stream_id == stream_id)).one_or_none()


def current_card(
    session: Session,
    stream_id: int,
    cache: CardCache,
    now: dt.datetime,
    low_stock: int,
    memo: ReadMemo | None = None,
) -> dict[str, t.Any] | None:
    """The envelope of the card on air, or ``None`` when the stream does not exist.

    A hit costs one joined query (none while *memo* remembers it) and a dictionary lookup; a
    miss rebuilds and caches the card.
    """
    if memo is None:
        row = on_air_row(session, stream_id)
    else:
        row = memo.get(("on_air", stream_id), lambda: on_air_row(session, stream_id))
    if row is None:
        return None
    (
        version,
        status,
        delay,
        position,
        item_id,
        pinned,
        moves,
        moved_at,
        amount,
        starts,
        ends,
        product_version,
    ) = row
    card = None
    if item_id is not None:
        phase = flash_phase(amount, starts, ends, now)
        card = cache.get(CardKey(stream_id, version, position, item_id, product_version, phase))
        if card is None:
            stream, cursor = session.get(Stream, stream_id), session.get(StreamCursor, stream_id)
            assert stream is not None and cursor is not None
            item = session.get(LineupItem, item_id)
            if item is not None:
                card = _rebuild(session, stream, cursor, item, cache, now, low_stock)
    show_at = moved_at + dt.timedelta(seconds=delay) if moved_at else None
    return {
        "stream_id": stream_id,
        "status": status.value,
        "position": position,
        "item_id": item_id,
        "pinned": pinned,
        "moves": moves,
        "moved_at": moved_at.isoformat() if moved_at else None,
        "show_at": show_at.isoformat() if show_at else None,
        "display_delay_seconds": delay,
        "card": card,
    }
