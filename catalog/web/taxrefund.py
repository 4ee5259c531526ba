"""The departure tax refund for visitors: how it works, where the counter is, which booths qualify."""

from __future__ import annotations

from flask import Blueprint
from flask import render_template
from flask.typing import ResponseReturnValue

from catalog.db import get_session
from catalog.services import pricing
from catalog.services import tax_refund
from catalog.services.categories import booths
from catalog.web.context import money
from catalog.web.context import name_in
from catalog.web.context import page_currency

bp = Blueprint("tax_refund", __name__)


@bp.get("/tax-refund")
def visitors() -> ResponseReturnValue:
    session = get_session()
    rules = tax_refund.current_rules(session)
    rates = pricing.all_rates(session)
    currency = page_currency(rates)
    day = tax_refund.today()
    in_force = [
        (vat_class, percent)
        for vat_class in ("13", "9")
        if (percent := rules.percent_for(vat_class, day)) is not None
    ]
    qualified = [
        (b.slug, name_in(b.names, b.slug), b.country)
        for b in booths(session)
        if b.slug in rules.qualified_booths
    ]
    return render_template(
        "viewer/tax_refund.html",
        min_spend=money(rules.min_spend_cny, pricing.BASE_CURRENCY, currency, rates),
        cash_cap=money(rules.cash_cap_cny, pricing.BASE_CURRENCY, currency, rates),
        rates_in_force=[(vat, str(percent.normalize())) for vat, percent in in_force],
        booths=qualified,
    )
