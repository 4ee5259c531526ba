"""``tianshan backup`` and ``tianshan restore``: a backup restores into a fresh instance unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from catalog import create_app
from catalog.db import get_session
from catalog.models import Product
from tests.catalog.payloads import product
from tests.conftest import Tokens


def snapshot(app: Flask) -> list[tuple[str, str, int]]:
    with app.app_context():
        rows = get_session().scalars(sa.select(Product).order_by(Product.sku))
        return [(p.sku, p.content_for(p.source_locale).name, p.version) for p in rows]  # type: ignore[union-attr]


#: ``tianshan backup`` and ``restore`` are for the embedded setup; PostgreSQL has its own tools.
EMBEDDED = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_backup_on_postgresql_points_to_its_own_tools(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["backup", str(tmp_path / "b.tar.gz")])
    assert result.exit_code != 0 and "pg_dump" in result.output
    assert not (tmp_path / "b.tar.gz").exists()


@EMBEDDED
def test_backup_restores_into_a_fresh_instance(
    app: Flask, runner: FlaskCliRunner, tokens: Tokens, tmp_path: Path
) -> None:
    client = app.test_client()
    for i in range(3):
        client.post(
            "/api/v1/products",
            json=product(sku=f"KZ-FLOUR-{i:03d}", barcode=None),
            headers=tokens.headers("editor"),
        )
    media = Path(app.config["MEDIA_ROOT"]) / "ab" / "cd"
    media.mkdir(parents=True)
    (media / "abcdef.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 fake")
    archive = tmp_path / "backup.tar.gz"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "3 products and 1 media files" in result.output

    fresh_dir = tmp_path / "fresh"
    fresh = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{fresh_dir / 'catalog.db'}",
            "SEARCH_URL": f"sqlite:///{fresh_dir / 'search.db'}",
            "MEDIA_ROOT": str(fresh_dir / "media"),
            "SECRET_KEY": "x",
        },
        instance_path=str(fresh_dir),
    )
    restored = fresh.test_cli_runner().invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert snapshot(fresh) == snapshot(app)
    assert (
        fresh_dir / "media" / "ab" / "cd" / "abcdef.webp"
    ).read_bytes() == b"RIFF\x00\x00\x00\x00WEBPVP8 fake"
    assert fresh.test_client().get("/api/v1/search?q=muka").json["total"] == 3
    again = fresh.test_cli_runner().invoke(args=["restore", str(archive)])
    assert again.exit_code != 0 and "--force" in again.output
    fresh.extensions["db"].dispose()


@EMBEDDED
def test_restore_refuses_a_damaged_archive(runner: FlaskCliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not a tar file")
    result = runner.invoke(args=["restore", "--force", str(bad)])
    assert result.exit_code != 0
    assert "not a readable backup" in result.output
