"""Products, their per-locale content, prices, categories and booths."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from catalog.models.base import Base
from catalog.models.base import ScaledDecimal
from catalog.models.base import created_at
from catalog.models.base import intpk
from catalog.models.base import updated_at


class ProductStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Category(Base):
    """A node of the category tree, addressed by its dotted slug path (``food.flour``)."""

    __tablename__ = "categories"

    id: Mapped[intpk]
    path: Mapped[str] = mapped_column(sa.String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id"))
    names: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[created_at]

    @property
    def slug(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    def __repr__(self) -> str:
        return f"Category({self.path!r})"


class Booth(Base):
    """A country booth of the bonded-zone hall."""

    __tablename__ = "booths"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    country: Mapped[str | None] = mapped_column(sa.String(2))
    names: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    #: Whether foreign visitors may claim the departure tax refund on what this booth sells.
    tax_refund_qualified: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[created_at]

    def __repr__(self) -> str:
        return f"Booth({self.slug!r})"


class Product(Base):
    """A kind of goods on sale; archived, never deleted."""

    __tablename__ = "products"
    __table_args__ = (
        sa.Index("ix_products_status_id", "status", "id"),
        sa.Index("ix_products_category_id_id", "category_id", "id"),
        sa.Index("ix_products_origin_country_id", "origin_country", "id"),
    )

    id: Mapped[intpk]
    sku: Mapped[str] = mapped_column(sa.String(40), unique=True)
    source_locale: Mapped[str] = mapped_column(sa.String(8))
    origin_country: Mapped[str] = mapped_column(sa.String(2))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"))
    booth_id: Mapped[int | None] = mapped_column(sa.ForeignKey("booths.id"))
    brand: Mapped[str | None] = mapped_column(sa.String(120))
    barcode: Mapped[str | None] = mapped_column(sa.String(13), index=True)
    hs_code: Mapped[str | None] = mapped_column(sa.String(16))
    net_quantity: Mapped[str | None] = mapped_column(sa.String(40))
    shelf_life_days: Mapped[int | None]
    status: Mapped[ProductStatus] = mapped_column(
        sa.Enum(ProductStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    stock: Mapped[int] = mapped_column(default=0)
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    price_amount: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    price_currency: Mapped[str] = mapped_column(sa.String(3))
    fallback_chain: Mapped[list[str] | None] = mapped_column(sa.JSON)
    #: The VAT class the goods are taxed in (``13``, ``9`` or ``exempt``) and whether they are
    #: kept out of the departure tax refund although their booth qualifies.
    vat_class: Mapped[str] = mapped_column(sa.String(8), default="13", server_default="13")
    tax_refund_excluded: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]

    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    booth: Mapped[Booth | None] = relationship(lazy="joined")
    contents: Mapped[list[ProductContent]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ProductContent.locale",
    )
    wholesale: Mapped[list[WholesaleTier]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="WholesaleTier.min_qty",
    )

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    def content_for(self, locale: str) -> ProductContent | None:
        """This product's text in *locale*, if written."""
        for content in self.contents:  # a loop, not next(): an import asks this a dozen times a row
            if content.locale == locale:
                return content
        return None

    def __repr__(self) -> str:
        return f"Product({self.sku!r})"


class ProductContent(Base):
    """A product's text in one locale, with where its translation stands."""

    __tablename__ = "product_contents"
    __table_args__ = (sa.UniqueConstraint("product_id", "locale"),)

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(sa.String(8))
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    highlights: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # For translations: the hash of the source text this one was made from, its review state
    # and whether viewers may see it before review.
    source_hash: Mapped[str | None] = mapped_column(sa.String(64))
    state: Mapped[str] = mapped_column(sa.String(16), default="draft")
    hidden_until_reviewed: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[updated_at]

    product: Mapped[Product] = relationship(back_populates="contents")


class WholesaleTier(Base):
    """A wholesale price from a minimum quantity up, in the product's currency."""

    __tablename__ = "wholesale_tiers"
    __table_args__ = (sa.UniqueConstraint("product_id", "min_qty"),)

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"))
    min_qty: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(ScaledDecimal(4))

    product: Mapped[Product] = relationship(back_populates="wholesale")


class ExchangeRate(Base):
    """How many units of a currency one yuan buys, as the staff entered it."""

    __tablename__ = "exchange_rates"

    currency: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    per_cny: Mapped[Decimal] = mapped_column(ScaledDecimal(8))
    as_of: Mapped[dt.datetime]
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[updated_at]

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
