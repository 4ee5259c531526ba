"""Migration 0003 on a database that already holds texts written before translation states existed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalog import migrate
from catalog.db import make_engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def core_only_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, not migrated yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    cluster = request.getfixturevalue("postgres_cluster")
    name = f"old_{os.getpid()}"
    cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    cluster.execute(f"CREATE DATABASE {name}")
    return str(cluster.url(name))


def test_texts_written_before_0003_get_their_states(core_only_url: str) -> None:
    engine = make_engine(core_only_url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            sa.text("INSERT INTO categories (id, path, names, created_at) VALUES (1, 'food', '{}', :now)"),
            {"now": "2026-01-01"},
        )
        connection.execute(
            sa.text(
                "INSERT INTO products (id, sku, source_locale, origin_country, category_id, status, stock, tags,"
                " price_amount, price_currency, version, created_at, updated_at) VALUES"
                " (1, 'KZ-OLD-001', 'zh', 'KZ', 1, 'published', 0, '[]', 250000, 'CNY', 1, :now, :now)"
            ),
            {"now": "2026-01-01"},
        )
        for locale, name in (("zh", "面粉"), ("ru", "Мука")):
            connection.execute(
                sa.text(
                    "INSERT INTO product_contents (product_id, locale, name, description, highlights, state,"
                    " hidden_until_reviewed, updated_at) VALUES (1, :locale, :name, '', '[]', 'draft', false, :now)"
                ),
                {"locale": locale, "name": name, "now": "2026-01-01"},
            )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        states = dict(connection.execute(sa.text("SELECT locale, state FROM product_contents")).all())
        tables = set(sa.inspect(connection).get_table_names())
    engine.dispose()
    assert states == {"zh": "source", "ru": "stale"}
    assert {"content_revisions", "content_reviews", "glossaries", "glossary_terms"} <= tables
