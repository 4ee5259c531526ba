"""Product pictures: an ordered gallery per product, the first one primary."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from catalog.models.base import Base
from catalog.models.base import created_at
from catalog.models.base import intpk

#: ``{"thumb": {"webp": key, "jpeg": key}, "card": {...}, "zoom": {...}}`` plus sizes.
RenditionIndex = dict[str, dict[str, t.Any]]


class ProductImage(Base):
    """One picture of a product, stored as content-addressed renditions (the original is not kept)."""

    __tablename__ = "product_images"
    __table_args__ = (sa.Index("ix_product_images_product_position", "product_id", "position"),)

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    format: Mapped[str] = mapped_column(sa.String(8))
    width: Mapped[int]
    height: Mapped[int]
    focal_x: Mapped[float] = mapped_column(default=0.5)
    focal_y: Mapped[float] = mapped_column(default=0.5)
    renditions: Mapped[dict[str, t.Any]] = mapped_column(sa.JSON)
    alt: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[created_at]
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    def keys(self) -> set[str]:
        """Every storage key of this image's renditions."""
        return {fmt["key"] for formats in self.renditions.values() for fmt in formats.values()}

    def key(self, kind: str, fmt: str) -> str | None:
        """The storage key of one rendition in one format."""
        entry = self.renditions.get(kind, {}).get(fmt)
        return str(entry["key"]) if entry else None

    def __repr__(self) -> str:
        return f"ProductImage({self.product_id}, {self.sha256[:12]})"
