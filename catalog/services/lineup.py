"""Run-sheets: the ordered products of a stream, with on-air numbers, notes and flash prices."""

from __future__ import annotations

import datetime as dt
import typing as t
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import Conflict
from catalog.domain_errors import FieldError
from catalog.domain_errors import Invalid
from catalog.domain_errors import NotFound
from catalog.models import LineupItem
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.models import Stream
from catalog.models import StreamCursor
from catalog.models import StreamStatus
from catalog.models import User
from catalog.presenting.streams import lineup_json
from catalog.schemas.streams import FlashIn
from catalog.schemas.streams import LineupItemIn
from catalog.services import audit
from catalog.services import stream_events
from catalog.services.cards import CardCache
from catalog.services.cards import card_for_move
from catalog.services.cards import envelope
from catalog.validation import check_amount_digits
from translations.formatting import quantize_money as quantize

MAX_ITEMS = 500
#: How long a flash sale runs when the host switches it on and the run-sheet gave no end.
FLASH_MINUTES = 15


def _product_problems(
    items: t.Sequence[LineupItemIn], products: t.Mapping[int, Product], already: set[int], field: str
) -> tuple[list[FieldError], list[int]]:
    """Products that may not go on the run-sheet: unknown, draft, or archived (unless already on it)."""
    errors: list[FieldError] = []
    bad: list[int] = []
    for i, item in enumerate(items):
        product = products.get(item.product_id)
        where = field.format(i=i)
        if product is None:
            message = f"Product {item.product_id} does not exist."
        elif product.status is ProductStatus.PUBLISHED or product.id in already:
            continue
        else:
            message = f"Product {product.id} ({product.sku}) is {product.status.value}; only published products go on air."
        errors.append({"field": where, "message": message})
        if item.product_id not in bad:
            bad.append(item.product_id)
    return errors, bad


def _flash_problems(item: LineupItemIn, product: Product, field: str) -> list[FieldError]:
    flash = item.flash
    if flash is None:
        return []
    errors: list[FieldError] = []
    currency = product.price_currency
    amount = Decimal(flash.amount)
    regular = f"{quantize(product.price_amount, currency)} {currency}"
    if flash.currency is not None and flash.currency != currency:
        errors.append(
            {
                "field": f"{field}.flash.currency",
                "message": f"Give the flash price in the product's currency, {currency}.",
            }
        )
    try:
        check_amount_digits(amount, currency)
    except ValueError as exc:
        errors.append({"field": f"{field}.flash.amount", "message": str(exc)})
    if amount >= product.price_amount:
        errors.append(
            {
                "field": f"{field}.flash.amount",
                "message": f"The flash price {flash.amount} {currency} must be below the regular price {regular}.",
            }
        )
    if flash.ends_at <= flash.starts_at:
        errors.append(
            {
                "field": f"{field}.flash.ends_at",
                "message": f"The flash sale ends ({flash.ends_at.isoformat()}) before it starts "
                f"({flash.starts_at.isoformat()}).",
            }
        )
    return errors


def check_items(
    session: Session, stream: Stream, items: t.Sequence[LineupItemIn], field: str
) -> dict[int, Product]:
    """Validate *items* for *stream*; 422 naming every product id that may not go on air.

    *field* names an item's product in errors, e.g. ``"product_ids.{i}"``.
    """
    ids = {item.product_id for item in items}
    products = (
        {p.id: p for p in session.scalars(sa.select(Product).where(Product.id.in_(ids)))} if ids else {}
    )
    already = {item.product_id for item in stream.items}
    errors, bad = _product_problems(items, products, already, field)
    if bad:
        raise Invalid(
            gettext(
                "These products cannot go on the run-sheet: %(ids)s. Only published products can.",
                ids=", ".join(str(b) for b in bad),
            ),
            errors=errors,
            extra={"product_ids": bad},
        )
    numbers: dict[int, int] = {}
    for i, item in enumerate(items):
        prefix = field.format(i=i).removesuffix(".product_id")
        errors += _flash_problems(item, products[item.product_id], prefix)
        if item.number is not None:
            if item.number in numbers:
                errors.append(
                    {"field": f"{prefix}.number", "message": f"Number {item.number} is used twice."}
                )
            numbers[item.number] = i
    if errors:
        raise Invalid(gettext("The run-sheet has invalid items."), errors=errors)
    return products


def _fill(row: LineupItem, item: LineupItemIn, product: Product) -> None:
    row.product = product
    row.notes = item.notes
    flash = item.flash
    row.flash_amount = Decimal(flash.amount) if flash else None
    row.flash_starts_at = flash.starts_at if flash else None
    row.flash_ends_at = flash.ends_at if flash else None
    row.flash_per_viewer_limit = flash.per_viewer_limit if flash else None


def set_lineup(
    session: Session, stream: Stream, cursor: StreamCursor, items: t.Sequence[LineupItemIn], field: str
) -> None:
    """Replace the run-sheet; rows of products that stay are kept, so the card on air stays."""
    if len(items) > MAX_ITEMS:
        raise Invalid(gettext("A run-sheet holds at most %(n)d items.", n=MAX_ITEMS))
    products = check_items(session, stream, items, field)
    unused: dict[int, list[LineupItem]] = {}
    for row in stream.items:
        unused.setdefault(row.product_id, []).append(row)
    rows: list[LineupItem] = []
    for item in items:
        kept = unused.get(item.product_id)
        row = kept.pop(0) if kept else LineupItem(stream_id=stream.id, number=0, position=0)
        _fill(row, item, products[item.product_id])
        row.number = item.number or 0
        rows.append(row)
    for leftovers in unused.values():
        for row in leftovers:
            session.delete(row)
    stream.items = rows
    _renumber(stream)


def insert_item(session: Session, stream: Stream, item: LineupItemIn, at: int | None) -> LineupItem:
    """Insert one item at 1-based position *at* (default: the end)."""
    size = len(stream.items)
    if at is not None and not 1 <= at <= size + 1:
        raise Invalid(
            gettext("Insert at a position from 1 to %(n)d.", n=size + 1),
            errors=[{"field": "at", "message": f"Must be 1..{size + 1}."}],
        )
    products = check_items(session, stream, [item], "product_id")
    taken = {row.number for row in stream.items}
    if item.number is not None and item.number in taken:
        raise Invalid(
            gettext("Number %(n)d is already on the run-sheet.", n=item.number),
            errors=[{"field": "number", "message": f"Number {item.number} is already used."}],
        )
    row = LineupItem(stream_id=stream.id, position=0, number=item.number or 0)
    _fill(row, item, products[item.product_id])
    items = list(stream.items)
    items.insert((at or size + 1) - 1, row)
    stream.items = items
    _renumber(stream)
    return row


def insert_up_next(session: Session, stream: Stream, cursor: StreamCursor, product_id: int) -> LineupItem:
    """Insert *product_id* right after the card on air (at the start when nothing has been on air)."""
    at = min(cursor.position + 1, len(stream.items) + 1)
    return insert_item(session, stream, LineupItemIn(product_id=product_id), at)


def remove_item(session: Session, stream: Stream, item_id: int) -> None:
    """Take one item off the run-sheet."""
    row = next((r for r in stream.items if r.id == item_id), None)
    if row is None:
        raise NotFound(gettext("Stream %(s)s has no run-sheet item %(i)s.", s=stream.id, i=item_id))
    stream.items = [r for r in stream.items if r.id != item_id]
    session.delete(row)
    _renumber(stream)


def kept(item: LineupItem, flash: FlashIn | bool | None = True) -> LineupItemIn:
    """*item* as the run-sheet input that keeps it as it is (or with another *flash*, ``None`` for none)."""
    if flash is True:
        flash = None
        if item.flash_amount is not None and item.flash_starts_at and item.flash_ends_at:
            flash = FlashIn(
                amount=str(item.flash_amount.normalize()),
                starts_at=item.flash_starts_at,
                ends_at=item.flash_ends_at,
                per_viewer_limit=item.flash_per_viewer_limit,
            )
    return LineupItemIn(
        product_id=item.product_id,
        number=item.number,
        notes=item.notes,
        flash=flash if isinstance(flash, FlashIn) else None,
    )


def reorder(session: Session, stream: Stream, cursor: StreamCursor, item_ids: t.Sequence[int]) -> None:
    """Put the run-sheet in the order of *item_ids*; each item keeps its number, notes and flash price."""
    by_id = {item.id: item for item in stream.items}
    if sorted(item_ids) != sorted(by_id):
        raise Invalid.field("item_ids", gettext("Send every item of the run-sheet once, in the new order."))
    set_lineup(session, stream, cursor, [kept(by_id[i]) for i in item_ids], "item_ids.{i}")


def flash_window(item: LineupItem, on: bool, now: dt.datetime) -> FlashIn:
    """The flash sale of *item* switched on or off at *now*.

    On: it runs from now to its planned end, or for :data:`FLASH_MINUTES` when that has passed
    or there is none. Off: it ends now, keeping its start when it had begun.
    """
    assert item.flash_amount is not None
    amount = str(item.flash_amount.normalize())
    if on:
        ends = item.flash_ends_at if item.flash_ends_at and item.flash_ends_at > now else None
        return FlashIn(
            amount=amount,
            starts_at=now,
            ends_at=ends or now + dt.timedelta(minutes=FLASH_MINUTES),
            per_viewer_limit=item.flash_per_viewer_limit,
        )
    starts = item.flash_starts_at if item.flash_starts_at and item.flash_starts_at < now else None
    return FlashIn(
        amount=amount,
        starts_at=starts or now - dt.timedelta(seconds=1),
        ends_at=now,
        per_viewer_limit=item.flash_per_viewer_limit,
    )


def switch_flash(session: Session, stream: Stream, cursor: StreamCursor, on: bool, now: dt.datetime) -> None:
    """Start (*on*) or stop the flash sale of the card on air; 409 when it has no flash price."""
    item = next((i for i in stream.items if i.id == cursor.item_id), None)
    if item is None or item.flash_amount is None:
        raise Conflict(gettext("The card on air has no flash price in the run-sheet."))
    window = flash_window(item, on, now)
    items = [kept(i, window if i.id == item.id else True) for i in stream.items]
    set_lineup(session, stream, cursor, items, "items.{i}.product_id")


def _renumber(stream: Stream) -> None:
    """Positions 1..n in order; items without a number get the smallest free one from their position."""
    taken = {row.number for row in stream.items if row.number}
    for position, row in enumerate(stream.items, start=1):
        row.position = position
        if not row.number:
            number = position
            while number in taken:
                number += 1
            row.number = number
            taken.add(number)


def lineup_changed(
    session: Session,
    stream: Stream,
    cursor: StreamCursor,
    user: User | None,
    now: dt.datetime,
    cache: CardCache,
    low_stock: int,
) -> None:
    """After a run-sheet change: follow the on-air item, bump the version, tell the listeners."""
    session.flush()
    on_air = next((row for row in stream.items if row.id == cursor.item_id), None)
    if on_air is not None:
        cursor.position = on_air.position
    elif cursor.item_id is not None or cursor.position > len(stream.items):
        # the item on air was removed: nothing is on air; "next" goes on from where it was
        cursor.item_id, cursor.pinned = None, False
        cursor.position = min(max(cursor.position - 1, 0), len(stream.items))
    stream.version += 1
    session.flush()
    lineup = lineup_json(session, stream.id, now)
    audit.record(
        session, user, "stream.lineup", "stream", stream.id, {"lineup": [None, [i["sku"] for i in lineup]]}
    )
    stream_events.record(
        session, stream.id, "lineup", {"stream_id": stream.id, "version": stream.version, "lineup": lineup}
    )
    if stream.status is StreamStatus.LIVE:
        card = card_for_move(session, stream, cursor, cache, now, low_stock)
        stream_events.record(session, stream.id, "card", envelope(stream, cursor, card))
