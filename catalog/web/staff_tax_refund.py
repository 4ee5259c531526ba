"""The staff page of the departure tax refund rules: qualified booths, rates, limits and history."""

from __future__ import annotations

import typing as t

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from catalog.db import get_session
from catalog.errors import CatalogError
from catalog.errors import FieldError
from catalog.http import parse_model
from catalog.models import Role
from catalog.presenting.tax_refund import rules_json
from catalog.schemas.tax_refund import TaxRefundRulesIn
from catalog.services import audit
from catalog.services import tax_refund
from catalog.services.categories import booths
from catalog.web.context import _
from catalog.web.context import name_in
from catalog.web.context import page_locale
from catalog.web.signin import signed_in_user
from catalog.web.signin import staff_required
from translations.formatting import format_datetime

bp = Blueprint("staff_tax_refund", __name__, url_prefix="/staff")
#: Empty rows offered under the rules already kept, for new ones.
BLANK_RATE_ROWS = 2
RATE_FIELDS = ("vat_class", "refund_percent", "effective_from")


def _page(values: dict[str, t.Any], errors: list[FieldError], status: int = 200) -> tuple[str, int]:
    session = get_session()
    locale = page_locale()
    entries = audit.history(session, tax_refund.ENTITY, 1, limit=20)
    names = audit.user_names(session, entries)
    history = [
        (
            format_datetime(e.at, locale, "Asia/Urumqi", "short"),
            names.get(e.user_id) if e.user_id is not None else None,
            e.changes,
        )
        for e in entries
    ]
    blank = dict.fromkeys(RATE_FIELDS, "")
    page = render_template(
        "staff/tax_refund.html",
        values=values,
        rate_rows=[*values["rates"], *[blank] * BLANK_RATE_ROWS],
        booth_choices=[(b.slug, name_in(b.names, b.slug)) for b in booths(session)],
        errors=errors,
        error_fields={e["field"] for e in errors},
        history=history,
    )
    return page, status


def _stored_values() -> dict[str, t.Any]:
    rules = tax_refund.current_rules(get_session())
    return rules_json(rules)


def _form_values() -> dict[str, t.Any]:
    columns = [request.form.getlist(name) for name in RATE_FIELDS]
    rows = [
        dict(zip(RATE_FIELDS, (v.strip() for v in cells), strict=True))
        for cells in zip(*columns, strict=False)
    ]
    return {
        "qualified_booths": request.form.getlist("qualified_booths"),
        "rates": [row for row in rows if any(row.values())],
        "min_spend_cny": request.form.get("min_spend_cny", "").strip().replace(",", "."),
        "cash_cap_cny": request.form.get("cash_cap_cny", "").strip().replace(",", "."),
        "version": request.form.get("version", ""),
    }


@bp.route("/tax-refund", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def rules() -> ResponseReturnValue:
    if request.method == "GET":
        return _page(_stored_values(), [])
    values = _form_values()
    session = get_session()
    if values["version"] != str(tax_refund.rules_version(session)):
        message = _("Someone else changed the rules meanwhile; check them and save again.")
        return _page(
            {**values, "version": str(tax_refund.rules_version(session))},
            [{"field": "form", "message": message}],
            409,
        )
    try:
        data = parse_model(TaxRefundRulesIn, {k: v for k, v in values.items() if k != "version"})
        tax_refund.set_rules(session, data, signed_in_user(), tax_refund.today())
    except CatalogError as exc:
        session.rollback()
        return _page(values, exc.errors or [{"field": "form", "message": exc.detail}], 422)
    session.commit()
    flash(_("The tax refund rules are saved."))
    return redirect(url_for(".rules"))
