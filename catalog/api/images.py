"""Product pictures: upload, gallery order, alt text and focal point, and the on-air card PNG."""

from __future__ import annotations

import logging
import typing as t

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

import media
from catalog.api.spec import operation
from catalog.auth import current_reader
from catalog.auth import current_user
from catalog.db import get_session
from catalog.errors import CatalogError
from catalog.errors import InsufficientStorage
from catalog.errors import InternalError
from catalog.errors import NotFound
from catalog.errors import PayloadTooLarge
from catalog.errors import Unprocessable
from catalog.errors import UnsupportedMediaType
from catalog.http import etag_for
from catalog.http import parse_body
from catalog.http import parse_query
from catalog.http import require_if_match
from catalog.media_files import storage_unavailable
from catalog.media_store import get_media
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.models import Role
from catalog.negotiation import reading_currency
from catalog.negotiation import reading_locale
from catalog.schemas.images import CardQuery
from catalog.schemas.images import ImageList
from catalog.schemas.images import ImageOrder
from catalog.schemas.images import ImageOut
from catalog.schemas.images import ImagePatch
from catalog.schemas.images import UploadQuery
from catalog.security.hosts import public_url
from catalog.services import images as service
from catalog.services.card_png import card_content
from catalog.services.pricing import all_rates
from catalog.services.products import get_product
from catalog.services.visibility import require_visible

log = logging.getLogger(__name__)
bp = Blueprint("images_api", __name__, url_prefix="/api/v1/products/<int:product_id>")
STAFF = (Role.ADMIN, Role.EDITOR)


_MEDIA_STATUS: dict[int, type[CatalogError]] = {
    404: NotFound,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: Unprocessable,
    507: InsufficientStorage,
}


def media_problem(exc: media.MediaError) -> CatalogError:
    """The problem document for a refusal of the media pipeline (its message is for people).

    A storage failure is the server's trouble, not the upload's: it is logged with its cause for
    the operators, and one the uploader cannot act on is answered without its details.
    """
    if isinstance(exc, media.StorageUnavailable):
        return storage_unavailable(exc)
    if exc.status >= 500:
        log.error("media storage %r failed: %s", get_media().storage, exc, exc_info=exc)
    problem = _MEDIA_STATUS.get(exc.status)
    if problem is None:
        return InternalError(gettext("An unexpected error occurred; it has been logged."))
    return problem(str(exc), errors=[{"field": "file", "message": str(exc)}])


def _product_etag(product: Product) -> str:
    return etag_for("product", product.id, product.version)


def _with_etag(body: object, product: Product, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["ETag"] = _product_etag(product)
    return response


@bp.post("/images")
@operation(
    summary="Upload a picture (multipart, field `file`); renditions are made at once",
    tag="media",
    roles=STAFF,
    query=UploadQuery,
    body_media_type="multipart/form-data",
    responses={201: ImageOut},
    errors=(404, 413, 415, 422, 503, 507),
    etag=True,
    description="JPEG, PNG, WebP, GIF (first frame) and AVIF; the format is read from the bytes. "
    "Unsupported type 415, too large 413, corrupt or decompression bomb 422; a refusal stores nothing.",
)
def upload(product_id: int) -> ResponseReturnValue:
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    query = parse_query(UploadQuery)
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(gettext("Send the picture as multipart/form-data with the field 'file'."))
    request.max_content_length = int(current_app.config["MEDIA_MAX_UPLOAD_BYTES"])
    upload = request.files.get("file")
    if upload is None:
        message = gettext("The form has no field 'file'; attach the picture under that name.")
        raise Unprocessable(message, errors=[{"field": "file", "message": message}])
    storage = get_media().storage
    try:
        data = media.read_limited(t.cast(t.BinaryIO, upload.stream))
        image = service.add_image(
            session, storage, product, data, current_user(), focal=(query.focal_x, query.focal_y)
        )
    except media.MediaError as exc:
        raise media_problem(exc) from exc
    session.commit()
    response = _with_etag(service.image_json(image), product, 201)
    response.headers["Location"] = f"/api/v1/products/{product.id}/images/{image.id}"
    return response


@bp.get("/images")
@operation(
    summary="The product's pictures, primary first", tag="media", responses={200: ImageList}, errors=(404,)
)
def index(product_id: int) -> ResponseReturnValue:
    session = get_session()
    product = require_visible(get_product(session, product_id), current_reader())
    return _with_etag(
        {"items": [service.image_json(i) for i in service.gallery(session, product.id)]}, product
    )


@bp.patch("/images/<int:image_id>")
@operation(
    summary="Change a picture's alt text or focal point",
    tag="media",
    roles=STAFF,
    body=ImagePatch,
    if_match=True,
    responses={200: ImageOut},
    errors=(404, 503),
    etag=True,
)
def patch(product_id: int, image_id: int) -> ResponseReturnValue:
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    require_if_match(_product_etag(product))
    data = parse_body(ImagePatch)
    image = service.get_image(session, product, image_id)
    focal = (data.focal.x, data.focal.y) if data.focal else None
    alt = {str(k): v for k, v in data.alt.items()} if data.alt is not None else None
    try:
        service.update_image(
            session, get_media().storage, product, image, current_user(), alt=alt, focal=focal
        )
    except media.MediaError as exc:
        raise media_problem(exc) from exc
    session.commit()
    return _with_etag(service.image_json(image), product)


@bp.put("/images/order")
@operation(
    summary="Reorder the gallery; the first picture is the primary one",
    tag="media",
    roles=STAFF,
    body=ImageOrder,
    if_match=True,
    responses={200: ImageList},
    errors=(404,),
    etag=True,
)
def reorder(product_id: int) -> ResponseReturnValue:
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    require_if_match(_product_etag(product))
    data = parse_body(ImageOrder)
    ordered = service.reorder(session, product, data.image_ids, current_user())
    session.commit()
    return _with_etag({"items": [service.image_json(i) for i in ordered]}, product)


@bp.delete("/images/<int:image_id>")
@operation(
    summary="Remove a picture from the gallery",
    tag="media",
    roles=STAFF,
    if_match=True,
    responses={200: ImageList},
    errors=(404,),
    etag=True,
)
def remove(product_id: int, image_id: int) -> ResponseReturnValue:
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    require_if_match(_product_etag(product))
    service.remove_image(session, product, service.get_image(session, product, image_id), current_user())
    session.commit()
    return _with_etag(
        {"items": [service.image_json(i) for i in service.gallery(session, product.id)]}, product
    )


@bp.get("/card.png")
@operation(
    summary="The on-air product card as a PNG, in a locale and currency",
    tag="media",
    query=CardQuery,
    responses={200: "image/png"},
    errors=(404, 422, 503),
)
def card(product_id: int) -> ResponseReturnValue:
    query = parse_query(CardQuery)
    locale, currency = reading_locale(query.locale), reading_currency(query.currency)
    session = get_session()
    product = require_visible(get_product(session, product_id), current_reader())
    rates = all_rates(session)
    rate = rates.get(currency)
    shown_in = f"&from=stream:{query.stream}" if query.stream else ""  # counted as opened from the show
    url = public_url(f"products/{product.id}?locale={locale}{shown_in}")
    # The link in the QR code is part of what is rendered, so it is part of the key.
    key = (product.id, product.version, locale, currency, query.layout, rate.version if rate else 0, url)
    ext = get_media()

    def render() -> bytes:
        content = card_content(session, ext.read, product, locale, currency, rates, url)
        return media.render_card(content, query.layout)

    try:
        png = ext.cards.get_or_render(key, render)
    except media.MediaError as exc:
        raise media_problem(exc) from exc
    response = Response(png, mimetype="image/png")
    shared = product.status is ProductStatus.PUBLISHED
    response.headers["Cache-Control"] = "public, max-age=60" if shared else "private, no-store"
    response.set_etag(f"card-{'-'.join(map(str, key[:-1]))}")
    return response.make_conditional(request)
