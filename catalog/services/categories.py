"""The category tree and the hall's booths."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import Booth
from catalog.models import Category


def ensure_category(session: Session, path: str) -> Category:
    """The category at *path*, created (with its parents) on first use, slugs standing in for names."""
    existing = session.scalar(sa.select(Category).where(Category.path == path))
    if existing is not None:
        return existing
    parent = None
    if "." in path:
        parent = ensure_category(session, path.rsplit(".", 1)[0])
    category = Category(path=path, parent_id=parent.id if parent else None, names={})
    session.add(category)
    session.flush()
    return category


def ensure_booth(session: Session, slug: str) -> Booth:
    """The booth *slug*, created on first use."""
    booth = session.scalar(sa.select(Booth).where(Booth.slug == slug))
    if booth is None:
        booth = Booth(slug=slug, names={})
        session.add(booth)
        session.flush()
    return booth


def subtree_ids(session: Session, path: str) -> list[int]:
    """Ids of the category at *path* and of everything below it."""
    return list(
        session.scalars(
            sa.select(Category.id).where(sa.or_(Category.path == path, Category.path.startswith(path + ".")))
        )
    )


def category_tree(session: Session) -> list[Category]:
    """Every category, parents before children."""
    return list(session.scalars(sa.select(Category).order_by(Category.path)))


def booths(session: Session) -> list[Booth]:
    """Every booth, by slug."""
    return list(session.scalars(sa.select(Booth).order_by(Booth.slug)))
