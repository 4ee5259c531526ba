"""Exchange rates and price conversion, in ``Decimal`` only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import ExchangeRate
from catalog.models import User
from catalog.services import audit
from translations.formatting import format_money
from translations.formatting import quantize_money as quantize

BASE_CURRENCY = "CNY"


class NoRate(LookupError):
    """No exchange rate is known for a currency."""

    def __init__(self, currency: str) -> None:
        super().__init__(currency)
        self.currency = currency


class DisplayPrice(t.NamedTuple):
    amount: Decimal
    currency: str
    formatted: str
    rate_as_of: dt.datetime | None


class RateLike(t.Protocol):
    """What a conversion reads of a rate: the stored row, or a copy of its values."""

    @property
    def per_cny(self) -> Decimal: ...

    @property
    def as_of(self) -> dt.datetime: ...


@dataclasses.dataclass(frozen=True, slots=True)
class RateValues:
    """A rate's values, safe to keep after the session that read them is gone."""

    per_cny: Decimal
    as_of: dt.datetime


def all_rates(session: Session) -> dict[str, ExchangeRate]:
    """Every rate the staff entered, by currency."""
    return {r.currency: r for r in session.scalars(sa.select(ExchangeRate))}


def rate_values(session: Session) -> dict[str, RateValues]:
    """Every rate's values by currency, read without loading rows into the session."""
    columns = sa.select(ExchangeRate.currency, ExchangeRate.per_cny, ExchangeRate.as_of)
    return {currency: RateValues(per_cny, as_of) for currency, per_cny, as_of in session.execute(columns)}


def convert(
    amount: Decimal, source: str, target: str, rates: t.Mapping[str, RateLike]
) -> tuple[Decimal, dt.datetime | None]:
    """*amount* in *source* expressed in *target*, and the date of the oldest rate used."""
    if source == target:
        return quantize(amount, target), None
    as_of: list[dt.datetime] = []
    in_cny = amount
    if source != BASE_CURRENCY:
        rate = rates.get(source)
        if rate is None:
            raise NoRate(source)
        in_cny = amount / rate.per_cny
        as_of.append(rate.as_of)
    result = in_cny
    if target != BASE_CURRENCY:
        rate = rates.get(target)
        if rate is None:
            raise NoRate(target)
        result = in_cny * rate.per_cny
        as_of.append(rate.as_of)
    return quantize(result, target), min(as_of) if as_of else None


def to_cny(amount: Decimal, currency: str, rates: t.Mapping[str, RateLike]) -> Decimal:
    """*amount* in yuan (for search filters and sorting); unconvertible amounts keep their value."""
    try:
        return convert(amount, currency, BASE_CURRENCY, rates)[0]
    except NoRate:
        return amount


def display_price(
    amount: Decimal, source: str, target: str, locale: str, rates: t.Mapping[str, RateLike]
) -> DisplayPrice:
    """The price converted to *target* and formatted the way *locale* writes it."""
    converted, as_of = convert(amount, source, target, rates)
    formatted = format_money(converted, target, locale)
    return DisplayPrice(converted, target, formatted, as_of)


def set_rate(
    session: Session, currency: str, per_cny: Decimal, as_of: dt.datetime, user: User | None
) -> ExchangeRate:
    """Create or replace the rate of *currency*."""
    rate = session.get(ExchangeRate, currency)
    before = {"per_cny": str(rate.per_cny), "as_of": rate.as_of.isoformat()} if rate else {}
    if rate is None:
        rate = ExchangeRate(currency=currency, per_cny=per_cny, as_of=as_of)
        session.add(rate)
    else:
        rate.per_cny, rate.as_of = per_cny, as_of
        rate.version += 1
    session.flush()
    after = {"per_cny": str(per_cny), "as_of": as_of.isoformat()}
    audit.record(session, user, "rate.set", "rate", currency, audit.diff(before, after))
    return rate
