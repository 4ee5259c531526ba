"""Bulk review: a page of drafts, each with its failing checks, approved or sent back from the keyboard."""

from __future__ import annotations

import dataclasses
import typing as t

from flask import Blueprint
from flask import jsonify
from flask import render_template
from flask.typing import ResponseReturnValue

from catalog.db import get_session
from catalog.errors import PreconditionFailed
from catalog.http import parse_body
from catalog.models import Product
from catalog.models import Role
from catalog.models import User
from catalog.presenting.translations import product_etag
from catalog.presenting.translations import queue_item_json
from catalog.schemas.translations import RejectIn
from catalog.schemas.translations import ReviewIn
from catalog.services import translating as service
from catalog.services import translating_queue as queue
from catalog.services.products import get_product
from catalog.services.translating_checks import listing_checks
from catalog.services.translating_reject import reject_translation
from catalog.services.translating_reject import rejections
from catalog.services.translating_state import current_revisions
from catalog.web.context import _
from catalog.web.host import json_endpoint
from catalog.web.signin import signed_in_user
from catalog.web.signin import staff_required
from catalog.web.translator import field_name
from catalog.web.translator import filter_choices
from catalog.web.translator import locales_of
from catalog.web.translator import queue_filter
from translations.quality import count_by_severity

bp = Blueprint("translator_review", __name__, url_prefix="/translate/review")
WRITERS = (Role.EDITOR, Role.TRANSLATOR)
REVIEW_PAGE = 20
TO_REVIEW = ("draft",)


def _user() -> User:
    user = signed_in_user()
    assert user is not None  # staff_required ran first
    return user


def _entries(user: User, filters: queue.QueueFilter) -> list[dict[str, t.Any]]:
    """The drafts to review, each with its checks, its author's id and any request for changes."""
    session = get_session()
    items, _after = queue.queue_scan(session, filters, None, REVIEW_PAGE)
    ids = [item.product.id for item in items]
    revisions = current_revisions(session, ids, filters.locale)
    sent_back = rejections(session, ids, filters.locale)
    entries = []
    for item in items:
        revision = revisions.get((item.product.id, filters.locale))
        fields = [f for f in listing_checks(session, item.product, filters.locale) if f.findings]
        rejection = sent_back.get(item.product.id)
        entries.append(
            {
                **queue_item_json(item, filters.locale),
                "own": revision is not None and revision.author_id == user.id,
                "check_fields": fields,
                "check_counts": count_by_severity(f for field in fields for f in field.findings),
                "rejection": rejection
                if rejection and revision and rejection.revision == revision.number
                else None,
            }
        )
    return entries


@bp.get("", endpoint="review")
@staff_required(*WRITERS)
def review_page() -> ResponseReturnValue:
    user = _user()
    asked = queue_filter(locales_of(user), TO_REVIEW)
    filters = dataclasses.replace(asked, states=TO_REVIEW)
    return render_template(
        "translate/review.html",
        filters=filters,
        locale=filters.locale,
        entries=_entries(user, filters),
        field_names=field_name,
        severity_names={"error": _("Error"), "warning": _("Warning")},
        with_states=False,
        **filter_choices(user),
    )


def _product_read(product_id: int, etag: str) -> Product:
    """The product, locked, if the reviewer read its current version (412 otherwise)."""
    product = get_product(get_session(), product_id, for_update=True)
    if etag != product_etag(product):
        raise PreconditionFailed(
            _("Someone changed this text since the page was loaded; reload the page and review it again."),
            extra={"current_etag": product_etag(product)},
        )
    return product


class ApproveIn(ReviewIn):
    etag: str


class SendBackIn(RejectIn):
    etag: str


Decision = t.TypeVar("Decision", ApproveIn, SendBackIn)


def _decide(product_id: int, locale: str, model: type[Decision]) -> tuple[Product, Decision]:
    """The reviewer's decision on the text they read (403 for another language, 412 for an old page)."""
    service.check_locale(locale)
    service.require_translator(_user(), locale)
    data = parse_body(model)
    return _product_read(product_id, data.etag), data


def _decided(product: Product, state: str, message: str) -> ResponseReturnValue:
    get_session().commit()
    return jsonify({"state": state, "etag": product_etag(product), "message": message})


@bp.post("/<int:product_id>/<locale>/approve")
@staff_required(*WRITERS)
@json_endpoint
def approve(product_id: int, locale: str) -> ResponseReturnValue:
    product, data = _decide(product_id, locale, ApproveIn)
    service.review_translation(get_session(), product, locale, _user(), revision=data.revision)
    return _decided(product, "reviewed", _("Approved."))


@bp.post("/<int:product_id>/<locale>/reject")
@staff_required(*WRITERS)
@json_endpoint
def reject(product_id: int, locale: str) -> ResponseReturnValue:
    product, data = _decide(product_id, locale, SendBackIn)
    reject_translation(get_session(), product, locale, _user(), data.note, revision=data.revision)
    return _decided(product, "draft", _("Sent back with your comment."))
