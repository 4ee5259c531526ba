"""The translator's editor asks, while its user types, whether the draft fits the on-air card."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import request
from flask.typing import ResponseReturnValue

from catalog.db import get_session
from catalog.http import parse_body
from catalog.http import parse_model
from catalog.media_store import get_media
from catalog.models import Role
from catalog.presenting.translations import fit_json
from catalog.schemas.translations import FitIn
from catalog.schemas.translations import FitQuery
from catalog.security.hosts import public_url
from catalog.services import translating as service
from catalog.services import translating_fit as fitting
from catalog.services.products import get_product
from catalog.web.host import json_endpoint
from catalog.web.signin import signed_in_user
from catalog.web.signin import staff_required

bp = Blueprint("translator_fit", __name__, url_prefix="/translate")
WRITERS = (Role.EDITOR, Role.TRANSLATOR)


def _draft(locale: str) -> fitting.Draft:
    """The draft sent by the editor's script, from a translator of *locale*."""
    service.check_locale(locale)
    user = signed_in_user()
    assert user is not None  # staff_required ran first
    service.require_translator(user, locale)
    data = parse_body(FitIn)
    return fitting.Draft(data.name, tuple(data.highlights))


@bp.post("/<int:product_id>/<locale>/fit")
@staff_required(*WRITERS)
@json_endpoint
def fit(product_id: int, locale: str) -> ResponseReturnValue:
    draft = _draft(locale)
    product = get_product(get_session(), product_id)
    return jsonify(fit_json(product, locale, fitting.draft_fit(draft)))


@bp.post("/<int:product_id>/<locale>/fit.png")
@staff_required(*WRITERS)
@json_endpoint
def preview(product_id: int, locale: str) -> ResponseReturnValue:
    draft = _draft(locale)
    layout = parse_model(FitQuery, request.args.to_dict()).layout
    session = get_session()
    product = get_product(session, product_id)
    url = public_url(f"products/{product.id}?locale={locale}")
    png = fitting.draft_card(session, get_media().read, product, locale, draft, layout, url)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response
