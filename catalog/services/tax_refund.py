"""Replacing the departure tax refund rules, with their history, and re-indexing what they change."""

from __future__ import annotations

import datetime as dt
import typing as t
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import FieldError
from catalog.domain_errors import Invalid
from catalog.models import Booth
from catalog.models import Product
from catalog.models import TaxRefundRate
from catalog.models import User
from catalog.schemas.tax_refund import RefundRateIn
from catalog.schemas.tax_refund import TaxRefundRulesIn
from catalog.services import audit
from catalog.services import indexing
from catalog.services.refund_rules import HALL_TIME_ZONE as HALL_TIME_ZONE
from catalog.services.refund_rules import RefundRate as RefundRate
from catalog.services.refund_rules import RefundRules as RefundRules
from catalog.services.refund_rules import current_rules as current_rules
from catalog.services.refund_rules import limits_row
from catalog.services.refund_rules import rules_version as rules_version
from catalog.services.refund_rules import today as today

ENTITY = "tax_refund_rules"


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
    after = current_rules(session)
    changes = audit.diff(before.snapshot(), after.snapshot())
    if changes:
        limits_row(session).version += 1
        audit.record(session, user, "tax_refund.set", ENTITY, 1, changes)
        _reindex_changed(session, before, after)
        session.flush()


def _booth_ids(slugs: t.Iterable[str]) -> sa.Select[int]:
    return sa.select(Booth.id).where(Booth.slug.in_(sorted(slugs)))


def _reindex_changed(session: Session, before: RefundRules, after: RefundRules) -> None:
    """Queue for search every product whose refund days moved: its booth's qualification or its class's rules."""
    booths = set(before.qualified_booths) ^ set(after.qualified_booths)
    classes = {r.vat_class for r in (*before.rates, *after.rates)}
    moved = sorted(c for c in classes if before.periods_for(c) != after.periods_for(c))
    qualified = set(before.qualified_booths) | set(after.qualified_booths)
    which: list[sa.ColumnElement[bool]] = []
    if booths:
        which.append(Product.booth_id.in_(_booth_ids(booths)))
    if moved and qualified:
        which.append(sa.and_(Product.vat_class.in_(moved), Product.booth_id.in_(_booth_ids(qualified))))
    if which:
        indexing.enqueue_published(session, sa.and_(~Product.tax_refund_excluded, sa.or_(*which)))


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
    limits = limits_row(session)
    limits.min_spend_cny, limits.cash_cap_cny = Decimal(data.min_spend_cny), Decimal(data.cash_cap_cny)
    _record(session, before, user)
    return current_rules(session)
