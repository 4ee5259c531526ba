"""The translation memory of one language pair, as units of a TMX file."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import Product
from catalog.models import ProductContent
from catalog.services.translating_memory import memory_entries
from translations.exchange_tmx import TmxUnit

_BATCH = 500


def memory_units(session: Session, source_locale: str, target_locale: str) -> list[TmxUnit]:
    """Every reviewed field of products written in *source_locale* and translated into *target_locale*."""
    rows = session.execute(
        sa.select(Product.id, Product.sku)
        .join(ProductContent, ProductContent.product_id == Product.id)
        .where(
            Product.source_locale == source_locale,
            ProductContent.locale == target_locale,
            ProductContent.state == "reviewed",
        )
        .order_by(Product.id)
    ).all()
    skus = {row.id: row.sku for row in rows}
    ids = list(skus)
    units: list[TmxUnit] = []
    for start in range(0, len(ids), _BATCH):
        for entry in memory_entries(session, ids[start : start + _BATCH]):
            if entry.target_locale == target_locale:
                units.append(TmxUnit(f"{skus[entry.product_id]}/{entry.field}", entry.source, entry.target))
    return units
