"""The demo catalog: real listings from the hall's booths, loaded idempotently."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import json
import multiprocessing
import os
import typing as t
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

import media
from catalog.models import Booth
from catalog.models import Category
from catalog.models import ExchangeRate
from catalog.models import Product
from catalog.models import ProductImage
from catalog.schemas.parse import parse_model
from catalog.schemas.products import ProductCreate
from catalog.services import images
from catalog.services import indexing
from catalog.services import pricing
from catalog.services import products
from catalog.services import search_synonyms
from catalog.services import tax_refund
from catalog.services.categories import ensure_booth
from catalog.services.categories import ensure_category

DEMO_DATA = Path(__file__).resolve().parent.parent / "demo_data"
#: Units of each currency per yuan, as the staff might have entered them on the demo day.
#: Demo pictures are drawn at this size: enough for the card, quick to make for 300+ products.
DEMO_PICTURE_SIZE = 720
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
    booth_entries = json.loads((data / "booths.json").read_text(encoding="utf-8"))
    for entry in booth_entries:
        booth = ensure_booth(session, entry["slug"])
        if booth.names != entry["names"] or booth.country != entry.get("country"):
            booth.names, booth.country = dict(entry["names"]), entry.get("country")
            report.booths += 1
    session.flush()
    tax_refund.qualify_booths(
        session, [e["slug"] for e in booth_entries if e.get("tax_refund_qualified")], None
    )
    for currency, per_cny in DEMO_RATES.items():
        if session.get(ExchangeRate, currency) is None:
            as_of = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
            pricing.set_rate(session, currency, Decimal(per_cny), as_of, None)
            report.rates += 1
    search_synonyms.seed_demo_synonyms(session)
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


def _demo_picture(job: tuple[str, str, str, str]) -> media.StoredImage:
    """Render and store one demo picture (runs in a worker process)."""
    location, name, category, sku = job
    data = media.render_demo_image(name, category=category, seed=sku, size=DEMO_PICTURE_SIZE)
    return media.store_upload(media.open_storage(location), data)


def add_demo_pictures(
    session: Session,
    storage_url: str,
    product_ids: t.Sequence[int],
    progress: t.Callable[[int], None] | None = None,
    workers: int | None = None,
) -> int:
    """Give each of *product_ids* that has no picture a generated one; returns how many."""
    products_without = [
        p
        for p in session.scalars(sa.select(Product).where(Product.id.in_(product_ids)).order_by(Product.id))
        if not images.gallery(session, p.id)
    ]
    jobs = []
    for product in products_without:
        text = product.content_for("en") or product.content_for(product.source_locale)
        jobs.append((storage_url, text.name if text else product.sku, product.category.path, product.sku))
    if not jobs:
        return 0
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for done, (product, stored) in enumerate(
            zip(products_without, pool.map(_demo_picture, jobs), strict=True), 1
        ):
            session.add(
                ProductImage(
                    product_id=product.id,
                    position=0,
                    sha256=stored.sha256,
                    format=stored.format,
                    width=stored.width,
                    height=stored.height,
                    focal_x=0.5,
                    focal_y=0.5,
                    renditions=images.rendition_index(stored),
                    alt={},
                )
            )
            indexing.enqueue(session, product.id)
            if progress:
                progress(done)
    session.flush()
    return len(jobs)


def counts(session: Session) -> dict[str, int]:
    """How many products, categories and booths the catalog holds."""
    return {
        "products": session.scalar(sa.select(sa.func.count(Product.id))) or 0,
        "categories": session.scalar(sa.select(sa.func.count(Category.id))) or 0,
        "booths": session.scalar(sa.select(sa.func.count(Booth.id))) or 0,
    }
