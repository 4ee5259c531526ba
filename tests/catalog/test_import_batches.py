"""A sheet imported in batches leaves the rows one product at a time would: texts, history, outbox."""

from __future__ import annotations

import typing as t
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from catalog.db import get_session
from catalog.models import AuditEntry
from catalog.models import ContentRevision
from catalog.models import OutboxEntry
from catalog.models import Product
from catalog.models import ProductContent
from catalog.models import WholesaleTier
from catalog.presenting.sheets import row_to_payload
from catalog.schemas.parse import parse_model
from catalog.schemas.products import ProductCreate
from catalog.schemas.products import ProductPatch
from catalog.services import importer
from catalog.services import products
from tests.catalog.test_cli import ROW
from tests.catalog.test_cli import write_csv

TWIN = {**ROW, "sku": "GE-WINE-TWIN"}
CHANGED = {"name_ru": "Вино Саперави красное сухое 0,75 л", "price": "132.00", "category": "drinks.wine.red"}


def _product(session: Session, sku: str) -> Product:
    product = session.scalar(sa.select(Product).where(Product.sku == sku))
    assert product is not None
    return product


def _columns(row: t.Any, skip: set[str]) -> dict[str, t.Any]:
    """Every column value of *row* but those in *skip*."""
    return {c.key: getattr(row, c.key) for c in sa.inspect(type(row)).column_attrs if c.key not in skip}


def _record(session: Session, sku: str) -> dict[str, t.Any]:
    """What one product left behind, without its ids and SKU."""
    product = _product(session, sku)
    revisions = session.scalars(
        sa.select(ContentRevision)
        .where(ContentRevision.product_id == product.id)
        .order_by(ContentRevision.locale, ContentRevision.number)
    )
    audits = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.entity_id == str(product.id)).order_by(AuditEntry.id)
    )
    outbox = session.scalar(sa.select(sa.func.count()).where(OutboxEntry.product_id == product.id))
    return {
        "product": _columns(product, skip={"id", "sku", "created_at", "updated_at"}),
        "version": product.version,
        "category": product.category.path,
        "texts": [
            _columns(c, skip={"id", "product_id", "updated_at"})
            for c in sorted(product.contents, key=lambda c: c.locale)
        ],
        "tiers": [_columns(w, skip={"id", "product_id"}) for w in product.wholesale],
        "revisions": [(r.locale, r.number, r.name, r.source_hashes, r.source_text) for r in revisions],
        "audit": [(a.action, {k: v for k, v in a.changes.items() if k != "sku"}) for a in audits],
        "outbox": outbox,
    }


def test_an_imported_sheet_records_what_single_writes_record(app: Flask, tmp_path: Path) -> None:
    steps: list[tuple[int, int]] = []
    with app.app_context():
        session = get_session()
        report = importer.import_products(
            session, write_csv(tmp_path / "new.csv", [ROW]), None, progress=lambda *s: steps.append(s)
        )
        products.create_product(session, parse_model(ProductCreate, row_to_payload(TWIN)), None)
        session.commit()
        assert report.created == 1
        assert _record(session, ROW["sku"]) == _record(session, TWIN["sku"])

        changed = importer.import_products(
            session, write_csv(tmp_path / "changed.csv", [{**ROW, **CHANGED}]), None
        )
        patch = row_to_payload({**TWIN, **CHANGED})
        del patch["sku"], patch["source_locale"]
        twin = _product(session, TWIN["sku"])
        products.update_product(session, twin, parse_model(ProductPatch, patch), None)
        session.commit()
        assert changed.updated == 1
        imported = _record(session, ROW["sku"])
        assert imported == _record(session, TWIN["sku"])
    assert imported["version"] == 2
    assert imported["category"] == "drinks.wine.red"
    assert [(r[0], r[1]) for r in imported["revisions"]] == [("ru", 1), ("ru", 2), ("zh", 1)]
    assert imported["outbox"] == 2
    assert steps == [(1, 2), (2, 2)]


def test_a_rule_broken_only_against_the_stored_product_rejects_the_whole_sheet(
    app: Flask, tmp_path: Path
) -> None:
    rows = [{**ROW, "sku": f"GE-WINE-{i}"} for i in range(3)]
    with app.app_context():
        session = get_session()
        importer.import_products(session, write_csv(tmp_path / "first.csv", rows), None)
        session.commit()
        # a price under the stored wholesale tiers breaks only once the tiers are the stored ones
        cheaper = [{**rows[0], "price": "129.00"}, {**rows[1], "wholesale": "", "price": "100.00"}, rows[2]]
        try:
            importer.import_products(session, write_csv(tmp_path / "second.csv", cheaper), None)
        except importer.ImportRejected as exc:
            problems = [str(p) for p in exc.report.problems]
        else:
            raise AssertionError("the sheet was imported")
        session.rollback()
        assert {p.split(":")[0] for p in problems} == {"line 3 (GE-WINE-1)"}  # one per tier
        stored = {p.sku: str(p.price_amount) for p in session.scalars(sa.select(Product))}
    assert stored == {f"GE-WINE-{i}": "128.0000" for i in range(3)}


def test_a_sheets_new_products_reach_each_table_in_one_insert(app: Flask, tmp_path: Path) -> None:
    rows = [{**ROW, "sku": f"GE-WINE-{n:03}"} for n in range(12)]
    inserts: list[str] = []

    def note(_conn: t.Any, _cursor: t.Any, statement: str, *_rest: t.Any) -> None:
        if statement.startswith("INSERT INTO "):
            inserts.append(statement.split()[2])

    with app.app_context():
        session = get_session()
        engine = session.get_bind()
        sa.event.listen(engine, "before_cursor_execute", note)
        try:
            report = importer.import_products(session, write_csv(tmp_path / "many.csv", rows), None)
            session.commit()
        finally:
            sa.event.remove(engine, "before_cursor_execute", note)
        assert report.created == len(rows)
        counts = {
            model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Product, ProductContent, WholesaleTier, ContentRevision, AuditEntry, OutboxEntry)
        }
        assert counts == {
            "products": 12,
            "product_contents": 24,
            "wholesale_tiers": 24,
            "content_revisions": 24,
            "audit_log": 12,
            "search_outbox": 12,
        }
        last = _product(session, "GE-WINE-011")
        assert (last.id, [c.product_id for c in last.contents]) == (12, [12, 12])
        assert [(w.product_id, w.min_qty) for w in last.wholesale] == [(12, 6), (12, 24)]
    tables = ("products", "product_contents", "wholesale_tiers", "content_revisions", "audit_log")
    assert {table: inserts.count(table) for table in tables} == dict.fromkeys(tables, 1)
