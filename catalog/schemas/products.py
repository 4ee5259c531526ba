"""Shapes of products: what clients send and what they get back."""

from __future__ import annotations

import typing as t
from decimal import Decimal

from pydantic import BaseModel
from pydantic import Field
from pydantic import StringConstraints

from catalog import validation
from catalog.errors import FieldError
from catalog.schemas.common import AmountString
from catalog.schemas.common import ContentLocale
from catalog.schemas.common import CountryCode
from catalog.schemas.common import Money
from catalog.schemas.common import MoneyOut
from catalog.schemas.common import Plain
from catalog.schemas.common import Strict
from catalog.schemas.tax_refund import TaxRefundOut

Sku = t.Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z0-9-]{3,40}$"),
    Field(examples=["KZ-FLOUR-001"], description="3..40 of A-Z 0-9 -"),
]
CategoryPath = t.Annotated[
    str,
    StringConstraints(pattern=validation.CATEGORY_RE.pattern, max_length=200),
    Field(examples=["food.flour"], description="dotted slug path; created on first use"),
]
Slug = t.Annotated[str, StringConstraints(pattern=validation.SLUG_RE.pattern, max_length=60)]
#: VAT classes a product may be in; only the taxed ones have a refund rate.
VatClass = t.Literal["13", "9", "exempt"]
Status = t.Literal["draft", "published", "archived"]
Barcode = t.Annotated[str, StringConstraints(pattern=r"^([0-9]{12,13})?$")]
#: As long as their columns: a longer value is refused (422) on every database alike.
Brand = t.Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), Plain]
NetQuantity = t.Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), Plain]
Tag = t.Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), Plain]
Name = t.Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Plain]
Highlight = t.Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Plain]


class ContentIn(Strict):
    name: Name
    description: t.Annotated[str, StringConstraints(max_length=5000), Plain] = ""
    highlights: list[Highlight] = Field(default_factory=list, max_length=10)


class WholesaleTierIn(Strict):
    min_qty: int = Field(ge=2, le=1_000_000)
    amount: AmountString


def _barcode_errors(barcode: str | None) -> list[FieldError]:
    if barcode and not validation.valid_gtin(barcode):
        return [{"field": "barcode", "message": f"{barcode} is not a valid EAN-13 or UPC-A (check digit)."}]
    return []


def _price_errors(price: Money | None) -> list[FieldError]:
    if price is None:
        return []
    try:
        validation.check_amount_digits(price.decimal(), price.currency)
    except ValueError as exc:
        return [{"field": "price.amount", "message": str(exc)}]
    return []


def tier_errors(tiers: list[WholesaleTierIn], price: Decimal, currency: str) -> list[FieldError]:
    """Problems with wholesale *tiers* against the retail *price*."""
    errors: list[FieldError] = []
    previous = 0
    for i, tier in enumerate(tiers):
        field = f"wholesale.{i}"
        if tier.min_qty <= previous:
            errors.append(
                {
                    "field": f"{field}.min_qty",
                    "message": "Tiers go in increasing min_qty order, each quantity once.",
                }
            )
        previous = tier.min_qty
        amount = Decimal(tier.amount)
        try:
            validation.check_amount_digits(amount, currency)
        except ValueError as exc:
            errors.append({"field": f"{field}.amount", "message": str(exc)})
        if amount >= price:
            errors.append(
                {"field": f"{field}.amount", "message": "A wholesale amount must be below the retail price."}
            )
    return errors


class ProductFields(Strict):
    """Fields a product may be created or patched with."""

    origin_country: CountryCode | None = None
    category: CategoryPath | None = None
    booth: Slug | None = None
    brand: Brand | None = None
    price: Money | None = None
    wholesale: list[WholesaleTierIn] | None = Field(default=None, max_length=20)
    stock: int | None = Field(default=None, ge=0, le=100_000_000)
    barcode: Barcode | None = None
    status: Status | None = None
    tags: list[Tag] | None = Field(default=None, max_length=30)
    hs_code: t.Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(\.[0-9]{2,6})?$")] | None = None
    net_quantity: NetQuantity | None = None
    shelf_life_days: int | None = Field(default=None, ge=1, le=36500)
    fallback_chain: list[ContentLocale] | None = Field(
        default=None, max_length=len(validation.CONTENT_LOCALES)
    )
    vat_class: VatClass | None = Field(default=None, description="13, 9 or exempt (per cent of VAT)")
    tax_refund_excluded: bool | None = None


class ProductCreate(ProductFields):
    """``POST /api/v1/products``."""

    sku: Sku
    source_locale: ContentLocale = "zh"
    content: dict[ContentLocale, ContentIn]
    origin_country: CountryCode
    category: CategoryPath
    price: Money
    status: Status = "draft"

    def field_errors(self) -> list[FieldError]:
        """Rules that span fields, each naming the field to fix."""
        errors: list[FieldError] = []
        if self.source_locale not in self.content:
            errors.append(
                {
                    "field": f"content.{self.source_locale}.name",
                    "message": "The name in the source locale is required.",
                }
            )
        errors += _price_errors(self.price) + _barcode_errors(self.barcode)
        errors += tier_errors(self.wholesale or [], self.price.decimal(), self.price.currency)
        return errors


class ProductPatch(ProductFields):
    """``PATCH /api/v1/products/{id}``: only the fields given change; ``content`` merges by locale."""

    content: dict[ContentLocale, ContentIn] | None = None

    def field_errors(self) -> list[FieldError]:
        """Rules that span fields (tiers against the price are checked by the service)."""
        return _price_errors(self.price) + _barcode_errors(self.barcode)


class ContentOut(BaseModel):
    name: str
    description: str
    highlights: list[str]


class LocalizedOut(ContentOut):
    locale: str
    fallback_from: str | None


class DisplayPriceOut(MoneyOut):
    formatted: str
    rate_as_of: str | None


class WholesaleTierOut(BaseModel):
    min_qty: int
    amount: str


class ProductOut(BaseModel):
    id: int
    sku: str
    source_locale: str
    content: dict[str, ContentOut]
    origin_country: str
    category: str
    booth: str | None
    brand: str | None
    price: MoneyOut
    wholesale: list[WholesaleTierOut]
    stock: int
    barcode: str | None
    status: Status
    tags: list[str]
    hs_code: str | None
    net_quantity: str | None
    shelf_life_days: int | None
    fallback_chain: list[str]
    version: int
    created_at: str
    updated_at: str
    localized: LocalizedOut
    display_price: DisplayPriceOut
    thumbnail: str | None = None
    vat_class: str
    tax_refund_excluded: bool
    tax_refund: TaxRefundOut | None = None


class ProductList(BaseModel):
    items: list[ProductOut]
    next_cursor: str | None
