"""``tianshan backup`` and ``tianshan restore``: a backup restores into a fresh instance unchanged."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from catalog import create_app
from catalog.db import get_session
from catalog.models import Product
from media import key_for
from tests.catalog.payloads import product
from tests.conftest import Tokens
from tests.support import s3
from tests.support.postgres import ON_POSTGRESQL


def snapshot(app: Flask) -> list[tuple[str, str, int]]:
    with app.app_context():
        rows = get_session().scalars(sa.select(Product).order_by(Product.sku))
        return [(p.sku, p.content_for(p.source_locale).name, p.version) for p in rows]  # type: ignore[union-attr]


def fresh_instance(folder: Path, **media: str) -> Flask:
    """An empty embedded instance in *folder*, with the media settings given."""
    config = {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{folder / 'catalog.db'}",
        "SEARCH_URL": f"sqlite:///{folder / 'search.db'}",
        "SECRET_KEY": "x",
    }
    return create_app({**config, **media}, instance_path=str(folder))


#: ``tianshan backup`` and ``restore`` are for the embedded setup; PostgreSQL has its own tools.
EMBEDDED = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@ON_POSTGRESQL
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
    picture = b"RIFF\x00\x00\x00\x00WEBPVP8 fake"
    key = key_for(picture, "webp")
    app.extensions["media"].storage.put(key, picture)
    archive = tmp_path / "backup.tar.gz"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "3 products and 1 media files" in result.output

    fresh_dir = tmp_path / "fresh"
    fresh = fresh_instance(fresh_dir, MEDIA_ROOT=str(fresh_dir / "media"))
    restored = fresh.test_cli_runner().invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert snapshot(fresh) == snapshot(app)
    assert (fresh_dir / "media" / key).read_bytes() == picture
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


@EMBEDDED
@pytest.mark.s3
def test_a_backup_covers_the_bucket_and_restores_into_another(
    app_config: dict[str, t.Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in s3.server().environment().items():
        monkeypatch.setenv(name, value)
    source, target = s3.new_bucket(), s3.new_bucket()
    app = create_app(
        {**app_config, "MEDIA_URL": f"s3://{source}/pictures"}, instance_path=str(tmp_path / "a")
    )
    pictures = [bytes([n]) * 64 for n in range(3)]
    for data in pictures:
        app.extensions["media"].storage.put(key_for(data, "jpg"), data)
    archive = tmp_path / "backup.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "and 3 media files" in result.output

    fresh_dir = tmp_path / "fresh"
    fresh = fresh_instance(fresh_dir, MEDIA_URL=f"s3://{target}/restored")
    restored = fresh.test_cli_runner().invoke(args=["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert s3.object_names(target) == sorted(f"restored/{key_for(data, 'jpg')}" for data in pictures)
    storage = fresh.extensions["media"].storage
    assert [storage.read(key_for(data, "jpg")) for data in pictures] == pictures
    for made in (app, fresh):
        made.extensions["db"].dispose()


@ON_POSTGRESQL
@pytest.mark.s3
def test_media_backup_on_postgresql_copies_the_bucket_alone(
    app_config: dict[str, t.Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in s3.server().environment().items():
        monkeypatch.setenv(name, value)
    source, target = s3.new_bucket(), s3.new_bucket()
    app = create_app({**app_config, "MEDIA_URL": f"s3://{source}"}, instance_path=str(tmp_path / "a"))
    data = b"a picture's bytes"
    app.extensions["media"].storage.put(key_for(data, "png"), data)
    archive = tmp_path / "media.tar.gz"
    made = app.test_cli_runner().invoke(args=["media", "backup", str(archive)])
    assert made.exit_code == 0 and "Backed up 1 media files" in made.output, made.output
    refused = app.test_cli_runner().invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0 and "pg_dump" in refused.output

    other = create_app({**app_config, "MEDIA_URL": f"s3://{target}/copy"}, instance_path=str(tmp_path / "b"))
    restored = other.test_cli_runner().invoke(args=["media", "restore", str(archive)])
    assert restored.exit_code == 0 and "Restored 1 media files" in restored.output, restored.output
    assert s3.object_names(target) == [f"copy/{key_for(data, 'png')}"]
    for built in (app, other):
        built.extensions["db"].dispose()
