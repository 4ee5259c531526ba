"""The departure tax refund as JSON: the rules, their history and a product's estimate."""

from __future__ import annotations

import datetime as dt
import typing as t
from decimal import Decimal

from flask_babel import gettext

from catalog.models import AuditEntry
from catalog.models import ExchangeRate
from catalog.models import Product
from catalog.services.pricing import BASE_CURRENCY
from catalog.services.pricing import NoRate
from catalog.services.pricing import display_price
from catalog.services.tax_refund import RefundRules


def rules_json(rules: RefundRules) -> dict[str, t.Any]:
    """The rules as ``GET /api/v1/tax-refund/rules`` shows them."""
    return {
        "qualified_booths": list(rules.qualified_booths),
        "rates": [
            {
                "vat_class": r.vat_class,
                "refund_percent": str(r.refund_percent.normalize()),
                "effective_from": r.effective_from.isoformat(),
            }
            for r in rules.rates
        ],
        "min_spend_cny": f"{rules.min_spend_cny:.2f}",
        "cash_cap_cny": f"{rules.cash_cap_cny:.2f}",
        "version": rules.version,
        "updated_at": rules.updated_at.isoformat(),
    }


def history_json(entries: t.Iterable[AuditEntry], names: t.Mapping[int, str]) -> dict[str, t.Any]:
    """The changes to the rules, each with when, who and what."""
    return {
        "items": [
            {
                "at": e.at.isoformat(),
                "user": names.get(e.user_id) if e.user_id is not None else None,
                "changes": e.changes,
            }
            for e in entries
        ]
    }


def _money(
    amount: Decimal, source: str, currency: str, locale: str, rates: t.Mapping[str, ExchangeRate]
) -> dict[str, str]:
    price = display_price(amount, source, currency, locale, rates)
    return {"amount": str(price.amount), "currency": price.currency, "formatted": price.formatted}


def refund_json(
    product: Product,
    rules: RefundRules,
    on: dt.date,
    locale: str,
    currency: str,
    rates: t.Mapping[str, ExchangeRate],
) -> dict[str, t.Any]:
    """What a departing foreign visitor gets back on *product*: amounts only when it qualifies."""
    refund = rules.estimate(product, on)
    if refund is None:
        return {"eligible": False}
    percent, estimate = refund
    try:
        min_spend = _money(rules.min_spend_cny, BASE_CURRENCY, currency, locale, rates)
        cash_cap = _money(rules.cash_cap_cny, BASE_CURRENCY, currency, locale, rates)
        shown = _money(estimate, product.price_currency, currency, locale, rates)
    except NoRate:
        # The price itself already names the missing rate; the refund simply stays in yuan.
        return refund_json(product, rules, on, locale, BASE_CURRENCY, rates)
    return {
        "eligible": True,
        "refund_percent": str(percent.normalize()),
        "estimate": shown,
        "min_spend": min_spend,
        "cash_cap": cash_cap,
        "note": gettext(
            "An estimate: foreign visitors leaving China get about %(percent)s%% of the price back when "
            "they spend at least %(threshold)s in one qualified store on one day.",
            percent=str(percent.normalize()),
            threshold=min_spend["formatted"],
        ),
    }
