"""Product pictures on the pages: the viewer's gallery and the staff's upload form."""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

import media
from catalog.db import get_session
from catalog.media_store import get_media
from catalog.models import Product
from catalog.models import Role
from catalog.services import images as image_service
from catalog.services.products import get_product
from catalog.web.context import _
from catalog.web.context import name_in
from catalog.web.security import accepts_upload
from catalog.web.signin import signed_in_user
from catalog.web.signin import staff_required

bp = Blueprint("pictures", __name__, url_prefix="/staff/products")
#: Rendition kinds, smallest first, that a gallery picture's ``srcset`` offers.
SRCSET_KINDS = ("thumb", "card", "zoom")


def gallery_for(session: Session, product: Product, fallback_alt: str) -> list[dict[str, t.Any]]:
    """The product's pictures with ``src``, ``srcset`` (by width), size and alt text for the reader."""
    pictures = []
    for image in image_service.gallery(session, product.id):
        sizes = image_service.image_json(image)["sizes"]
        kinds = [kind for kind in SRCSET_KINDS if kind in sizes]
        if not kinds:
            continue
        main = "card" if "card" in sizes else kinds[-1]
        pictures.append(
            {
                "id": image.id,
                "src": image_service.image_url(image, main),
                "thumb": image_service.image_url(image, kinds[0]),
                "srcset": ", ".join(
                    f"{image_service.image_url(image, k)} {sizes[k]['width']}w" for k in kinds
                ),
                "width": sizes[main]["width"],
                "height": sizes[main]["height"],
                "alt": name_in(image.alt, fallback_alt),
            }
        )
    return pictures


def picture_form_limit(config: t.Mapping[str, t.Any]) -> int:
    """The largest picture form: the media pipeline's limit and room for the form's other fields."""
    return int(config["MEDIA_MAX_UPLOAD_BYTES"]) + 64 * 1024


@bp.post("/<int:product_id>/pictures")
@accepts_upload(picture_form_limit)
@staff_required(Role.EDITOR)
def upload(product_id: int) -> ResponseReturnValue:
    """Add a picture from the edit page's form; refusals go back with the reason next to the field."""
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    back = url_for("staff.edit", product_id=product_id) + "#pictures"
    upload = request.files.get("picture")
    if upload is None or not upload.filename:
        flash(_("Choose a picture to upload."), "picture-error")
        return redirect(back)
    try:
        data = media.read_limited(t.cast(t.BinaryIO, upload.stream))
        image_service.add_image(session, get_media().storage, product, data, signed_in_user())
    except media.MediaError as exc:
        session.rollback()
        flash(_("This picture was not added: %(reason)s", reason=str(exc)), "picture-error")
        return redirect(back)
    session.commit()
    flash(_("Picture added to %(sku)s.", sku=product.sku))
    return redirect(back)
