"""The departure tax refund rules: reading and replacing them, and what a product earns."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import FieldError
from catalog.domain_errors import Invalid
from catalog.models import Booth
from catalog.models import Product
from catalog.models import TaxRefundLimits
from catalog.models import TaxRefundRate
from catalog.models import User
from catalog.schemas.tax_refund import RefundRateIn
from catalog.schemas.tax_refund import TaxRefundRulesIn
from catalog.services import audit

ENTITY = "tax_refund_rules"
#: Rules take effect by the calendar of the hall and the airport.
HALL_TIME_ZONE = ZoneInfo("Asia/Urumqi")


@dataclasses.dataclass(frozen=True)
class RefundRate:
    vat_class: str
    refund_percent: Decimal
    effective_from: dt.date


@dataclasses.dataclass(frozen=True)
class RefundRules:
    """A snapshot of the rules, enough to judge and price any product."""

    qualified_booths: tuple[str, ...]
    rates: tuple[RefundRate, ...]
    min_spend_cny: Decimal
    cash_cap_cny: Decimal
    version: int
    updated_at: dt.datetime

    def percent_for(self, vat_class: str, on: dt.date) -> Decimal | None:
        """The refund rate of *vat_class* in force *on* that day, if any."""
        in_force = [r for r in self.rates if r.vat_class == vat_class and r.effective_from <= on]
        return max(in_force, key=lambda r: r.effective_from).refund_percent if in_force else None

    def refund_percent(self, product: Product, on: dt.date) -> Decimal | None:
        """The share of *product*'s price refunded *on* that day; ``None`` when it does not qualify."""
        if product.tax_refund_excluded or product.booth is None:
            return None
        if product.booth.slug not in self.qualified_booths:
            return None
        return self.percent_for(product.vat_class, on)

    def estimate(self, product: Product, on: dt.date) -> tuple[Decimal, Decimal] | None:
        """The refund rate and the refund on *product*'s price (in its currency); ``None`` if it does not qualify."""
        percent = self.refund_percent(product, on)
        return None if percent is None else (percent, product.price_amount * percent / 100)

    def snapshot(self) -> dict[str, t.Any]:
        """The rules as plain values, for the audit log's diffs."""
        return {
            "qualified_booths": list(self.qualified_booths),
            "rates": [
                f"{r.vat_class}:{r.refund_percent.normalize()}%:{r.effective_from}" for r in self.rates
            ],
            "min_spend_cny": f"{self.min_spend_cny:.2f}",
            "cash_cap_cny": f"{self.cash_cap_cny:.2f}",
        }


def today() -> dt.date:
    """The day it is now in Urumqi, which decides the rules in force."""
    return dt.datetime.now(HALL_TIME_ZONE).date()


def _limits(session: Session) -> TaxRefundLimits:
    limits = session.get(TaxRefundLimits, 1)
    assert limits is not None  # the migration seeds the one row
    return limits


def current_rules(session: Session) -> RefundRules:
    """The rules as the staff last set them."""
    limits = _limits(session)
    rates = session.scalars(
        sa.select(TaxRefundRate).order_by(TaxRefundRate.vat_class, TaxRefundRate.effective_from)
    )
    booths = session.scalars(sa.select(Booth.slug).where(Booth.tax_refund_qualified).order_by(Booth.slug))
    return RefundRules(
        qualified_booths=tuple(booths),
        rates=tuple(RefundRate(r.vat_class, r.refund_percent, r.effective_from) for r in rates),
        min_spend_cny=limits.min_spend_cny,
        cash_cap_cny=limits.cash_cap_cny,
        version=limits.version,
        updated_at=limits.updated_at,
    )


def rules_version(session: Session) -> int:
    """The version of the rules, which grows with every change."""
    return _limits(session).version


def _rate_errors(rates: t.Sequence[RefundRateIn], stored: RefundRules, today: dt.date) -> list[FieldError]:
    """Rules given twice for one day, or new rules that would rewrite a period already past."""
    known = {RefundRate(r.vat_class, r.refund_percent, r.effective_from) for r in stored.rates}
    errors: list[FieldError] = []
    seen: set[tuple[str, dt.date]] = set()
    for i, rate in enumerate(rates):
        field = f"rates.{i}.effective_from"
        key = (rate.vat_class, rate.effective_from)
        if key in seen:
            message = gettext("Another rule of this VAT class takes effect on the same day.")
            errors.append({"field": field, "message": message})
        seen.add(key)
        as_stored = RefundRate(rate.vat_class, Decimal(rate.refund_percent), rate.effective_from)
        if rate.effective_from >= today or as_stored in known:
            continue
        earlier = [
            r for r in rates if r.vat_class == rate.vat_class and r.effective_from < rate.effective_from
        ]
        if earlier:
            message = gettext(
                "A new rule cannot take effect in the past while another rule of its VAT class was "
                "in force; give it a date from today on."
            )
            errors.append({"field": field, "message": message})
    return errors


def _booth_errors(session: Session, slugs: t.Sequence[str]) -> list[FieldError]:
    known = set(session.scalars(sa.select(Booth.slug).where(Booth.slug.in_(slugs))))
    return [
        {"field": f"qualified_booths.{i}", "message": gettext("There is no booth %(slug)s.", slug=slug)}
        for i, slug in enumerate(slugs)
        if slug not in known
    ]


def qualify_booths(session: Session, slugs: t.Sequence[str], user: User | None) -> None:
    """Qualify the existing booths *slugs* as well as those already qualified, recording the change."""
    before = current_rules(session)
    booths = session.scalars(sa.select(Booth).where(Booth.slug.in_(slugs), ~Booth.tax_refund_qualified))
    for booth in booths:
        booth.tax_refund_qualified = True
    _record(session, before, user)


def _record(session: Session, before: RefundRules, user: User | None) -> None:
    """Give the rules a new version and an audit entry when they differ from *before*."""
    session.flush()
    changes = audit.diff(before.snapshot(), current_rules(session).snapshot())
    if changes:
        _limits(session).version += 1
        audit.record(session, user, "tax_refund.set", ENTITY, 1, changes)
        session.flush()


def set_rules(session: Session, data: TaxRefundRulesIn, user: User | None, today: dt.date) -> RefundRules:
    """Replace the rules with *data*, recording the change; 422 naming each bad field."""
    before = current_rules(session)
    errors = _booth_errors(session, data.qualified_booths) + _rate_errors(data.rates, before, today)
    if errors:
        raise Invalid.fields(errors)
    qualified = set(data.qualified_booths)
    for booth in session.scalars(sa.select(Booth)):
        booth.tax_refund_qualified = booth.slug in qualified
    wanted: dict[tuple[str, dt.date], Decimal] = {
        (r.vat_class, r.effective_from): Decimal(r.refund_percent) for r in data.rates
    }
    for row in session.scalars(sa.select(TaxRefundRate)):
        percent = wanted.pop((row.vat_class, row.effective_from), None)
        if percent is None:
            session.delete(row)
        else:
            row.refund_percent = percent
    session.add_all(
        TaxRefundRate(vat_class=c, effective_from=d, refund_percent=p) for (c, d), p in wanted.items()
    )
    limits = _limits(session)
    limits.min_spend_cny, limits.cash_cap_cny = Decimal(data.min_spend_cny), Decimal(data.cash_cap_cny)
    _record(session, before, user)
    return current_rules(session)
