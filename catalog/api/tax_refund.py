"""``/api/v1/tax-refund``: the departure tax refund rules the staff keep."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask.typing import ResponseReturnValue

from catalog.api.spec import operation
from catalog.auth import current_user
from catalog.db import get_session
from catalog.http import etag_for
from catalog.http import parse_body
from catalog.http import require_if_match
from catalog.models import Role
from catalog.presenting.tax_refund import history_json
from catalog.presenting.tax_refund import rules_json
from catalog.schemas.tax_refund import TaxRefundHistory
from catalog.schemas.tax_refund import TaxRefundRulesIn
from catalog.schemas.tax_refund import TaxRefundRulesOut
from catalog.services import audit
from catalog.services import tax_refund
from catalog.services.tax_refund import RefundRules

bp = Blueprint("tax_refund_api", __name__, url_prefix="/api/v1/tax-refund")


def _respond(rules: RefundRules) -> Response:
    response = jsonify(rules_json(rules))
    response.headers["ETag"] = etag_for("tax-refund", 1, rules.version)
    return response


@bp.get("/rules")
@operation(
    summary="Read the departure tax refund rules",
    tag="tax-refund",
    responses={200: TaxRefundRulesOut},
    etag=True,
)
def read() -> ResponseReturnValue:
    return _respond(tax_refund.current_rules(get_session()))


@bp.put("/rules")
@operation(
    summary="Replace the departure tax refund rules",
    tag="tax-refund",
    body=TaxRefundRulesIn,
    roles=(Role.ADMIN,),
    responses={200: TaxRefundRulesOut},
    etag=True,
    if_match=True,
    description="Qualified booths, refund rates per VAT class with the day each takes effect, "
    "the least spend per store per day and the cash cap; every change is kept in the history.",
)
def put() -> ResponseReturnValue:
    data = parse_body(TaxRefundRulesIn)
    session = get_session()
    require_if_match(etag_for("tax-refund", 1, tax_refund.rules_version(session)))
    rules = tax_refund.set_rules(session, data, current_user(), tax_refund.today())
    session.commit()
    return _respond(rules)


@bp.get("/rules/history")
@operation(
    summary="The changes made to the tax refund rules, newest first",
    tag="tax-refund",
    roles=(Role.ADMIN,),
    responses={200: TaxRefundHistory},
)
def history() -> ResponseReturnValue:
    session = get_session()
    entries = audit.history(session, tax_refund.ENTITY, 1)
    return jsonify(history_json(entries, audit.user_names(session, entries)))
