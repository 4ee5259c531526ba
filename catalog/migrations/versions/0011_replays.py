"""shoppable replays: the address of a show's recording

Revision ID: 0011
Revises: 0002
Create Date: 2026-12-02 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0002"
branch_labels = ("replays",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("streams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replay_url", sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("streams", schema=None) as batch_op:
        batch_op.drop_column("replay_url")
