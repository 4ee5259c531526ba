"""Product galleries: uploads through the media pipeline, order, alt text, focal points."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

import media
from catalog.domain_errors import Invalid
from catalog.domain_errors import NotFound
from catalog.models import Product
from catalog.models import ProductImage
from catalog.models import User
from catalog.services import audit
from catalog.services import indexing

KINDS = tuple(spec.name for spec in media.RENDITIONS)
#: The browser-facing format names and the file extensions that ask for them explicitly.
EXTENSIONS = {"webp": "webp", "jpg": "jpeg", "jpeg": "jpeg"}


def rendition_index(stored: media.StoredImage) -> dict[str, t.Any]:
    """What the database keeps of an upload's renditions: key and size per kind and format."""
    return {
        kind: {fmt: {"key": r.key, "width": r.width, "height": r.height} for fmt, r in formats.items()}
        for kind, formats in stored.renditions.items()
    }


def image_url(image: ProductImage, kind: str, fmt: str | None = None) -> str:
    """The URL of one rendition: negotiated by ``Accept``, or explicit with an extension."""
    suffix = {"webp": ".webp", "jpeg": ".jpg"}.get(fmt or "", "")
    return f"/media/{image.sha256}/{kind}{suffix}"


def image_json(image: ProductImage) -> dict[str, t.Any]:
    """The API's view of one picture."""
    return {
        "id": image.id,
        "sha256": image.sha256,
        "width": image.width,
        "height": image.height,
        "format": image.format,
        "position": image.position,
        "primary": image.position == 0,
        "focal": {"x": image.focal_x, "y": image.focal_y},
        "alt": dict(image.alt),
        "renditions": {kind: image_url(image, kind) for kind in image.renditions},
        "formats": {
            kind: {fmt: image_url(image, kind, fmt) for fmt in formats}
            for kind, formats in image.renditions.items()
        },
        "sizes": {
            kind: {"width": f["webp"]["width"], "height": f["webp"]["height"]}
            for kind, f in image.renditions.items()
        },
    }


def gallery(session: Session, product_id: int) -> list[ProductImage]:
    """The pictures of a product, primary first."""
    return list(
        session.scalars(
            sa.select(ProductImage)
            .where(ProductImage.product_id == product_id)
            .order_by(ProductImage.position, ProductImage.id)
        )
    )


def get_image(session: Session, product: Product, image_id: int) -> ProductImage:
    """One picture of *product*, or 404."""
    image = session.get(ProductImage, image_id)
    if image is None or image.product_id != product.id:
        raise NotFound(
            gettext("Product %(product)s has no picture %(image)s.", product=product.id, image=image_id)
        )
    return image


def _changed(
    session: Session, product: Product, user: User | None, action: str, changes: dict[str, t.Any]
) -> None:
    product.version += 1
    session.flush()
    audit.record(session, user, action, "product", product.id, changes)
    indexing.enqueue(session, product.id)  # the primary thumbnail travels with the search document


def add_image(
    session: Session,
    storage: media.Storage,
    product: Product,
    data: bytes,
    user: User | None,
    focal: media.renditions.Focal = media.renditions.CENTRE,
    alt: t.Mapping[str, str] | None = None,
) -> ProductImage:
    """Run *data* through the pipeline and append it to the gallery (first upload is primary)."""
    stored = media.store_upload(storage, data, focal=focal)
    position = len(gallery(session, product.id))
    image = ProductImage(
        product_id=product.id,
        position=position,
        sha256=stored.sha256,
        format=stored.format,
        width=stored.width,
        height=stored.height,
        focal_x=stored.focal[0],
        focal_y=stored.focal[1],
        renditions=rendition_index(stored),
        alt=dict(alt or {}),
        created_by=user.id if user else None,
    )
    session.add(image)
    session.flush()
    _changed(session, product, user, "image.add", {"image": [None, stored.sha256]})
    return image


def reorder(
    session: Session, product: Product, image_ids: t.Sequence[int], user: User | None
) -> list[ProductImage]:
    """Put the gallery in the order of *image_ids* (all of them, each once); the first is primary."""
    images = gallery(session, product.id)
    if sorted(image_ids) != sorted(i.id for i in images) or len(set(image_ids)) != len(image_ids):
        message = gettext(
            "List every picture of this product exactly once: %(ids)s.",
            ids=", ".join(str(i.id) for i in images),
        )
        raise Invalid(message, errors=[{"field": "image_ids", "message": message}])
    by_id = {i.id: i for i in images}
    before = [i.id for i in images]
    for position, image_id in enumerate(image_ids):
        by_id[image_id].position = position
    _changed(session, product, user, "image.reorder", {"order": [before, list(image_ids)]})
    return [by_id[i] for i in image_ids]


def update_image(
    session: Session,
    storage: media.Storage,
    product: Product,
    image: ProductImage,
    user: User | None,
    *,
    alt: t.Mapping[str, str] | None = None,
    focal: media.renditions.Focal | None = None,
) -> ProductImage:
    """Change alt texts (merged by locale) and the focal point (the card is re-cropped)."""
    changes: dict[str, t.Any] = {}
    if alt is not None:
        merged = {**image.alt, **alt}
        merged = {k: v for k, v in merged.items() if v}
        changes["alt"] = [dict(image.alt), merged]
        image.alt = merged
    if focal is not None and focal != (image.focal_x, image.focal_y):
        zoom = image.key("zoom", "webp")
        if zoom is None:  # pragma: no cover - every stored image has a zoom rendition
            raise Invalid(gettext("This picture has no zoom rendition to re-crop from."))
        card = media.recrop_card(storage, zoom, focal)
        index = dict(image.renditions)
        index["card"] = {fmt: {"key": r.key, "width": r.width, "height": r.height} for fmt, r in card.items()}
        image.renditions = index
        changes["focal"] = [[image.focal_x, image.focal_y], list(focal)]
        image.focal_x, image.focal_y = focal
    if changes:
        _changed(session, product, user, "image.update", changes)
    return image


def remove_image(session: Session, product: Product, image: ProductImage, user: User | None) -> None:
    """Take a picture off the gallery; its files go at the next ``tianshan media gc``."""
    session.delete(image)
    session.flush()
    for position, remaining in enumerate(gallery(session, product.id)):
        remaining.position = position
    _changed(session, product, user, "image.remove", {"image": [image.sha256, None]})


def thumbnail_urls(session: Session, product_ids: t.Sequence[int]) -> dict[int, str]:
    """The primary thumbnail URL of each product that has pictures."""
    if not product_ids:
        return {}
    rows = session.scalars(
        sa.select(ProductImage).where(ProductImage.product_id.in_(product_ids), ProductImage.position == 0)
    )
    return {image.product_id: image_url(image, "thumb") for image in rows}


def find_rendition(session: Session, sha256: str, kind: str, fmt: str) -> str | None:
    """The storage key of a rendition, by the picture's hash (the same bytes are stored once)."""
    image = session.scalar(sa.select(ProductImage).where(ProductImage.sha256 == sha256).limit(1))
    return image.key(kind, fmt) if image else None


def referenced_keys(session: Session) -> set[str]:
    """Every storage key some product's picture still uses."""
    keys: set[str] = set()
    for index in session.scalars(sa.select(ProductImage.renditions)):
        keys.update(f["key"] for formats in index.values() for f in formats.values())
    return keys
