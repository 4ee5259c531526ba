"""The state of a listing text: recorded source hashes, current revisions, computed states.

Part of :mod:`catalog.services.translating`, which re-exports these names.
"""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import Invalid
from catalog.models import ContentRevision
from catalog.models import Product
from catalog.models import ProductContent
from translations import ListingStatus
from translations import ListingText
from translations import listing_status
from translations import source_hashes

FIELDS = ("name", "description", "highlights")
SOURCE_STATE = "source"


# -- plain helpers ------------------------------------------------------------------------


def pack_hashes(hashes: t.Mapping[str, str]) -> str | None:
    """Per-field source hashes as ``name:description:highlights`` (fits the 64-character column)."""
    if not hashes:
        return None
    return ":".join(hashes.get(field, "") for field in FIELDS)


def unpack_hashes(packed: str | None) -> dict[str, str]:
    """The per-field hashes packed by :func:`pack_hashes` (empty when none were recorded)."""
    parts = (packed or "").split(":")
    if len(parts) != len(FIELDS):
        return {}
    return {field: value for field, value in zip(FIELDS, parts, strict=True) if value}


def as_listing(content: ProductContent) -> ListingText:
    return ListingText(content.name, content.description, tuple(content.highlights))


def text_json(text: ListingText) -> dict[str, t.Any]:
    return {"name": text.name, "description": text.description, "highlights": list(text.highlights)}


def source_listing(product: Product) -> ListingText:
    """The product's source text (it always exists)."""
    content = product.content_for(product.source_locale)
    if content is None:
        raise Invalid(gettext("Product %(sku)s has no source text.", sku=product.sku))
    return as_listing(content)


def revision_listing(revision: ContentRevision) -> ListingText:
    return ListingText(revision.name, revision.description, tuple(revision.highlights))


# -- revisions and states ------------------------------------------------------------------


def current_revisions(
    session: Session, product_ids: t.Collection[int], locale: str | None = None
) -> dict[tuple[int, str], ContentRevision]:
    """The latest revision of each (product, locale) among *product_ids* (one locale or all)."""
    if not product_ids:
        return {}
    latest = sa.select(
        ContentRevision.product_id, ContentRevision.locale, sa.func.max(ContentRevision.number).label("n")
    ).where(ContentRevision.product_id.in_(product_ids))
    if locale is not None:
        latest = latest.where(ContentRevision.locale == locale)
    sub = latest.group_by(ContentRevision.product_id, ContentRevision.locale).subquery()
    rows = session.scalars(
        sa.select(ContentRevision).join(
            sub,
            sa.and_(
                ContentRevision.product_id == sub.c.product_id,
                ContentRevision.locale == sub.c.locale,
                ContentRevision.number == sub.c.n,
            ),
        )
    )
    return {(r.product_id, r.locale): r for r in rows}


def status_of(product: Product, locale: str, revision: ContentRevision | None) -> ListingStatus:
    """Where the *locale* translation of *product* stands (*revision*: its current revision)."""
    return _status(source_listing(product), product.content_for(locale), revision)


def _status(
    source: ListingText, content: ProductContent | None, revision: ContentRevision | None
) -> ListingStatus:
    reviewed = revision is not None and revision.review is not None
    return listing_status(
        source,
        None if content is None else as_listing(content),
        {} if content is None else unpack_hashes(content.source_hash),
        reviewed,
    )


def refresh_states(
    session: Session, product: Product, revisions: t.Mapping[tuple[int, str], ContentRevision] | None = None
) -> None:
    """Recompute the stored state of every text of *product* (after its source or a text changed)."""
    if revisions is None:
        revisions = current_revisions(session, [product.id])
    source = source_listing(product)
    for content in product.contents:
        if content.locale == product.source_locale:
            state, source_hash = SOURCE_STATE, pack_hashes(source_hashes(source))
        else:
            revision = revisions.get((product.id, content.locale))
            state, source_hash = _status(source, content, revision).state, content.source_hash
        # only what changes is set: a text left as it was gives the flush nothing to compare
        if content.state != state:
            content.state = state
        if content.source_hash != source_hash:
            content.source_hash = source_hash
