"""session epochs that end every session and token of a user, and stream co-hosts

Revision ID: 0006
Revises: 0002
Create Date: 2026-12-02 00:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = ("security",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("epoch", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "stream_hosts",
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_stream_hosts_stream_id_streams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_stream_hosts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("stream_id", "user_id", name=op.f("pk_stream_hosts")),
    )


def downgrade() -> None:
    op.drop_table("stream_hosts")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("epoch")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
