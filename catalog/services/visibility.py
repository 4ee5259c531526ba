"""Who sees what: the one place that decides whether a product or a text may be shown to a reader.

Anonymous readers (and viewers of the pages) see published products and the texts that are not
hidden until reviewed. Members of staff, whatever their role, also see drafts, archived
products and texts waiting for review. Every read path asks here: the API's read and list,
the pages, the card PNG, the picture list, search and the exports.
"""

from __future__ import annotations

import typing as t

from flask_babel import gettext

from catalog.domain_errors import NotFound
from catalog.models import Product
from catalog.models import ProductContent
from catalog.models import ProductStatus
from catalog.models import Reader

#: The audience a rendered answer was made for; part of every cache key of a product read.
Audience = t.Literal["public", "staff"]


def audience(reader: Reader | None) -> Audience:
    """``staff`` for any active member of staff, ``public`` for everyone else."""
    return "staff" if reader is not None and not reader.disabled else "public"


def sees_unpublished(reader: Reader | None) -> bool:
    """Whether *reader* may see drafts, archived products and texts waiting for review."""
    return audience(reader) == "staff"


def visible_statuses(reader: Reader | None) -> tuple[ProductStatus, ...]:
    """The product statuses *reader* may see."""
    return tuple(ProductStatus) if sees_unpublished(reader) else (ProductStatus.PUBLISHED,)


def product_visible(product: Product, reader: Reader | None) -> bool:
    """Whether *reader* may see *product* at all."""
    return product.status in visible_statuses(reader)


def require_visible(product: Product, reader: Reader | None) -> Product:
    """*product* when *reader* may see it; otherwise the same 404 as for a product that does not exist."""
    if not product_visible(product, reader):
        raise NotFound(gettext("There is no product %(id)s.", id=product.id))
    return product


def text_visible(content: ProductContent, reader: Reader | None) -> bool:
    """Whether *reader* may see one locale's text of a product."""
    return not content.hidden_until_reviewed or sees_unpublished(reader)


def visible_contents(product: Product, reader: Reader | None) -> list[ProductContent]:
    """The texts of *product* that *reader* may see."""
    return [c for c in product.contents if text_visible(c, reader)]
