"""Pictures in an S3 bucket through the API: served with ETag and 304 or by redirect, faults answered clearly."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import threading
import typing as t
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import ProductImage
from media import S3Storage
from tests.catalog.test_images_api import create_product
from tests.catalog.test_images_api import jpeg
from tests.catalog.test_images_api import upload
from tests.catalog.test_streams_helpers import live_stream
from tests.catalog.test_streams_helpers import move
from tests.conftest import REPO
from tests.conftest import Tokens
from tests.media.test_s3_faults import closed_port
from tests.support import s3
from tools.s3proxy import CREDENTIAL

pytestmark = pytest.mark.s3
#: The storage is what these tests vary; the database is the embedded one.
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def bucket() -> str:
    return s3.new_bucket()


@pytest.fixture
def app_config(
    app_config: dict[str, t.Any], bucket: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, t.Any]:
    for name, value in s3.server().environment().items():
        monkeypatch.setenv(name, value)
    return {**app_config, "MEDIA_URL": f"s3://{bucket}/pictures", "METRICS_TOKEN": "operator-token"}


def image_rows(app: Flask) -> int:
    with app.app_context():
        return get_session().query(ProductImage).count()


def cut_off(app: Flask, *, endpoint: str, timeout: float = 1.0) -> None:
    """Point the app's storage (same bucket and prefix) at *endpoint*, as if the store went away."""
    storage = app.extensions["media"].storage
    assert isinstance(storage, S3Storage)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        config=Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 1}),
    )
    app.extensions["media"].storage = S3Storage(storage.bucket, storage.prefix, client=client)


@SQLITE
def test_an_upload_lands_in_the_bucket_and_is_streamed_with_etag_and_304(
    client: FlaskClient, tokens: Tokens, bucket: str
) -> None:
    url, _ = create_product(client, tokens)
    made = upload(client, tokens, url, jpeg((1200, 900)))
    assert made.status_code == 201, made.json
    names = s3.object_names(bucket)
    assert len(names) == 6 and all(name.startswith("pictures/") for name in names)
    thumb = made.json["renditions"]["thumb"]
    served = client.get(thumb, headers={"Accept": "image/webp"})
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    again = client.get(thumb, headers={"Accept": "image/webp", "If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


@SQLITE
def test_redirects_go_to_a_presigned_object_or_the_public_base(
    app: Flask, client: FlaskClient, tokens: Tokens, bucket: str
) -> None:
    url, _ = create_product(client, tokens)
    body = upload(client, tokens, url, jpeg()).json
    direct = client.get(body["formats"]["zoom"]["jpeg"]).data
    app.extensions["media"].serving = "redirect"
    moved = client.get(body["formats"]["zoom"]["jpeg"])
    assert moved.status_code == 302
    location = moved.headers["Location"]
    assert location.startswith(f"{s3.server().endpoint}/{bucket}/pictures/") and "Signature" in location
    assert CREDENTIAL not in location
    with urllib.request.urlopen(location, timeout=10) as fetched:
        assert fetched.read() == direct
        assert fetched.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    app.extensions["media"].public_url = "https://cdn.example/catalog/"
    public = client.get(body["formats"]["zoom"]["jpeg"]).headers["Location"]
    assert public.startswith("https://cdn.example/catalog/pictures/") and public.endswith(".jpg")


@SQLITE
def test_an_object_missing_from_the_bucket_is_a_404_problem(
    client: FlaskClient, tokens: Tokens, bucket: str
) -> None:
    url, _ = create_product(client, tokens)
    body = upload(client, tokens, url, jpeg()).json
    for name in s3.object_names(bucket):
        s3.client().delete_object(Bucket=bucket, Key=name)
    missing = client.get(body["formats"]["card"]["jpeg"])
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"


@SQLITE
def test_an_unreachable_store_refuses_uploads_with_503_and_keeps_serving_cached_renditions(
    app: Flask, client: FlaskClient, tokens: Tokens, bucket: str, caplog: pytest.LogCaptureFixture
) -> None:
    url, _ = create_product(client, tokens)
    body = upload(client, tokens, url, jpeg()).json
    cached = client.get(body["formats"]["thumb"]["webp"])
    assert cached.status_code == 200
    before = s3.object_names(bucket)
    cut_off(app, endpoint=f"http://127.0.0.1:{closed_port()}")

    with caplog.at_level(logging.DEBUG):
        refused = upload(client, tokens, url, jpeg(colour="navy"))
    assert refused.status_code == 503, refused.json
    assert refused.mimetype == "application/problem+json" and refused.headers["Retry-After"]
    assert image_rows(app) == 1 and s3.object_names(bucket) == before, "nothing half-written"
    assert client.get(body["formats"]["thumb"]["webp"]).data == cached.data, "served from memory"
    assert client.get(body["formats"]["zoom"]["jpeg"]).status_code == 503
    metrics = client.get("/metrics", headers={"Authorization": "Bearer operator-token"})
    assert metrics.status_code == 200
    for text in (refused.get_data(as_text=True), metrics.get_data(as_text=True), caplog.text):
        assert CREDENTIAL not in text
        assert s3.server().environment()["AWS_ACCESS_KEY_ID"] not in text
    assert "127.0.0.1" not in refused.get_data(as_text=True)


@SQLITE
def test_a_slow_store_never_holds_up_a_cursor_move(app: Flask, tokens: Tokens) -> None:
    client = app.test_client()
    stream_id, _ = live_stream(client, tokens, count=2)
    url, _ = create_product(client, tokens)
    body = upload(client, tokens, url, jpeg()).json
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # takes the connection and never answers
    try:
        cut_off(app, endpoint=f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=3.0)
        stuck: list[int] = []
        reader = threading.Thread(
            target=lambda: stuck.append(app.test_client().get(body["formats"]["zoom"]["webp"]).status_code)
        )
        reader.start()
        moved = move(client, tokens, stream_id, "goto", 2)
        assert moved.status_code == 200 and moved.json["position"] == 2
        assert client.get(f"/api/v1/streams/{stream_id}/card").json["position"] == 2
        assert reader.is_alive(), "the picture read was still waiting on the store"
        reader.join()
        assert stuck == [503]
    finally:
        silent.close()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://pictures/x", "unknown scheme 'ftp'"),
        ("s3://no-such-bucket-at-all/x", "the bucket 'no-such-bucket-at-all' does not exist"),
    ],
)
def test_a_media_url_that_cannot_work_stops_start_up_with_one_line(
    url: str, says: str, tmp_path: Path
) -> None:
    environment = {
        **s3.server().environment(),
        "PATH": str(Path(sys.executable).parent),
        "TIANSHAN_MEDIA_URL": url,
        "TIANSHAN_INSTANCE_PATH": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "catalog.cli", "media", "gc"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and lines[0].startswith("tianshan: "), result.stderr
    assert CREDENTIAL not in result.stderr
