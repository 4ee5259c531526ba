"""The category and booth names a product is also found by, in every locale they are named in."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm import object_session

from catalog.models import Category
from catalog.models import Product
from search import category_ancestors

#: Category path -> locale -> name.
CategoryNames = t.Mapping[str, t.Mapping[str, str]]


def category_names(session: Session, paths: t.Iterable[str] | None = None) -> dict[str, dict[str, str]]:
    """The names of the categories at *paths* (every category when ``None``), by path."""
    query = sa.select(Category.path, Category.names)
    if paths is not None:
        query = query.where(Category.path.in_(sorted(set(paths))))
    return {path: dict(names or {}) for path, names in session.execute(query)}


def product_labels(product: Product, categories: CategoryNames | None = None) -> dict[str, tuple[str, ...]]:
    """Per locale, the names of *product*'s category, the category's ancestors and its booth.

    *categories* maps paths to names (one lookup for a whole batch); without it the
    ancestors are read through the product's session.
    """
    paths = category_ancestors(product.category.path)
    if categories is None:
        session = object_session(product)
        categories = category_names(session, paths) if session is not None else {}
    named: list[t.Mapping[str, str]] = [categories.get(path, {}) for path in paths]
    named.append(product.category.names or {})
    if product.booth is not None:
        named.append(product.booth.names or {})
    labels: dict[str, dict[str, None]] = {}
    for names in named:
        for locale, name in names.items():
            if name and name.strip():
                labels.setdefault(locale, {})[name.strip()] = None
    return {locale: tuple(found) for locale, found in labels.items()}
