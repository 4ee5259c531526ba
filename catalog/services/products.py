"""Creating, changing, archiving and listing products."""

from __future__ import annotations

import dataclasses
import typing as t
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import Conflict
from catalog.domain_errors import Invalid
from catalog.domain_errors import NotFound
from catalog.models import Booth
from catalog.models import ContentRevision
from catalog.models import Product
from catalog.models import ProductContent
from catalog.models import ProductStatus
from catalog.models import User
from catalog.models import WholesaleTier
from catalog.schemas.parse import invalid
from catalog.schemas.products import ContentIn
from catalog.schemas.products import ProductCreate
from catalog.schemas.products import ProductPatch
from catalog.schemas.products import WholesaleTierIn
from catalog.schemas.products import tier_errors
from catalog.services import audit
from catalog.services import indexing
from catalog.services import translating
from catalog.services.categories import Places
from catalog.services.categories import subtree_ids
from translations.formatting import quantize_money as quantize


def snapshot(product: Product) -> dict[str, t.Any]:
    """The product's fields as plain values, for the audit log's diffs."""
    return {
        "sku": product.sku,
        "status": product.status.value,
        "origin_country": product.origin_country,
        "category": product.category.path if product.category else None,
        "booth": product.booth.slug if product.booth else None,
        "brand": product.brand,
        "price": f"{quantize(product.price_amount, product.price_currency)} {product.price_currency}",
        "wholesale": [f"{w.min_qty}:{quantize(w.amount, product.price_currency)}" for w in product.wholesale],
        "stock": product.stock,
        "barcode": product.barcode,
        "tags": list(product.tags),
        "hs_code": product.hs_code,
        "net_quantity": product.net_quantity,
        "shelf_life_days": product.shelf_life_days,
        "fallback_chain": product.fallback_chain,
        "vat_class": product.vat_class,
        "tax_refund_excluded": product.tax_refund_excluded,
        **{
            f"content.{c.locale}": {
                "name": c.name,
                "description": c.description,
                "highlights": list(c.highlights),
            }
            for c in product.contents
        },
    }


def get_product(session: Session, product_id: int, *, for_update: bool = False) -> Product:
    """The product *product_id*, or 404."""
    stmt = sa.select(Product).where(Product.id == product_id)
    if for_update:
        stmt = stmt.with_for_update(of=Product)
    product = session.scalar(stmt)
    if product is None:
        raise NotFound(gettext("There is no product %(id)s.", id=product_id))
    return product


_RATES = sa.table("exchange_rates", sa.column("version"))
_REFUND_RULES = sa.table("tax_refund_limits", sa.column("version"))
_STAMP = (
    sa.select(
        sa.column("version"),
        sa.select(sa.func.count()).select_from(_RATES).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(_RATES.c.version), 0)).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.max(_REFUND_RULES.c.version), 0)).scalar_subquery(),
    )
    .select_from(sa.table("products", sa.column("id"), sa.column("version")))
    .where(sa.column("id") == sa.bindparam("id"))
)


def read_stamp(session: Session, product_id: int) -> tuple[int, int, int, int]:
    """The product's version, a fingerprint of the exchange rates and the refund rules' version; 404.

    Rates only ever gain versions, so (count, sum of versions) changes whenever one changes.
    """
    row = session.connection().execute(_STAMP, {"id": product_id}).first()
    if row is None:
        raise NotFound(gettext("There is no product %(id)s.", id=product_id))
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


@dataclasses.dataclass
class Batch:
    """What a run of writes reads once (places, current revisions) and the products it changed.

    A batch neither flushes each product nor writes its outbox entry: its caller flushes
    when it needs ids and enqueues :attr:`changed` at the end (:func:`indexing.enqueue_many`).
    The revisions and audit entries it makes go to :attr:`history`, not to the session: its
    caller inserts them (:func:`catalog.services.detached.insert_detached`).
    """

    places: Places
    revisions: dict[tuple[int, str], ContentRevision] = dataclasses.field(default_factory=dict)
    changed: list[int] = dataclasses.field(default_factory=list)
    history: list[t.Any] = dataclasses.field(default_factory=list)


def create_product(session: Session, data: ProductCreate, user: User | None) -> Product:
    """Create a product from validated *data*; 409 when the SKU is taken."""
    if session.scalar(sa.select(Product.id).where(Product.sku == data.sku)) is not None:
        raise Conflict(
            gettext("A product with SKU %(sku)s exists already.", sku=data.sku),
            errors=[{"field": "sku", "message": gettext("Already used by another product.")}],
        )
    product = new_product(data, user, Places(session))
    translating.settle_new_texts(session, product)
    session.add(product)
    session.flush()
    record_created(session, product, data, user)
    indexing.enqueue(session, product.id)
    return product


#: Builds one model object from its values: the model's constructor, or
#: :func:`catalog.services.detached.built` for rows a batch writes itself.
Make = t.Callable[..., t.Any]


def construct(model: type[t.Any], **values: t.Any) -> t.Any:
    """A *model* object made by its constructor, with the attribute events a session relies on."""
    return model(**values)


def new_product(data: ProductCreate, user: User | None, places: Places, make: Make = construct) -> Product:
    """The product *data* describes, with its texts and tiers, not yet in the session.

    Its texts' hashes and states are set by :func:`record_created`, or before a flush by
    :func:`translating.settle_new_texts`. With ``make=detached.built`` the objects skip the
    attribute events (a fifth of an import's writes) and only the product holds its texts
    and tiers: such a product is written by :func:`catalog.services.detached.insert_detached`,
    never added to a session.
    """
    author = user.id if user else None
    contents = [
        make(
            ProductContent,
            locale=locale,
            name=text.name,
            description=text.description,
            highlights=list(text.highlights),
            author_id=author,
        )
        for locale, text in data.content.items()
    ]
    tiers = [
        make(WholesaleTier, min_qty=tier.min_qty, amount=Decimal(tier.amount))
        for tier in data.wholesale or ()
    ]
    product: Product = make(
        Product,
        sku=data.sku,
        source_locale=data.source_locale,
        status=ProductStatus(data.status),
        origin_country=data.origin_country,
        price_amount=data.price.decimal(),
        price_currency=data.price.currency,
        contents=contents,
        wholesale=tiers,
        **_field_values(places, data),
    )
    return product


def record_created(
    session: Session, product: Product, data: ProductCreate, user: User | None, batch: Batch | None = None
) -> None:
    """The revisions, text states and audit entry of *product*, just flushed from :func:`new_product`."""
    add = batch.history.append if batch else None
    translating.record_product_contents(
        session,
        product,
        list(data.content),
        user,
        rewritten=set(data.content),
        revisions={},  # a new product has none yet: nothing to read, nothing to keep for later rows
        add=add,
    )
    changes = audit.diff({}, snapshot(product))
    audit.record(session, user, "product.create", "product", product.id, changes, add)


def update_product(
    session: Session, product: Product, patch: ProductPatch, user: User | None, batch: Batch | None = None
) -> Product:
    """Apply the fields given in *patch*; tiers are checked against the resulting price."""
    add = batch.history.append if batch else None
    before = snapshot(product)
    if patch.price is not None:
        product.price_amount, product.price_currency = patch.price.decimal(), patch.price.currency
    if patch.status is not None:
        product.status = ProductStatus(patch.status)
    if patch.origin_country is not None:
        product.origin_country = patch.origin_country
    tiers = (
        patch.wholesale
        if patch.wholesale is not None
        else [WholesaleTierIn(min_qty=w.min_qty, amount=str(w.amount)) for w in product.wholesale]
    )
    errors = tier_errors(tiers, product.price_amount, product.price_currency)
    if errors:
        raise invalid(errors)
    _apply_fields(batch.places if batch else Places(session), product, patch)
    if patch.content:
        rewritten = _fill_contents(product, patch.content, user)
        translating.record_product_contents(
            session,
            product,
            list(patch.content),
            user,
            rewritten=rewritten,
            revisions=batch.revisions if batch else None,
            add=add,
        )
    if product.content_for(product.source_locale) is None:
        raise Invalid(gettext("The source locale's text cannot be removed."))
    after = snapshot(product)
    changes = audit.diff(before, after)
    if changes:
        product.version += 1
        audit.record(session, user, "product.update", "product", product.id, changes, add)
        if batch:
            batch.changed.append(product.id)
        else:
            session.flush()
            indexing.enqueue(session, product.id)
    return product


def archive_product(session: Session, product: Product, user: User | None) -> Product:
    """Archive *product*: it leaves search and lists of published goods but keeps its history."""
    if product.status is not ProductStatus.ARCHIVED:
        before = snapshot(product)
        product.status = ProductStatus.ARCHIVED
        product.version += 1
        session.flush()
        audit.record(
            session, user, "product.archive", "product", product.id, audit.diff(before, snapshot(product))
        )
        indexing.enqueue(session, product.id)
    return product


def _apply_fields(places: Places, product: Product, data: t.Any) -> None:
    """Copy the optional fields present in *data* (create or patch) onto *product*."""
    for name, value in _field_values(places, data).items():
        _assign(product, name, value)
    if data.wholesale is not None:
        _set_tiers(product, data.wholesale)


def _field_values(places: Places, data: t.Any) -> dict[str, t.Any]:
    """The optional fields present in *data* (create or patch) but tiers, as the product holds them."""
    given = data.model_fields_set
    values: dict[str, t.Any] = {}
    if data.category is not None:
        values["category"] = places.category(data.category)
    if "booth" in given:
        values["booth"] = places.booth(data.booth) if data.booth else None
    for name in ("brand", "barcode", "hs_code", "net_quantity", "shelf_life_days"):
        if name in given:
            values[name] = getattr(data, name) or None
    if data.stock is not None:
        values["stock"] = data.stock
    if data.tags is not None:
        values["tags"] = sorted(set(data.tags), key=data.tags.index)
    if data.vat_class is not None:
        values["vat_class"] = data.vat_class
    if data.tax_refund_excluded is not None:
        values["tax_refund_excluded"] = data.tax_refund_excluded
    if "fallback_chain" in given:
        values["fallback_chain"] = data.fallback_chain or None
    return values


def _set_tiers(product: Product, tiers: t.Sequence[WholesaleTierIn]) -> None:
    """Replace the tiers, keeping rows whose quantity stays (the pair product/quantity is unique)."""
    by_qty = {tier.min_qty: tier for tier in product.wholesale}
    rows = []
    for tier in tiers:
        row = by_qty.get(tier.min_qty) or WholesaleTier(min_qty=tier.min_qty)
        _assign(row, "amount", Decimal(tier.amount))
        rows.append(row)
    _assign(product, "wholesale", rows)


def _assign(row: t.Any, name: str, value: t.Any) -> None:
    """Set attribute *name* of *row* unless it holds an equal value already.

    A value set again, even an equal one, marks the row for the flush to compare.
    """
    held = row.__dict__
    if name not in held or held[name] != value:
        setattr(row, name, value)


def _fill_contents(product: Product, content: t.Mapping[str, ContentIn], user: User | None) -> set[str]:
    """Write *content* into the product's texts; returns the locales whose text really changed.

    A text sent as it is stays untouched (only its author is set), so the flush has
    nothing of it to compare.
    """
    author = user.id if user else None
    rewritten = set()
    for locale, text in content.items():
        row = product.content_for(locale)
        highlights = list(text.highlights)
        if row is None:
            row = ProductContent(locale=locale)
            product.contents.append(row)
        elif (row.name, row.description, row.highlights) == (text.name, text.description, highlights):
            if row.author_id != author:
                row.author_id = author
            continue
        row.name, row.description, row.highlights = text.name, text.description, highlights
        row.author_id = author
        rewritten.add(locale)
    return rewritten


@dataclasses.dataclass(frozen=True)
class ProductFilter:
    category: str | None = None
    origin_country: str | None = None
    status: str | None = None
    booth: str | None = None
    #: The statuses the reader may see (see :mod:`catalog.services.visibility`); ``None``: all.
    statuses: tuple[ProductStatus, ...] | None = None


def list_products(
    session: Session, filters: ProductFilter, after_id: int | None, limit: int
) -> list[Product]:
    """A page of products in id order, after *after_id*."""
    stmt = sa.select(Product).order_by(Product.id).limit(limit)
    if after_id is not None:
        stmt = stmt.where(Product.id > after_id)
    if filters.status:
        stmt = stmt.where(Product.status == ProductStatus(filters.status))
    if filters.statuses is not None:
        stmt = stmt.where(Product.status.in_(filters.statuses))
    if filters.origin_country:
        stmt = stmt.where(Product.origin_country == filters.origin_country)
    if filters.category:
        stmt = stmt.where(Product.category_id.in_(subtree_ids(session, filters.category)))
    if filters.booth:
        stmt = stmt.join(Product.booth).where(Booth.slug == filters.booth)
    return list(session.scalars(stmt).unique())
