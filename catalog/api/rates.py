"""``/api/v1/rates``: exchange rates the staff maintain."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint
from flask import jsonify
from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from catalog.api.spec import operation
from catalog.auth import current_user
from catalog.db import get_session
from catalog.errors import NotFound
from catalog.errors import Unprocessable
from catalog.http import etag_for
from catalog.http import parse_body
from catalog.http import require_if_match
from catalog.models import ExchangeRate
from catalog.models import Role
from catalog.schemas.rates import RateIn
from catalog.schemas.rates import RateList
from catalog.schemas.rates import RateOut
from catalog.services import pricing
from catalog.validation import is_currency

bp = Blueprint("rates_api", __name__, url_prefix="/api/v1/rates")


def _rate_json(rate: ExchangeRate) -> dict[str, object]:
    return {
        "currency": rate.currency,
        "per_cny": str(rate.per_cny.normalize()),
        "as_of": rate.as_of.isoformat(),
        "version": rate.version,
    }


@bp.get("")
@operation(summary="List exchange rates", tag="rates", responses={200: RateList})
def index() -> ResponseReturnValue:
    rates = pricing.all_rates(get_session())
    return jsonify({"items": [_rate_json(r) for _, r in sorted(rates.items())]})


@bp.get("/<currency>")
@operation(summary="Read one exchange rate", tag="rates", responses={200: RateOut}, errors=(404,), etag=True)
def read(currency: str) -> ResponseReturnValue:
    rate = get_session().get(ExchangeRate, currency)
    if rate is None:
        raise NotFound(gettext("No rate for %(code)s has been entered.", code=currency))
    response = jsonify(_rate_json(rate))
    response.headers["ETag"] = etag_for("rate", rate.currency, rate.version)
    return response


@bp.put("/<currency>")
@operation(
    summary="Set the rate of a currency against the yuan",
    tag="rates",
    body=RateIn,
    roles=(Role.ADMIN, Role.EDITOR),
    responses={200: RateOut, 201: RateOut},
    etag=True,
    if_match=True,
    description="Creating a rate needs no If-Match; replacing one does.",
)
def put(currency: str) -> ResponseReturnValue:
    if not is_currency(currency) or currency == pricing.BASE_CURRENCY:
        message = gettext("%(code)s is not an ISO 4217 currency other than CNY.", code=currency)
        raise Unprocessable(message, errors=[{"field": "currency", "message": message}])
    data = parse_body(RateIn)
    session = get_session()
    existing = session.get(ExchangeRate, currency)
    if existing is not None or request.headers.get("If-Match"):
        require_if_match(etag_for("rate", currency, existing.version) if existing else '"none"')
    rate = pricing.set_rate(session, currency, Decimal(data.per_cny), data.as_of_or_now(), current_user())
    session.commit()
    response = jsonify(_rate_json(rate))
    response.status_code = 200 if existing else 201
    response.headers["ETag"] = etag_for("rate", rate.currency, rate.version)
    return response
