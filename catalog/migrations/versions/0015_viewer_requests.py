"""viewer requests: products viewers ask the host to show, counted per live show

Revision ID: 0015
Revises: 0002
Create Date: 2026-12-02 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import catalog.models.base

revision = "0015"
down_revision = "0002"
branch_labels = ("viewer_requests",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "viewer_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("at", catalog.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_viewer_requests_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"],
            ["streams.id"],
            name=op.f("fk_viewer_requests_stream_id_streams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_viewer_requests")),
    )
    with op.batch_alter_table("viewer_requests", schema=None) as batch_op:
        batch_op.create_index("ix_viewer_requests_stream_id_at", ["stream_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("viewer_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_viewer_requests_stream_id_at")
    op.drop_table("viewer_requests")
