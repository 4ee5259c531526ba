"""Listing translations: every saved version of a text, its reviews, and the glossaries."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from catalog.models.base import Base
from catalog.models.base import created_at
from catalog.models.base import intpk
from catalog.models.base import updated_at
from catalog.models.users import User


class ContentRevision(Base):
    """One saved version of a product's text in one locale, numbered 1, 2, 3… per locale.

    A translation keeps the per-field hashes of the source text it was made from, and that
    source text itself, so that a translator later sees exactly what changed in the source.
    Revisions are never changed or deleted; a revert writes a new one.
    """

    __tablename__ = "content_revisions"
    __table_args__ = (sa.UniqueConstraint("product_id", "locale", "number"),)

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(sa.String(8))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    highlights: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # field -> hash of the source text this translation was made from (empty for source text)
    source_hashes: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    # the source text itself ({"name", "description", "highlights"}), for source diffs
    source_text: Mapped[dict[str, t.Any] | None] = mapped_column(sa.JSON)
    action: Mapped[str] = mapped_column(sa.String(16))  # save, import, revert, product
    reverted_from: Mapped[int | None]
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[created_at]

    author: Mapped[User | None] = relationship(lazy="joined")
    review: Mapped[ContentReview | None] = relationship(back_populates="revision", lazy="selectin")

    def __repr__(self) -> str:
        return f"ContentRevision({self.product_id}, {self.locale!r}, {self.number})"


class ContentReview(Base):
    """A reviewer's approval of one revision (one review per revision)."""

    __tablename__ = "content_reviews"

    id: Mapped[intpk]
    revision_id: Mapped[int] = mapped_column(
        sa.ForeignKey("content_revisions.id", ondelete="CASCADE"), unique=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[created_at]

    revision: Mapped[ContentRevision] = relationship(back_populates="review")
    reviewer: Mapped[User | None] = relationship(lazy="joined")


class Glossary(Base):
    """The fixed terms of one target locale; its version makes the ETag."""

    __tablename__ = "glossaries"

    locale: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[updated_at]

    terms: Mapped[list[GlossaryEntry]] = relationship(
        back_populates="glossary",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="GlossaryEntry.position",
    )

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class GlossaryEntry(Base):
    """A source term and how it must read in the glossary's locale (``None``: keep it as is)."""

    __tablename__ = "glossary_terms"
    __table_args__ = (sa.UniqueConstraint("locale", "source"),)

    id: Mapped[intpk]
    locale: Mapped[str] = mapped_column(sa.ForeignKey("glossaries.locale", ondelete="CASCADE"))
    position: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(200))
    target: Mapped[str | None] = mapped_column(sa.String(200))
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    glossary: Mapped[Glossary] = relationship(back_populates="terms")
