"""Pages for catalog staff: the product list, product forms, sheet imports and exchange rates."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from catalog.db import get_session
from catalog.errors import BadRequest
from catalog.errors import CatalogError
from catalog.errors import FieldError
from catalog.errors import status_of
from catalog.http import parse_model
from catalog.models import ExchangeRate
from catalog.models import Product
from catalog.models import ProductStatus
from catalog.models import Role
from catalog.presenting.products import localized
from catalog.presenting.sheets import SheetError
from catalog.routing import MAX_ID
from catalog.schemas.products import ProductCreate
from catalog.schemas.products import ProductPatch
from catalog.schemas.rates import RateIn
from catalog.services import importer
from catalog.services import pricing
from catalog.services import products as service
from catalog.validation import CONTENT_LOCALES
from catalog.validation import is_currency
from catalog.web.context import _
from catalog.web.context import page_locale
from catalog.web.pictures import gallery_for
from catalog.web.productform import FormErrors
from catalog.web.productform import FormValues
from catalog.web.productform import errors_by_field
from catalog.web.productform import payload_from_form
from catalog.web.productform import values_from_form
from catalog.web.productform import values_from_product
from catalog.web.security import accepts_upload
from catalog.web.signin import signed_in_user
from catalog.web.signin import staff_required
from translations.formatting import format_datetime
from translations.locales import language_name

bp = Blueprint("staff", __name__, url_prefix="/staff")
PAGE_SIZE = 50
MAX_SHEET_BYTES = 10 * 1024 * 1024


def _problems(exc: CatalogError) -> list[FieldError]:
    return exc.errors or [{"field": "form", "message": exc.detail}]


@bp.get("/products")
@staff_required(Role.EDITOR)
def products() -> ResponseReturnValue:
    status = request.args.get("status") or None
    if status not in (None, *[s.value for s in ProductStatus]):
        status = None
    after = request.args.get("after", type=int)
    if after is not None and not 0 <= after <= MAX_ID:
        raise BadRequest(_("This page position is not one the list gave; start from the first page."))
    filters = service.ProductFilter(status=status, origin_country=request.args.get("country") or None)
    page = service.list_products(get_session(), filters, after, PAGE_SIZE + 1)
    locale = page_locale()
    rows = [(p, localized(p, locale)["name"]) for p in page[:PAGE_SIZE]]
    next_after = page[PAGE_SIZE - 1].id if len(page) > PAGE_SIZE else None
    return render_template("staff/products.html", rows=rows, status=status, next_after=next_after)


def _form_page(
    product: Product | None, values: FormValues, errors: FormErrors, status: int = 200
) -> ResponseReturnValue:
    locale = page_locale()
    languages = [(loc, language_name(loc, locale)) for loc in CONTENT_LOCALES]
    pictures = gallery_for(get_session(), product, product.sku) if product is not None else []
    page = render_template(
        "staff/product_form.html",
        product=product,
        pictures=pictures,
        values=values,
        errors=errors,
        languages=languages,
        statuses=[s.value for s in ProductStatus],
    )
    return page, status


@bp.route("/products/new", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def create() -> ResponseReturnValue:
    if request.method == "GET":
        return _form_page(None, {"status": "draft", "price-currency": "CNY", "source_locale": "zh"}, {})
    values = values_from_form(request.form)
    payload, problems = payload_from_form(values, None)
    session = get_session()
    try:
        if problems:
            return _form_page(None, values, errors_by_field(problems), 422)
        product = service.create_product(session, parse_model(ProductCreate, payload), signed_in_user())
        session.commit()
    except CatalogError as exc:
        session.rollback()
        return _form_page(None, values, errors_by_field(_problems(exc)), status_of(exc))
    flash(_("Product %(sku)s created.", sku=product.sku))
    return redirect(url_for(".edit", product_id=product.id))


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def edit(product_id: int) -> ResponseReturnValue:
    session = get_session()
    product = service.get_product(session, product_id, for_update=request.method == "POST")
    if request.method == "GET":
        return _form_page(product, values_from_product(product), {})
    values = values_from_form(request.form)
    if values.get("version") != str(product.version):
        message = _(
            "Someone else saved this product after you opened it. Reload the page to see their"
            " changes, then make yours again."
        )
        return _form_page(product, values, {"form": [message]}, 409)
    payload, problems = payload_from_form(values, product)
    if problems:
        return _form_page(product, values, errors_by_field(problems), 422)
    try:
        service.update_product(session, product, parse_model(ProductPatch, payload), signed_in_user())
        session.commit()
    except CatalogError as exc:
        session.rollback()
        product = service.get_product(session, product_id)
        return _form_page(product, values, errors_by_field(_problems(exc)), status_of(exc))
    flash(_("Your changes to %(sku)s are saved.", sku=product.sku))
    return redirect(url_for(".edit", product_id=product.id))


@bp.route("/import", methods=["GET", "POST"])
@accepts_upload(lambda _config: MAX_SHEET_BYTES)
@staff_required(Role.EDITOR)
def import_sheet() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("staff/import.html", error=None, report=None, rejected=None)
    upload = request.files.get("sheet")
    if upload is None or not upload.filename:
        error = _("Choose a CSV or XLSX file to import.")
        return render_template("staff/import.html", error=error, report=None, rejected=None), 400
    suffix = Path(upload.filename).suffix.lower()
    session = get_session()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"sheet{suffix}"
        upload.save(path)
        try:
            report = importer.import_products(
                session, path, signed_in_user(), limits=importer.sheet_limits(current_app.config)
            )
            session.commit()
        except SheetError as exc:
            session.rollback()
            error = _("This file cannot be read as a product sheet: %(reason)s", reason=str(exc))
            return render_template("staff/import.html", error=error, report=None, rejected=None), 422
        except importer.ImportRejected as exc:
            session.rollback()
            page = render_template("staff/import.html", error=None, report=exc.report, rejected=True)
            return page, 422
    return render_template("staff/import.html", error=None, report=report, rejected=False)


def _rates_page(values: dict[str, str], errors: FormErrors, status: int = 200) -> tuple[str, int]:
    session = get_session()
    locale = page_locale()
    rates: list[tuple[ExchangeRate, str]] = [
        (rate, format_datetime(rate.as_of, locale, "Asia/Urumqi", "short"))
        for _code, rate in sorted(pricing.all_rates(session).items())
    ]
    return render_template("staff/rates.html", rates=rates, values=values, errors=errors), status


@bp.route("/rates", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def rates() -> ResponseReturnValue:
    if request.method == "GET":
        return _rates_page({}, {})
    values = {key: request.form.get(key, "").strip() for key in ("currency", "per_cny", "version")}
    currency = values["currency"].upper()
    errors: FormErrors = {}
    if not is_currency(currency) or currency == pricing.BASE_CURRENCY:
        errors["currency"] = [_("Give an ISO 4217 currency code other than CNY, such as KZT.")]
    try:
        data = parse_model(RateIn, {"per_cny": values["per_cny"].replace(",", ".")})
    except CatalogError as exc:
        errors["per_cny"] = [e["message"] for e in _problems(exc)]
    if errors:
        return _rates_page(values, errors, 422)
    session = get_session()
    existing = session.get(ExchangeRate, currency)
    if existing is not None and values["version"] and values["version"] != str(existing.version):
        message = _(
            "Someone else changed the %(code)s rate meanwhile; check it and save again.", code=currency
        )
        return _rates_page(values, {"per_cny": [message]}, 409)
    pricing.set_rate(session, currency, Decimal(data.per_cny), dt.datetime.now(dt.UTC), signed_in_user())
    session.commit()
    flash(_("The %(code)s rate is saved.", code=currency))
    return redirect(url_for(".rates"))
