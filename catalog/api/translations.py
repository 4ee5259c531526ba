"""Listing translations: per-locale texts, reviews, history, glossaries, the queue and PO/XLIFF exchange."""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from catalog.api.meta import API_VERSION
from catalog.api.spec import operation
from catalog.auth import require_user
from catalog.db import get_session
from catalog.errors import BadRequest
from catalog.errors import CatalogError
from catalog.errors import PayloadTooLarge
from catalog.errors import PreconditionFailed
from catalog.errors import Unprocessable
from catalog.errors import UnsupportedMediaType
from catalog.errors import error_response
from catalog.http import decode_cursor
from catalog.http import encode_cursor
from catalog.http import etag_for
from catalog.http import json_body
from catalog.http import parse_body
from catalog.http import parse_model
from catalog.http import parse_query
from catalog.http import require_if_match
from catalog.media_store import get_media
from catalog.models import Product
from catalog.models import Role
from catalog.models import utcnow
from catalog.presenting.products import product_json
from catalog.presenting.translations import checks_json
from catalog.presenting.translations import fit_json
from catalog.presenting.translations import glossary_json
from catalog.presenting.translations import product_etag
from catalog.presenting.translations import queue_item_json
from catalog.presenting.translations import rejection_json
from catalog.presenting.translations import revision_json
from catalog.presenting.translations import suggestions_json
from catalog.presenting.translations import translation_json
from catalog.schemas import translations as schemas
from catalog.security.hosts import public_url
from catalog.services import translating as service
from catalog.services import translating_checks as checks
from catalog.services import translating_exchange as exchange
from catalog.services import translating_fit as fitting
from catalog.services import translating_glossary as glossaries
from catalog.services import translating_memory as memory
from catalog.services import translating_queue as queue
from catalog.services import translating_reject as rejecting
from catalog.services import translating_tmx as tmx
from catalog.services.pricing import all_rates
from catalog.services.products import get_product
from catalog.services.streams import get_stream
from translations import MAX_IMPORT_BYTES
from translations import ExchangeError
from translations import FileTooLarge
from translations import ListingText
from translations import PlaceholderMismatch
from translations import UnknownLocale
from translations.exchange import zip_of
from translations.exchange_tmx import export_tmx

bp = Blueprint("translations_api", __name__, url_prefix="/api/v1")
WRITERS = (Role.ADMIN, Role.EDITOR, Role.TRANSLATOR)
STAFF = (Role.ADMIN, Role.EDITOR)
CONTENT = "/products/<int:product_id>/content/<locale>"
PO_TYPES = {"text/x-gettext-translation", "text/x-po", "application/x-po", "application/x-gettext"}
XLIFF_TYPES = {"application/x-xliff+xml", "application/xliff+xml", "application/xml", "text/xml"}
MEDIA_TYPES = {
    "po": "text/x-gettext-translation; charset=utf-8",
    "xliff": "application/x-xliff+xml; charset=utf-8",
}
ZIP = "application/zip"
TMX = "application/x-tmx+xml; charset=utf-8"
MULTIPART_ALLOWANCE = 64 * 1024  # part headers and boundaries around the file


def _exchange_problem(exc: Exception) -> Response:
    """Errors of the translations package, as problems naming what to fix."""
    message = str(exc)
    if isinstance(exc, FileTooLarge):
        error: CatalogError = PayloadTooLarge(message)
    else:
        error = Unprocessable(message, errors=[{"field": "file", "message": message}])
    return error_response(error)


for _exc in (ExchangeError, PlaceholderMismatch, UnknownLocale):
    bp.register_error_handler(_exc, _exchange_problem)


def _answer(body: dict[str, t.Any], product: Product | None = None) -> Response:
    response = jsonify(body)
    if product is not None:
        response.headers["ETag"] = product_etag(product)
    return response


def _check_if_match(product: Product, locale: str, *, required: bool = True) -> None:
    """If-Match against the product's ETag; a 412 carries the current text, so nothing is lost."""
    if not required and not request.headers.get("If-Match"):
        return
    try:
        require_if_match(product_etag(product))
    except PreconditionFailed as exc:
        exc.extra["current"] = translation_json(get_session(), product, locale)
        raise


@bp.get(CONTENT)
@operation(
    summary="Read one locale's text of a product with its state and source diff",
    tag="translations",
    any_user=True,
    responses={200: schemas.TranslationOut},
    errors=(404, 422),
    etag=True,
)
def read_content(product_id: int, locale: str) -> ResponseReturnValue:
    service.check_locale(locale)
    session = get_session()
    product = get_product(session, product_id)
    return _answer(translation_json(session, product, locale), product)


@bp.put(CONTENT)
@operation(
    summary="Set one locale's name, description and highlights of a product",
    tag="translations",
    body=schemas.TranslationIn,
    roles=WRITERS,
    locale_bound=True,
    if_match=True,
    responses={200: schemas.SaveOut},
    errors=(404,),
    etag=True,
    description="Translators write their own locales only. The text becomes a draft made from the"
    " current source; glossary terms give warnings, never refusals.",
)
def put_content(product_id: int, locale: str) -> ResponseReturnValue:
    user = require_user(*WRITERS)
    service.check_locale(locale)
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    service.require_translator(user, locale)
    _check_if_match(product, locale)
    data = parse_body(schemas.TranslationIn)
    text = ListingText(data.name, data.description, tuple(data.highlights))
    saved = service.save_translation(
        session, product, locale, text, user, hidden_until_reviewed=data.hidden_until_reviewed
    )
    session.commit()
    body = {
        "translation": translation_json(session, product, locale, saved.revision),
        "warnings": saved.warnings,
        "product": product_json(product, locale, product.price_currency, all_rates(session)),
    }
    return _answer(body, product)


@bp.post(CONTENT + "/review")
@operation(
    summary="Review the current text of a locale (an editor or another translator, never its author)",
    tag="translations",
    body=schemas.ReviewIn,
    roles=WRITERS,
    locale_bound=True,
    responses={200: schemas.TranslationOut},
    errors=(404, 409, 412),
    etag=True,
    description="The body is optional; If-Match is checked when sent. A text hidden until review becomes visible.",
)
def review(product_id: int, locale: str) -> ResponseReturnValue:
    user = require_user(*WRITERS)
    service.check_locale(locale)
    data = parse_model(schemas.ReviewIn, json_body()) if request.get_data(cache=True) else schemas.ReviewIn()
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    service.require_translator(user, locale)
    _check_if_match(product, locale, required=False)
    revision = service.review_translation(
        session, product, locale, user, revision=data.revision, note=data.note
    )
    session.commit()
    return _answer(translation_json(session, product, locale, revision), product)


@bp.post(CONTENT + "/reject")
@operation(
    summary="Send the current text of a locale back to its translator with a comment",
    tag="translations",
    body=schemas.RejectIn,
    roles=WRITERS,
    locale_bound=True,
    responses={200: schemas.RejectOut},
    errors=(404, 409, 412),
    etag=True,
    description="Whoever may review a text may reject it instead (never its author). The text"
    " stays a draft, as visible as before; the comment is kept with the revision it was about."
    " If-Match is checked when sent.",
)
def reject(product_id: int, locale: str) -> ResponseReturnValue:
    user = require_user(*WRITERS)
    service.check_locale(locale)
    service.require_translator(user, locale)
    data = parse_body(schemas.RejectIn)
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    _check_if_match(product, locale, required=False)
    revision = rejecting.reject_translation(session, product, locale, user, data.note, revision=data.revision)
    session.commit()
    rejection = rejecting.rejections(session, [product.id], locale)[product.id]
    body = {
        "translation": translation_json(session, product, locale, revision),
        "rejection": rejection_json(rejection),
    }
    return _answer(body, product)


@bp.get(CONTENT + "/history")
@operation(
    summary="Every saved version of one locale's text, newest first, with author and time",
    tag="translations",
    any_user=True,
    query=schemas.HistoryQuery,
    responses={200: schemas.HistoryOut},
    errors=(404, 422),
)
def history(product_id: int, locale: str) -> ResponseReturnValue:
    service.check_locale(locale)
    query = parse_query(schemas.HistoryQuery)
    state = decode_cursor(query.cursor, "history")
    if state is not None and state.get("f") != [product_id, locale]:
        raise BadRequest(gettext("This cursor belongs to another text's history; start from the first page."))
    session = get_session()
    get_product(session, product_id)
    page = service.history(session, product_id, locale, state["before"] if state else None, query.limit + 1)
    next_cursor = None
    if len(page) > query.limit:
        last = page[query.limit - 1].number
        next_cursor = encode_cursor({"k": "history", "before": last, "f": [product_id, locale]})
    return jsonify({"items": [revision_json(r) for r in page[: query.limit]], "next_cursor": next_cursor})


@bp.get(CONTENT + "/checks")
@operation(
    summary="Quality checks of one locale's text, field by field, each failed check with a severity",
    tag="translations",
    any_user=True,
    responses={200: schemas.ChecksOut},
    errors=(404, 422),
    description="Amounts and units against the source (750 мл equals 0.75 л), placeholders,"
    " brackets, quotes of the locale, spaces, words mixing Latin and Cyrillic letters, Kazakh"
    " words typed with Russian letters (judged by the words of reviewed Kazakh text) and glossary"
    " terms matched by stem. Errors are what a reader would see as wrong; nothing here blocks"
    " saving a draft. A text not yet written has no fields.",
)
def read_checks(product_id: int, locale: str) -> ResponseReturnValue:
    service.check_locale(locale)
    session = get_session()
    product = get_product(session, product_id)
    state = translation_json(session, product, locale)["state"]
    return jsonify(checks_json(product, locale, state, checks.listing_checks(session, product, locale)))


@bp.get(CONTENT + "/suggestions")
@operation(
    summary="Reviewed translations of similar sources, per field, from the translation memory",
    tag="translations",
    any_user=True,
    responses={200: schemas.SuggestionsOut},
    errors=(404, 422),
    description="For each field of the product's source text: reviewed translations into the locale"
    " whose source is the same or similar (score 0–100, identical sources first), with the words in"
    " which the remembered source differs from this one (`delete`: only in the remembered source,"
    " `insert`: only in this one). The source locale itself gets no suggestions.",
)
def read_suggestions(product_id: int, locale: str) -> ResponseReturnValue:
    service.check_locale(locale)
    session = get_session()
    product = get_product(session, product_id)
    return jsonify(suggestions_json(product, locale, memory.suggestions(session, product, locale)))


def _draft() -> fitting.Draft:
    data = parse_body(schemas.FitIn)
    return fitting.Draft(data.name, tuple(data.highlights))


@bp.post(CONTENT + "/fit")
@operation(
    summary="Whether a draft name and highlights fit the on-air card and overlay, layout by layout",
    tag="translations",
    body=schemas.FitIn,
    any_user=True,
    responses={200: schemas.FitOut},
    errors=(404, 415, 422),
    description="The draft is typeset as `card.png` and the overlay draw it, in the portrait and"
    " landscape layouts of a show; a part is cut short when the card ends it with an ellipsis or"
    " hides some of its lines. Nothing is saved. `fit.png` draws the card with the draft.",
)
def read_fit(product_id: int, locale: str) -> ResponseReturnValue:
    service.check_locale(locale)
    product = get_product(get_session(), product_id)
    return jsonify(fit_json(product, locale, fitting.draft_fit(_draft())))


@bp.post(CONTENT + "/fit.png")
@operation(
    summary="The on-air card drawn with a draft name and highlights, as a PNG",
    tag="translations",
    body=schemas.FitIn,
    query=schemas.FitQuery,
    any_user=True,
    responses={200: "image/png"},
    errors=(404, 415, 422),
    description="The product's card in the locale, as `card.png` draws it (picture, price, origin),"
    " with the draft's name and highlights in their place. Nothing is saved.",
)
def fit_preview(product_id: int, locale: str) -> ResponseReturnValue:
    service.check_locale(locale)
    query = parse_query(schemas.FitQuery)
    session = get_session()
    product = get_product(session, product_id)
    draft = _draft()
    url = public_url(f"products/{product.id}?locale={locale}")
    png = fitting.draft_card(session, get_media().read, product, locale, draft, query.layout, url)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post(CONTENT + "/revert")
@operation(
    summary="Make an earlier revision the current text again (as a new revision)",
    tag="translations",
    body=schemas.RevertIn,
    roles=WRITERS,
    locale_bound=True,
    if_match=True,
    responses={200: schemas.SaveOut},
    errors=(404, 409),
    etag=True,
)
def revert(product_id: int, locale: str) -> ResponseReturnValue:
    user = require_user(*WRITERS)
    service.check_locale(locale)
    session = get_session()
    product = get_product(session, product_id, for_update=True)
    service.require_translator(user, locale)
    _check_if_match(product, locale)
    data = parse_body(schemas.RevertIn)
    saved = service.revert_translation(session, product, locale, data.revision, user)
    session.commit()
    body = {
        "translation": translation_json(session, product, locale, saved.revision),
        "warnings": saved.warnings,
        "product": product_json(product, locale, product.price_currency, all_rates(session)),
    }
    return _answer(body, product)


def _glossary_etag(locale: str, version: int) -> str:
    return etag_for("glossary", locale, version)


@bp.get("/translations/glossary/<locale>")
@operation(
    summary="A locale's glossary: terms kept as they are (brands) or rendered one fixed way",
    tag="translations",
    any_user=True,
    responses={200: schemas.GlossaryOut},
    errors=(422,),
    etag=True,
)
def read_glossary(locale: str) -> ResponseReturnValue:
    service.check_locale(locale)
    glossary = glossaries.get_glossary(get_session(), locale)
    response = jsonify(glossary_json(locale, glossary))
    response.headers["ETag"] = _glossary_etag(locale, glossaries.glossary_version(glossary))
    return response


@bp.put("/translations/glossary/<locale>")
@operation(
    summary="Replace a locale's glossary",
    tag="translations",
    body=schemas.GlossaryIn,
    roles=STAFF,
    if_match=True,
    responses={200: schemas.GlossaryOut},
    etag=True,
)
def put_glossary(locale: str) -> ResponseReturnValue:
    user = require_user(*STAFF)
    service.check_locale(locale)
    session = get_session()
    current = glossaries.get_glossary(session, locale)
    require_if_match(_glossary_etag(locale, glossaries.glossary_version(current)))
    data = parse_body(schemas.GlossaryIn)
    terms = [glossaries.TermInput(term.source, term.target or None, term.note) for term in data.terms]
    glossary = glossaries.put_glossary(session, locale, terms, user)
    session.commit()
    response = jsonify(glossary_json(locale, glossary))
    response.headers["ETag"] = _glossary_etag(locale, glossary.version)
    return response


@bp.get("/translations/queue")
@operation(
    summary="What needs translating in a locale: stale and missing first, then what is most on air",
    tag="translations",
    any_user=True,
    query=schemas.QueueQuery,
    responses={200: schemas.QueueOut},
    errors=(404, 422),
    description="Filters combine: states, a category (with its subcategories), a booth, a show"
    " (`stream`: the products of its run-sheet, such as every product of Friday's show not"
    " reviewed in kk) and a failing quality check (`check`). With a check, a page looks at no"
    f" more than {queue.CHECK_SCAN_LIMIT} texts: it may hold fewer items than `limit` and still"
    " have a `next_cursor`.",
)
def read_queue() -> ResponseReturnValue:
    query = parse_query(schemas.QueueQuery)
    filters = queue.QueueFilter(
        query.locale,
        query.state_list() or queue.NEEDS_WORK,
        query.category,
        query.booth,
        query.stream,
        query.check,
    )
    key = filters.key()
    state = decode_cursor(query.cursor, "translation-queue")
    if state is not None and state.get("f") != key:
        raise BadRequest(gettext("This cursor was made for other filters; start from the first page."))
    session = get_session()
    if query.stream is not None:
        get_stream(session, query.stream)  # 404 for a show that does not exist
    page, after = queue.queue_scan(session, filters, state["after"] if state else None, query.limit)
    next_cursor = None
    if after is not None:
        next_cursor = encode_cursor({"k": "translation-queue", "after": after, "f": key})
    items = [queue_item_json(item, query.locale) for item in page]
    return jsonify({"items": items, "next_cursor": next_cursor})


@bp.get("/translations/progress")
@operation(
    summary="Per-locale counts of missing, stale, draft and reviewed texts, overall and per category",
    tag="translations",
    any_user=True,
    query=schemas.ProgressQuery,
    responses={200: schemas.ProgressOut},
)
def read_progress() -> ResponseReturnValue:
    query = parse_query(schemas.ProgressQuery)
    return jsonify(queue.progress(get_session(), query.category))


@bp.get("/translations/export")
@operation(
    summary="Export source and target texts of a locale as PO or XLIFF 2.0",
    tag="translations",
    roles=WRITERS,
    locale_bound=True,
    query=schemas.ExportQuery,
    responses={200: (MEDIA_TYPES["po"], MEDIA_TYPES["xliff"], ZIP)},
    description="PO files answer as text/x-gettext-translation, XLIFF 2.0 as application/x-xliff+xml"
    " (UTF-8), one file per source language: products written in several languages answer a zip"
    " of one file each (`?source_locale=` for one of them). Each entry carries the translation"
    " revision it was exported from, so that an import can tell a text changed since.",
    errors=(422,),
)
def export() -> ResponseReturnValue:
    user = require_user(*WRITERS)
    query = parse_query(schemas.ExportQuery)
    service.require_translator(user, query.locale)
    files = exchange.export_listings(
        get_session(),
        query.locale,
        query.format,
        states=query.state_list(),
        category=query.category,
        source_locale=query.source_locale,
    )
    extension = "po" if query.format == "po" else "xlf"
    if len(files) == 1:
        response = Response(next(iter(files.values())), content_type=MEDIA_TYPES[query.format])
        name = f"listings-{query.locale}.{extension}"
    else:
        named = {f"listings-{query.locale}-from-{source}.{extension}": data for source, data in files.items()}
        response = Response(zip_of(named), content_type=ZIP)
        name = f"listings-{query.locale}.zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/translations/memory.tmx")
@operation(
    summary="The translation memory of a language pair as TMX 1.4b, for CAT tools",
    tag="translations",
    roles=WRITERS,
    locale_bound=True,
    query=schemas.MemoryExportQuery,
    responses={200: TMX},
    errors=(422,),
    description="One translation unit per reviewed field (`tuid` is the SKU and the field) of the"
    " products written in `source`, with its reviewed `target` translation. Every text is escaped;"
    " characters XML cannot hold (control characters) are removed and the unit carries a note"
    " saying which. Translators export the memory of their own languages.",
)
def export_memory() -> ResponseReturnValue:
    user = require_user(*WRITERS)
    query = parse_query(schemas.MemoryExportQuery)
    service.require_translator(user, query.target)
    units = tmx.memory_units(get_session(), query.source, query.target)
    document = export_tmx(units, query.source, query.target, tool_version=API_VERSION, created=utcnow())
    response = Response(document, content_type=TMX)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="memory-{query.source}-{query.target}.tmx"'
    )
    return response


@bp.post("/translations/import")
@operation(
    summary="Import a translated PO or XLIFF file, all or nothing",
    tag="translations",
    roles=WRITERS,
    locale_bound=True,
    query=schemas.ImportQuery,
    body_media_type="multipart/form-data",
    responses={200: schemas.ImportReportOut},
    raw_body=(MEDIA_TYPES["po"].split(";")[0], MEDIA_TYPES["xliff"].split(";")[0]),
    errors=(409, 413, 415, 422),
    description="Send the file as the body (Content-Type text/x-gettext-translation or"
    " application/x-xliff+xml) or as the multipart field `file`. Texts translated against an"
    " older source are imported, marked stale, and listed with the source diff. A text changed"
    " by someone else since the export is a conflict (409 with base, current and incoming text"
    " of each; `?on_conflict=skip` imports the rest).",
)
def import_file() -> ResponseReturnValue:
    user = require_user(*WRITERS)
    query = parse_query(schemas.ImportQuery)
    service.require_translator(user, query.locale)
    data, fmt = _uploaded_file(query.format)
    session = get_session()
    report = exchange.import_listings(
        session,
        query.locale,
        data,
        fmt,
        user,
        hidden_until_reviewed=query.hidden_until_reviewed,
        on_conflict=query.on_conflict,
    )
    session.commit()
    return jsonify(report.to_dict())


def _too_large(size: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        gettext(
            "The file is %(size)s bytes; at most %(limit)s bytes can be imported. Export and import"
            " one category at a time (?category=).",
            size=f"{size:,}",
            limit=f"{MAX_IMPORT_BYTES:,}",
        )
    )


def _uploaded_file(explicit: exchange.Format | None) -> tuple[bytes, exchange.Format]:
    """The file's bytes and format, refusing an oversized body before reading it."""
    multipart = request.mimetype == "multipart/form-data"
    allowance = MAX_IMPORT_BYTES + (MULTIPART_ALLOWANCE if multipart else 0)
    if request.content_length is not None and request.content_length > allowance:
        raise _too_large(request.content_length)
    request.max_content_length = allowance
    fmt: str | None = explicit
    if multipart:
        upload = request.files.get("file")
        if upload is None:
            message = gettext("Send the file in the multipart field named 'file'.")
            raise Unprocessable(message, errors=[{"field": "file", "message": message}])
        data = upload.read(MAX_IMPORT_BYTES + 1)
        name = (upload.filename or "").lower()
        if fmt is None:
            if name.endswith(".po") or upload.mimetype in PO_TYPES:
                fmt = "po"
            elif name.endswith((".xlf", ".xliff")) or upload.mimetype in XLIFF_TYPES:
                fmt = "xliff"
    else:
        if fmt is None and request.mimetype in PO_TYPES:
            fmt = "po"
        elif fmt is None and request.mimetype in XLIFF_TYPES:
            fmt = "xliff"
        elif fmt is None:
            raise UnsupportedMediaType(
                gettext(
                    "Send a PO file as text/x-gettext-translation, an XLIFF file as"
                    " application/x-xliff+xml, or either as the multipart field 'file' (got %(type)s).",
                    type=request.mimetype or gettext("none"),
                )
            )
        data = request.get_data(cache=False)
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_large(len(data))
    if fmt not in ("po", "xliff"):
        message = gettext("Name the file .po or .xlf, or add ?format=po or ?format=xliff.")
        raise Unprocessable(message, errors=[{"field": "format", "message": message}])
    return data, t.cast(exchange.Format, fmt)
