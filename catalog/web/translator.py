"""The translators' workspace: the queue with progress, and a side-by-side editor per text."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from catalog.db import get_session
from catalog.errors import CatalogError
from catalog.errors import Forbidden
from catalog.errors import status_of
from catalog.models import Booth
from catalog.models import Role
from catalog.models import Stream
from catalog.models import User
from catalog.presenting.translations import product_etag
from catalog.presenting.translations import queue_item_json
from catalog.presenting.translations import revision_json
from catalog.presenting.translations import translation_json
from catalog.services import translating as service
from catalog.services import translating_queue as queue
from catalog.services.categories import category_tree
from catalog.services.products import get_product
from catalog.services.translating_checks import listing_checks
from catalog.services.translating_glossary import get_glossary
from catalog.services.translating_memory import suggestions
from catalog.services.translating_reject import rejections
from catalog.validation import CONTENT_LOCALES
from catalog.web.context import _
from catalog.web.context import name_in
from catalog.web.context import page_locale
from catalog.web.context import text_lines
from catalog.web.signin import signed_in_user
from catalog.web.signin import staff_required
from translations.locales import language_name
from translations.quality import CHECKS
from translations.quality import count_by_severity
from translations.workflow import ListingText

bp = Blueprint("translator", __name__, url_prefix="/translate")
WRITERS = (Role.EDITOR, Role.TRANSLATOR)
STATES = ("stale", "missing", "draft", "reviewed")
QUEUE_PAGE = 50


def _user() -> User:
    user = signed_in_user()
    assert user is not None  # staff_required ran first
    return user


def locales_of(user: User) -> list[str]:
    """The locales *user* works on (translators: theirs; editors and admins: all)."""
    if user.role is Role.TRANSLATOR:
        return [loc for loc in CONTENT_LOCALES if loc in user.locales]
    return list(CONTENT_LOCALES)


def _state_names() -> dict[str, str]:
    return {
        "stale": _("Stale"),
        "missing": _("Missing"),
        "draft": _("Draft"),
        "reviewed": _("Reviewed"),
        "source": _("Source text"),
    }


def check_names() -> dict[str, str]:
    return {
        "numbers": _("Numbers and units"),
        "placeholders": _("Placeholders"),
        "brackets": _("Brackets"),
        "quotes": _("Quotation marks"),
        "spaces": _("Spaces"),
        "mixed-script": _("Mixed Latin and Cyrillic letters"),
        "kazakh-letters": _("Kazakh letters"),
        "glossary": _("Glossary"),
    }


def field_name(field: str) -> str:
    """A field key (``highlights.2``) as the page names it."""
    if field.startswith("highlights."):
        return _("Highlight %(number)s", number=int(field.split(".")[1]) + 1)
    return {"name": _("Name"), "description": _("Description")}.get(field, field)


def _next_in_queue(locale: str, after_product: int | None) -> int | None:
    items = queue.queue_page(get_session(), queue.QueueFilter(locale), None, 3)
    return next((i.product.id for i in items if i.product.id != after_product), None)


def queue_filter(locales: list[str], default_states: tuple[str, ...]) -> queue.QueueFilter:
    """The queue filters of this page's query string, for a user working on *locales*."""
    locale = request.args.get("locale") or (locales[1] if len(locales) > 1 else locales[0])
    if locale not in locales:
        raise Forbidden(_("You do not translate into this language."))
    states = tuple(s for s in request.args.getlist("state") if s in STATES) or default_states
    stream = request.args.get("stream", "")
    check = request.args.get("check") or None
    return queue.QueueFilter(
        locale,
        states,
        request.args.get("category") or None,
        request.args.get("booth") or None,
        int(stream) if stream.isdigit() and len(stream) < 10 else None,
        check if check in CHECKS else None,
    )


def filter_choices(user: User) -> dict[str, t.Any]:
    """What the filter form offers: languages, categories, booths, shows and checks."""
    session = get_session()
    reading = page_locale()
    shows = session.scalars(sa.select(Stream).order_by(Stream.starts_at.desc()).limit(50))
    return {
        "locales": [(loc, language_name(loc, reading)) for loc in locales_of(user)],
        "state_names": _state_names(),
        "categories": [
            (c.path, name_in(c.names, c.slug)) for c in category_tree(session) if "." not in c.path
        ],
        "booths": [
            (b.slug, name_in(b.names, b.slug)) for b in session.scalars(sa.select(Booth).order_by(Booth.slug))
        ],
        "shows": [(s.id, name_in(s.title, str(s.id)), s.starts_at.isoformat()) for s in shows],
        "check_names": check_names(),
    }


@bp.get("", endpoint="queue")
@staff_required(*WRITERS)
def queue_page() -> ResponseReturnValue:
    user = _user()
    filters = queue_filter(locales_of(user), queue.NEEDS_WORK)
    session = get_session()
    items, _after = queue.queue_scan(session, filters, None, QUEUE_PAGE)
    reading = page_locale()
    progress = queue.progress(session)["locales"]
    return render_template(
        "translate/queue.html",
        filters=filters,
        locale=filters.locale,
        items=[queue_item_json(item, filters.locale) for item in items],
        progress=[
            (loc, language_name(loc, reading), progress[loc]) for loc in locales_of(user) if loc in progress
        ],
        **filter_choices(user),
    )


def _editor(
    product_id: int,
    locale: str,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    warnings: list[dict[str, t.Any]] | None = None,
    conflict: bool = False,
    status: int = 200,
) -> ResponseReturnValue:
    session = get_session()
    product = get_product(session, product_id)
    data = translation_json(session, product, locale)
    text = data["text"] or {"name": "", "description": "", "highlights": []}
    if values is None:
        values = {
            "name": text["name"],
            "description": text["description"],
            "highlights": "\n".join(text["highlights"]),
            "etag": data["etag"],
        }
    glossary = get_glossary(session, locale)
    check_fields = listing_checks(session, product, locale)
    rejection = rejections(session, [product.id], locale).get(product.id)
    reading = page_locale()
    page = render_template(
        "translate/edit.html",
        product=product,
        locale=locale,
        language=language_name(locale, reading),
        source_language=language_name(product.source_locale, reading),
        data=data,
        values=values,
        errors=errors or {},
        warnings=warnings or [],
        conflict=conflict,
        state_names=_state_names(),
        terms=list(glossary.terms) if glossary else [],
        history=[revision_json(r) for r in service.history(session, product_id, locale, None, 10)],
        next_product=_next_in_queue(locale, product_id),
        check_fields=check_fields,
        check_counts=count_by_severity(f for field in check_fields for f in field.findings),
        check_names=check_names(),
        severity_names={"error": _("Error"), "warning": _("Warning")},
        field_names=field_name,
        suggestion_fields=[] if data["is_source"] else suggestions(session, product, locale),
        rejection=rejection if rejection and rejection.revision == data["revision"] else None,
    )
    return page, status


def _field(path: str) -> str:
    head = path.split(".")[0]
    return head if head in ("name", "description", "highlights") else "form"


@bp.route("/<int:product_id>/<locale>", methods=["GET", "POST"])
@staff_required(*WRITERS)
def edit(product_id: int, locale: str) -> ResponseReturnValue:
    service.check_locale(locale)
    user = _user()
    service.require_translator(user, locale)
    if request.method == "GET":
        return _editor(product_id, locale)
    values = {key: request.form.get(key, "") for key in ("name", "description", "highlights", "etag")}
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    if values["etag"] != product_etag(product):
        session.rollback()
        return _editor(product_id, locale, values, conflict=True, status=412)
    if not values["name"].strip():
        session.rollback()
        missing = {"name": [_("Give the name; a text without a name cannot be saved.")]}
        return _editor(product_id, locale, values, errors=missing, status=422)
    highlights = tuple(text_lines(values["highlights"]))
    text = ListingText(values["name"].strip(), values["description"].strip(), highlights)
    try:
        saved = service.save_translation(session, product, locale, text, user)
        session.commit()
    except CatalogError as exc:
        session.rollback()
        errors: dict[str, list[str]] = {}
        for error in exc.errors or [{"field": "form", "message": exc.detail}]:
            errors.setdefault(_field(error["field"]), []).append(error["message"])
        return _editor(product_id, locale, values, errors=errors, status=status_of(exc))
    flash(
        _(
            "The %(language)s text of %(sku)s is saved.",
            language=language_name(locale, page_locale()),
            sku=product.sku,
        )
    )
    if saved.warnings:
        return _editor(product_id, locale, warnings=saved.warnings)
    following = _next_in_queue(locale, product_id) if request.form.get("then") == "next" else None
    if following is not None:
        return redirect(url_for(".edit", product_id=following, locale=locale))
    return redirect(url_for(".edit", product_id=product_id, locale=locale))


@bp.post("/<int:product_id>/<locale>/review")
@staff_required(*WRITERS)
def review(product_id: int, locale: str) -> ResponseReturnValue:
    service.check_locale(locale)
    user = _user()
    service.require_translator(user, locale)  # before anything about the text: 403, not 412
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    if request.form.get("etag") != product_etag(product):
        session.rollback()
        return _editor(product_id, locale, conflict=True, status=412)
    try:
        service.review_translation(session, product, locale, user)
        session.commit()
    except CatalogError as exc:
        session.rollback()
        return _editor(product_id, locale, errors={"form": [exc.detail]}, status=status_of(exc))
    flash(_("The text is marked as reviewed."))
    return redirect(url_for(".edit", product_id=product_id, locale=locale))
