"""search curation: staff synonyms per locale and query rules (pins, hides, boosts, time windows)

Revision ID: 0013
Revises: 0001
Create Date: 2026-12-02 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import catalog.models.base

revision = "0013"
down_revision = "0001"
branch_labels = ("search_curation",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("synonyms", sa.JSON(), nullable=False),
        sa.Column("two_way", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", catalog.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", catalog.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonyms")),
    )
    op.create_index("ix_search_synonyms_locale_id", "search_synonyms", ["locale", "id"], unique=False)
    op.create_table(
        "search_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("pins", sa.JSON(), nullable=False),
        sa.Column("hides", sa.JSON(), nullable=False),
        sa.Column("boosts", sa.JSON(), nullable=False),
        sa.Column("starts_at", catalog.models.base.UTCDateTime(), nullable=True),
        sa.Column("ends_at", catalog.models.base.UTCDateTime(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", catalog.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", catalog.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_rules")),
    )
    op.create_index(op.f("ix_search_rules_query"), "search_rules", ["query"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_search_rules_query"), table_name="search_rules")
    op.drop_table("search_rules")
    op.drop_index("ix_search_synonyms_locale_id", table_name="search_synonyms")
    op.drop_table("search_synonyms")
