"""``/api/v1/categories`` and ``/api/v1/booths``: the category tree and the hall's booths."""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import jsonify
from flask.typing import ResponseReturnValue

from catalog.api.spec import operation
from catalog.db import get_session
from catalog.http import parse_query
from catalog.models import Category
from catalog.negotiation import reading_locale
from catalog.schemas.categories import BoothList
from catalog.schemas.categories import CategoryTree
from catalog.schemas.queries import ReadQuery
from catalog.services import categories as service
from translations.locales import fallback_chain

bp = Blueprint("categories_api", __name__, url_prefix="/api/v1")


def display_name(names: t.Mapping[str, str], slug: str, locale: str) -> str:
    """A name in *locale* (falling back along the default chain), or the slug until staff name it."""
    chain = fallback_chain(locale)
    used = chain.pick(names)
    return names[used] if used else slug


@bp.get("/categories")
@operation(summary="The category tree", tag="categories", query=ReadQuery, responses={200: CategoryTree})
def categories() -> ResponseReturnValue:
    locale = reading_locale(parse_query(ReadQuery).locale)
    nodes: dict[int, dict[str, t.Any]] = {}
    roots: list[dict[str, t.Any]] = []
    for category in service.category_tree(get_session()):
        node = _category_json(category, locale)
        nodes[category.id] = node
        parent = nodes.get(category.parent_id) if category.parent_id else None
        (parent["children"] if parent else roots).append(node)
    return jsonify({"items": roots})


def _category_json(category: Category, locale: str) -> dict[str, t.Any]:
    return {
        "path": category.path,
        "slug": category.slug,
        "name": display_name(category.names, category.slug, locale),
        "names": dict(category.names),
        "children": [],
    }


@bp.get("/booths")
@operation(
    summary="The country booths of the hall", tag="categories", query=ReadQuery, responses={200: BoothList}
)
def booths() -> ResponseReturnValue:
    locale = reading_locale(parse_query(ReadQuery).locale)
    return jsonify(
        {
            "items": [
                {
                    "slug": b.slug,
                    "country": b.country,
                    "name": display_name(b.names, b.slug, locale),
                    "names": dict(b.names),
                }
                for b in service.booths(get_session())
            ]
        }
    )
