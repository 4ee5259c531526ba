"""Departure tax refund rules the staff keep: rates per VAT class and the spending limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from catalog.models.base import Base
from catalog.models.base import ScaledDecimal
from catalog.models.base import intpk
from catalog.models.base import updated_at


class TaxRefundLimits(Base):
    """The one row of limits: the least spend per store per day and the cash cap, in yuan."""

    __tablename__ = "tax_refund_limits"

    id: Mapped[intpk]
    min_spend_cny: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    cash_cap_cny: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[updated_at]


class TaxRefundRate(Base):
    """The share of the price refunded for goods of one VAT class, from a date on."""

    __tablename__ = "tax_refund_rates"
    __table_args__ = (sa.UniqueConstraint("vat_class", "effective_from"),)

    id: Mapped[intpk]
    vat_class: Mapped[str] = mapped_column(sa.String(8))
    refund_percent: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    effective_from: Mapped[dt.date]
