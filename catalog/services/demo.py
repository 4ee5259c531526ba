"""The demo catalog: real listings from the hall's booths, loaded idempotently."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing as t
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.http import parse_model
from catalog.models import Booth
from catalog.models import Category
from catalog.models import ExchangeRate
from catalog.models import Product
from catalog.schemas.products import ProductCreate
from catalog.services import pricing
from catalog.services import products
from catalog.services.categories import ensure_booth
from catalog.services.categories import ensure_category

DEMO_DATA = Path(__file__).resolve().parent.parent / "demo_data"
#: Units of each currency per yuan, as the staff might have entered them on the demo day.
DEMO_RATES = {
    "KZT": "68.50",
    "RUB": "12.45",
    "USD": "0.1380",
    "EUR": "0.1310",
    "UZS": "1745.00",
    "KGS": "12.05",
    "TJS": "1.47",
    "MNT": "471.00",
}


@dataclasses.dataclass
class DemoReport:
    categories: int = 0
    booths: int = 0
    created: int = 0
    existing: int = 0
    rates: int = 0
    created_ids: list[int] = dataclasses.field(default_factory=list)


def demo_products(data: Path = DEMO_DATA) -> list[dict[str, t.Any]]:
    """Every demo product listing, in file order."""
    items: list[dict[str, t.Any]] = []
    for path in sorted((data / "products").glob("*.json")):
        items.extend(json.loads(path.read_text(encoding="utf-8")))
    return items


def load_demo(
    session: Session, data: Path = DEMO_DATA, progress: t.Callable[[int], None] | None = None
) -> DemoReport:
    """Load categories, booths, rates and products; what exists already is left as it is."""
    report = DemoReport()
    for entry in json.loads((data / "categories.json").read_text(encoding="utf-8")):
        category = ensure_category(session, entry["path"])
        if category.names != entry["names"]:
            category.names = dict(entry["names"])
            report.categories += 1
    for entry in json.loads((data / "booths.json").read_text(encoding="utf-8")):
        booth = ensure_booth(session, entry["slug"])
        if booth.names != entry["names"] or booth.country != entry.get("country"):
            booth.names, booth.country = dict(entry["names"]), entry.get("country")
            report.booths += 1
    for currency, per_cny in DEMO_RATES.items():
        if session.get(ExchangeRate, currency) is None:
            as_of = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
            pricing.set_rate(session, currency, Decimal(per_cny), as_of, None)
            report.rates += 1
    known = set(session.scalars(sa.select(Product.sku)))
    for number, item in enumerate(demo_products(data), start=1):
        if item["sku"] in known:
            report.existing += 1
        else:
            product = products.create_product(session, parse_model(ProductCreate, item), None)
            report.created += 1
            report.created_ids.append(product.id)
        if progress:
            progress(number)
    session.flush()
    return report


def counts(session: Session) -> dict[str, int]:
    """How many products, categories and booths the catalog holds."""
    return {
        "products": session.scalar(sa.select(sa.func.count(Product.id))) or 0,
        "categories": session.scalar(sa.select(sa.func.count(Category.id))) or 0,
        "booths": session.scalar(sa.select(sa.func.count(Booth.id))) or 0,
    }
