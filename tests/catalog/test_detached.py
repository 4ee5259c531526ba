"""Rows written outside the session: the same stored values as a flush, defaults filled, memory freed at once."""

from __future__ import annotations

import datetime as dt
import gc
import typing as t
import weakref
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.db import make_engine
from catalog.models import AuditEntry
from catalog.models import Product
from catalog.models import ProductContent
from catalog.models import WholesaleTier
from catalog.services import detached

URUMQI = dt.timezone(dt.timedelta(hours=6))
CHANGES = {"content.ru": {"name": [None, "Мёд горный"]}, "price": [None, "88.50 CNY"]}


def _raw_rows(session: Session, ids: t.Sequence[int]) -> list[tuple[t.Any, ...]]:
    """The audit rows *ids* as the database holds them, text as text."""
    query = sa.text(
        "SELECT CAST(at AS TEXT), user_id, action, entity_type, entity_id, CAST(changes AS TEXT) "
        "FROM audit_log WHERE id IN :ids ORDER BY id"
    ).bindparams(sa.bindparam("ids", expanding=True))
    return [tuple(row) for row in session.execute(query, {"ids": list(ids)})]


def test_a_row_written_outside_the_session_is_stored_as_a_flush_stores_it(database_url: str) -> None:
    engine = make_engine(database_url)
    at = dt.datetime(2026, 12, 4, 21, 30, 15, 250_000, tzinfo=URUMQI)
    values = {"at": at, "action": "product.create", "entity_type": "product", "changes": CHANGES}
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            flushed = AuditEntry(entity_id="1", **values)
            session.add(flushed)
            session.flush()
            detached.insert_detached(session, [detached.built(AuditEntry, entity_id="2", **values)])
            written = session.scalar(sa.select(AuditEntry.id).where(AuditEntry.entity_id == "2"))
            assert written is not None
            ours, theirs = _raw_rows(session, [flushed.id, written])
            stored = session.scalars(sa.select(AuditEntry).where(AuditEntry.id == written)).one()
    finally:
        engine.dispose()
    assert ours[:4] == theirs[:4] and ours[5] == theirs[5]
    assert stored.at == at.astimezone(dt.UTC) and stored.changes == CHANGES


def test_columns_left_out_get_their_python_defaults(database_url: str) -> None:
    engine = make_engine(database_url)
    before = dt.datetime.now(dt.UTC)
    entries = [
        detached.built(AuditEntry, action="product.create", entity_type="product", entity_id=str(n))
        for n in range(3)
    ]
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            detached.insert_detached(session, entries)
            stored = session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    finally:
        engine.dispose()
    assert [entry.entity_id for entry in stored] == ["0", "1", "2"]
    assert all(entry.changes == {} for entry in stored)
    assert all(before <= entry.at <= dt.datetime.now(dt.UTC) for entry in stored)


def _product_with_children() -> Product:
    product = Product(
        sku="KZ-HONEY-1", source_locale="ru", price_amount=Decimal("88.5"), price_currency="CNY"
    )
    product.contents.append(ProductContent(locale="ru", name="Мёд горный"))
    product.wholesale.append(WholesaleTier(min_qty=6, amount=Decimal("80")))
    return product


@pytest.mark.parametrize("released", [True, False])
def test_released_objects_are_freed_without_the_cyclic_collector(released: bool) -> None:
    product = _product_with_children()
    text = weakref.ref(product.contents[0])
    held = weakref.ref(product)
    enabled = gc.isenabled()
    gc.disable()
    try:
        if released:
            detached.release([product])
        del product
        alive = (held() is not None, text() is not None)
    finally:
        if enabled:
            gc.enable()
        gc.collect()
    # linked to each other, a product and its text wait for the collector; released, they go at once
    assert alive == ((False, False) if released else (True, True))
