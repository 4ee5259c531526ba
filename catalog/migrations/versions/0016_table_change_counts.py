"""table change counts: what each commit wrote, so remembered reads of other tables stay

Revision ID: 0016
Revises: 0002
Create Date: 2026-12-03 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0002"
branch_labels = ("table_change_counts",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "table_change_counts",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("commits", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_table_change_counts")),
    )


def downgrade() -> None:
    op.drop_table("table_change_counts")
