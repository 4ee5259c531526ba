"""departure tax refund: qualified booths, VAT classes, refund rates and limits

Revision ID: 0009
Revises: 0001
Create Date: 2026-12-02 00:00:00.000000
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import catalog.models.base

revision = "0009"
down_revision = "0001"
branch_labels = ("tax_refund",)
depends_on = None

#: The rules in force since 1 April 2025: 11% back on goods taxed at 13%, 8% on goods at 9%.
TODAYS_RATES = (("13", Decimal("11"), dt.date(2025, 4, 1)), ("9", Decimal("8"), dt.date(2025, 4, 1)))


def upgrade() -> None:
    with op.batch_alter_table("booths", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tax_refund_qualified", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vat_class", sa.String(length=8), server_default="13", nullable=False))
        batch_op.add_column(
            sa.Column("tax_refund_excluded", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    limits = op.create_table(
        "tax_refund_limits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("min_spend_cny", catalog.models.base.ScaledDecimal(2), nullable=False),
        sa.Column("cash_cap_cny", catalog.models.base.ScaledDecimal(2), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", catalog.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_refund_limits")),
    )
    rates = op.create_table(
        "tax_refund_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vat_class", sa.String(length=8), nullable=False),
        sa.Column("refund_percent", catalog.models.base.ScaledDecimal(2), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_refund_rates")),
        sa.UniqueConstraint("vat_class", "effective_from", name=op.f("uq_tax_refund_rates_vat_class")),
    )
    op.bulk_insert(
        limits,
        [
            {
                "id": 1,
                "min_spend_cny": Decimal("200"),
                "cash_cap_cny": Decimal("20000"),
                "version": 1,
                "updated_at": dt.datetime(2025, 4, 1, tzinfo=dt.UTC),
            }
        ],
    )
    op.bulk_insert(
        rates,
        [{"vat_class": c, "refund_percent": p, "effective_from": d} for c, p, d in TODAYS_RATES],
    )


def downgrade() -> None:
    op.drop_table("tax_refund_rates")
    op.drop_table("tax_refund_limits")
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("tax_refund_excluded")
        batch_op.drop_column("vat_class")
    with op.batch_alter_table("booths", schema=None) as batch_op:
        batch_op.drop_column("tax_refund_qualified")
