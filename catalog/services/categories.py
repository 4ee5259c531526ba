"""The category tree and the hall's booths."""

from __future__ import annotations

import dataclasses

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


@dataclasses.dataclass
class Places:
    """Categories by path and booths by slug for a run of writes: read once, created on first use."""

    session: Session
    categories: dict[str, Category] = dataclasses.field(default_factory=dict)
    booths: dict[str, Booth] = dataclasses.field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Places:
        """Every category and booth, read at once (for a batch that touches many)."""
        return cls(
            session,
            {c.path: c for c in session.scalars(sa.select(Category))},
            {b.slug: b for b in session.scalars(sa.select(Booth))},
        )

    def category(self, path: str) -> Category:
        """The category at *path* (see :func:`ensure_category`)."""
        if path not in self.categories:
            self.categories[path] = ensure_category(self.session, path)
        return self.categories[path]

    def booth(self, slug: str) -> Booth:
        """The booth *slug* (see :func:`ensure_booth`)."""
        if slug not in self.booths:
            self.booths[slug] = ensure_booth(self.session, slug)
        return self.booths[slug]


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
