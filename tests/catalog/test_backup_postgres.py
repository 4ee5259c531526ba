"""The README's PostgreSQL backup, run as written: a restored instance reads back the same catalog.

The command lines come from the README's "Backups" section itself and run in a shell with the
cluster's ``pg_dump``/``pg_restore`` first on ``PATH``, so the test fails when the documentation
does. ``tianshan backup`` refusing PostgreSQL is checked in test_backup.py.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.test import TestResponse

from catalog import create_app
from tests.catalog.payloads import product
from tests.catalog.test_streams_helpers import STREAM
from tests.catalog.test_streams_helpers import put_lineup
from tests.conftest import REPO
from tests.conftest import EnglishClient
from tests.conftest import Tokens
from tests.support.postgres import PostgresCluster

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]

LOCALES = ("zh", "ru", "kk", "en")
CURRENCIES = ("CNY", "KZT", "RUB")
KK = {"name": "Қазақстан ұны", "description": "Нан пісіруге арналған ұн.", "highlights": ["Бірінші сорт"]}


def documented_commands() -> tuple[str, str]:
    """The README's PostgreSQL backup and restore scripts (the ``sh`` blocks of "Backups")."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Backups\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    backup = [block for block in blocks if "pg_dump" in block]
    restore = [block for block in blocks if "pg_restore" in block]
    assert len(backup) == 1 and len(restore) == 1, "README: one sh block with pg_dump, one with pg_restore"
    return backup[0], restore[0]


def libpq_url(url: str) -> str:
    """*url* as ``postgresql://…``, the form the README gives ``TIANSHAN_DATABASE_URL`` in."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def run_script(script: str, cwd: Path, cluster: PostgresCluster, **settings: str) -> str:
    """Run *script* in bash with ``TIANSHAN_*`` *settings* only, as an operator's shell would."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TIANSHAN_")}
    env["PATH"] = os.pathsep.join([str(cluster.bindir), str(Path(sys.executable).parent), env["PATH"]])
    env.update({f"TIANSHAN_{key}": value for key, value in settings.items()})
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{script}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def empty_database(postgres_cluster: PostgresCluster) -> t.Iterator[str]:
    """A new, empty database in the same cluster, as a restore target."""
    name = f"restored_{os.getpid()}"
    postgres_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    postgres_cluster.execute(f"CREATE DATABASE {name}")
    yield libpq_url(postgres_cluster.url(name))
    postgres_cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def body(response: TestResponse) -> t.Any:
    """The JSON body of *response*."""
    return response.get_json()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 700), "teal").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def build_catalog(client: FlaskClient, tokens: Tokens) -> dict[str, t.Any]:
    """Products in four locales with translation revisions, a picture, rates and a live stream."""
    editor = tokens.headers("editor")
    for currency, per_cny in (("KZT", "74.25"), ("RUB", "12.4")):
        rate = client.put(
            f"/api/v1/rates/{currency}", json={"per_cny": per_cny}, headers=tokens.headers("admin")
        )
        assert rate.status_code in (200, 201), rate.json
    flour = client.post("/api/v1/products", json=product(), headers=editor)
    tea = client.post(
        "/api/v1/products",
        json=product(
            sku="RU-TEA-100",
            barcode=None,
            source_locale="ru",
            content={
                "ru": {"name": "Чай Иван-чай"},
                "en": {"name": "Fireweed tea"},
                "zh": {"name": "柳兰茶"},
            },
        ),
        headers=editor,
    )
    draft = client.post(
        "/api/v1/products", json=product(sku="KZ-DRAFT-1", barcode=None, status="draft"), headers=editor
    )
    assert [r.status_code for r in (flour, tea, draft)] == [201, 201, 201]
    ids = [int(body(r)["id"]) for r in (flour, tea, draft)]

    content = f"/api/v1/products/{ids[0]}/content/kk"
    for name in ("Қазақстан ұны", "Қазақстан бидай ұны"):
        etag = client.get(f"/api/v1/products/{ids[0]}").headers["ETag"]
        saved = client.put(
            content, json={**KK, "name": name}, headers=tokens.headers("translator_kk", **{"If-Match": etag})
        )
        assert saved.status_code == 200, saved.json

    uploaded = client.post(
        f"/api/v1/products/{ids[0]}/images",
        data={"file": (io.BytesIO(jpeg()), "flour.jpg")},
        content_type="multipart/form-data",
        headers=editor,
    )
    assert uploaded.status_code == 201, uploaded.json

    stream = client.post("/api/v1/streams", json=STREAM, headers=tokens.headers("host"))
    assert stream.status_code == 201, stream.json
    stream_id = int(body(stream)["id"])
    assert put_lineup(client, tokens, stream_id, {"product_ids": ids[:2]}).status_code == 200
    assert (
        client.post(f"/api/v1/streams/{stream_id}/start", headers=tokens.headers("host")).status_code == 200
    )
    moved = client.post(
        f"/api/v1/streams/{stream_id}/cursor", json={"action": "next"}, headers=tokens.headers("host")
    )
    assert moved.status_code == 200, moved.json
    return {
        "products": ids,
        "stream": stream_id,
        "renditions": body(uploaded)["renditions"],
        "content": content,
    }


def observe(client: FlaskClient, tokens: Tokens, catalog: dict[str, t.Any]) -> dict[str, t.Any]:
    """Everything staff see of *catalog* through the API (drafts included): bodies, ETags and image bytes."""
    seen: dict[str, t.Any] = {}

    def read(path: str, **headers: str) -> None:
        response = client.get(path, headers={**tokens.headers("editor"), **headers})
        assert response.status_code == 200, (path, response.data[:300])
        seen[path + repr(sorted(headers.items()))] = (response.headers.get("ETag"), response.data)

    for product_id in catalog["products"]:
        for locale in LOCALES:
            for currency in CURRENCIES:
                read(f"/api/v1/products/{product_id}?locale={locale}&currency={currency}")
        read(f"/api/v1/products/{product_id}/images")
    read(catalog["content"], **tokens.headers("editor"))
    read(catalog["content"] + "/history", **tokens.headers("editor"))
    read("/api/v1/products?limit=100")
    read("/api/v1/rates")
    read(f"/api/v1/streams/{catalog['stream']}")
    read(f"/api/v1/streams/{catalog['stream']}/card")
    read("/api/v1/search?q=ұны&locale=kk")
    read("/api/v1/search?q=чай&locale=ru")
    for url in catalog["renditions"].values():
        for accept in ("image/webp", "image/jpeg"):
            read(url, Accept=accept)
    return seen


def media_files(root: Path) -> dict[str, str]:
    """Every file under *root* by relative path, with its SHA-256."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def test_documented_pg_dump_and_restore_bring_back_the_same_catalog(
    app: Flask,
    client: FlaskClient,
    tokens: Tokens,
    app_config: dict[str, t.Any],
    postgres_cluster: PostgresCluster,
    empty_database: str,
    tmp_path: Path,
) -> None:
    catalog = build_catalog(client, tokens)
    before = observe(client, tokens, catalog)
    source_media = Path(app_config["MEDIA_ROOT"])
    assert media_files(source_media), "the upload stored renditions"
    backup_script, restore_script = documented_commands()

    work = tmp_path / "backup"
    work.mkdir()
    run_script(
        backup_script,
        work,
        postgres_cluster,
        DATABASE_URL=libpq_url(app_config["DATABASE_URL"]),
        MEDIA_ROOT=str(source_media),
    )
    assert (work / "catalog.dump").stat().st_size > 0

    restored_dir = tmp_path / "restored"
    restored_config = {
        "TESTING": True,
        "DATABASE_URL": empty_database,
        "SEARCH_URL": f"sqlite:///{restored_dir / 'search.db'}",
        "MEDIA_ROOT": str(restored_dir / "media"),
        "SECRET_KEY": app_config["SECRET_KEY"],
    }
    output = run_script(
        restore_script,
        work,
        postgres_cluster,
        INSTANCE_PATH=str(restored_dir),
        **{key: str(value) for key, value in restored_config.items() if key != "TESTING"},
    )
    assert "Indexed 2 published products" in output, output
    assert media_files(restored_dir / "media") == media_files(source_media)

    restored = create_app(restored_config, instance_path=str(restored_dir))
    restored.test_client_class = EnglishClient
    try:
        again = restored.test_client()
        after = observe(again, tokens, catalog)
        assert after.keys() == before.keys()
        for key, value in before.items():
            assert after[key] == value, key
        search = body(again.get("/api/v1/search?q=ұны&locale=kk"))
        assert [item["id"] for item in search["items"]] == catalog["products"][:1]

        # The tokens (only their hashes are stored) still work, and so do the sequences: a new
        # product gets a fresh id instead of colliding with a restored one.
        flour = catalog["products"][0]
        etag = again.get(f"/api/v1/products/{flour}").headers["ETag"]
        changed = again.patch(
            f"/api/v1/products/{flour}",
            json={"stock": 5},
            headers=tokens.headers("editor", **{"If-Match": etag}),
        )
        assert changed.status_code == 200, changed.json
        added = again.post(
            "/api/v1/products", json=product(sku="KZ-NEW-1", barcode=None), headers=tokens.headers("editor")
        )
        assert added.status_code == 201, added.json
        assert body(added)["id"] > max(catalog["products"])
        stranger = again.post(
            "/api/v1/products", json=product(sku="KZ-NEW-2"), headers={"Authorization": "Bearer nope"}
        )
        assert stranger.status_code == 401
    finally:
        restored.extensions["analytics"].writer.close()  # before the database goes
        restored.extensions["live"].close()
        restored.extensions["search"].close()
        restored.extensions["db"].dispose()
