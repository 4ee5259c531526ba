"""analytics without personal data: search and click counts per hour, show beacons per minute

Revision ID: 0014
Revises: 0002
Create Date: 2026-12-02 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import catalog.models.base

revision = "0014"
down_revision = "0002"
branch_labels = ("analytics",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_counts",
        sa.Column("hour", catalog.models.base.UTCDateTime(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("script", sa.String(length=8), nullable=False),
        sa.Column("searches", sa.BigInteger(), nullable=False),
        sa.Column("zero_results", sa.BigInteger(), nullable=False),
        sa.Column("results", sa.BigInteger(), nullable=False),
        sa.Column("engine_micros", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "locale", "query", name=op.f("pk_search_counts")),
    )
    op.create_table(
        "search_click_counts",
        sa.Column("hour", catalog.models.base.UTCDateTime(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "locale", "query", "position", name=op.f("pk_search_click_counts")),
    )
    op.create_table(
        "stream_product_counts",
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("minute", catalog.models.base.UTCDateTime(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("seen", sa.BigInteger(), nullable=False),
        sa.Column("opened", sa.BigInteger(), nullable=False),
        sa.Column("wants", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stream_id"],
            ["streams.id"],
            name=op.f("fk_stream_product_counts_stream_id_streams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_stream_product_counts_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "stream_id", "minute", "product_id", "locale", name=op.f("pk_stream_product_counts")
        ),
    )


def downgrade() -> None:
    op.drop_table("stream_product_counts")
    op.drop_table("search_click_counts")
    op.drop_table("search_counts")
