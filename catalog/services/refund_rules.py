"""The departure tax refund rules as they stand: a snapshot that judges and prices any product."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import Booth
from catalog.models import Product
from catalog.models import TaxRefundLimits
from catalog.models import TaxRefundRate
from search import RefundPeriod

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

    def eligible(self, product: Product) -> bool:
        """Whether *product* sits in a qualified booth and is not excluded from the refund."""
        booth = product.booth
        return not product.tax_refund_excluded and booth is not None and booth.slug in self.qualified_booths

    def refund_percent(self, product: Product, on: dt.date) -> Decimal | None:
        """The share of *product*'s price refunded *on* that day; ``None`` when it does not qualify."""
        percent = self.percent_for(product.vat_class, on) if self.eligible(product) else None
        return percent or None  # a rule of 0% in force means no refund

    def periods_for(self, vat_class: str) -> tuple[RefundPeriod, ...]:
        """The spans of days a rule above 0% is in force for *vat_class*, adjacent ones joined."""
        rules = sorted((r for r in self.rates if r.vat_class == vat_class), key=lambda r: r.effective_from)
        periods: list[RefundPeriod] = []
        for index, rule in enumerate(rules):
            end = rules[index + 1].effective_from if index + 1 < len(rules) else None
            if rule.refund_percent <= 0:
                continue
            if periods and periods[-1][1] == rule.effective_from:
                periods[-1] = (periods[-1][0], end)
            else:
                periods.append((rule.effective_from, end))
        return tuple(periods)

    def refund_periods(self, product: Product) -> tuple[RefundPeriod, ...]:
        """The days a refund can be claimed on *product* under these rules (what search indexes)."""
        return self.periods_for(product.vat_class) if self.eligible(product) else ()

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


def limits_row(session: Session) -> TaxRefundLimits:
    """The one row of limits and the rules' version."""
    limits = session.get(TaxRefundLimits, 1)
    assert limits is not None  # the migration seeds the one row
    return limits


def current_rules(session: Session) -> RefundRules:
    """The rules as the staff last set them."""
    limits = limits_row(session)
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
    return limits_row(session).version
