"""Two app servers side by side on one PostgreSQL, one OpenSearch cluster and one bucket.

Each server is its own gunicorn; the search sync worker is a third process. Whatever one server
does, the other serves: pictures, fresh products, live moves, the sign-in limit and, once the
worker has synced it, search.
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import json
import os
import subprocess
import sys
import time
import typing as t
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from flask import Flask

from catalog.searching import get_search
from tests.catalog.payloads import product
from tests.catalog.test_images_api import jpeg
from tests.catalog.test_streams_helpers import SseReader
from tests.catalog.test_streams_helpers import live_stream
from tests.conftest import REPO
from tests.conftest import Tokens
from tests.search.engines import servers
from tests.support import s3
from tests.support.gunicorn import gunicorn
from tests.support.postgres import ON_POSTGRESQL
from tests.web.conftest import PASSWORD
from tests.web.conftest import csrf_token

pytestmark = [
    pytest.mark.slow,
    pytest.mark.s3,
    pytest.mark.engines,
    ON_POSTGRESQL,
]
ENGINE = "opensearch"


@pytest.fixture
def app_config(app_config: dict[str, t.Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, t.Any]:
    for name, value in s3.server().environment().items():
        monkeypatch.setenv(name, value)
    return {
        **app_config,
        "MEDIA_URL": f"s3://{s3.new_bucket()}/media",
        "SEARCH_URL": servers.search_url(ENGINE),
        "SEARCH_OPTIONS": {"index": f"two-{uuid.uuid4().hex[:10]}", "timeout": 60},
        "SEARCH_SYNC_AFTER_REQUEST": False,
    }


def environment(app_config: dict[str, t.Any]) -> dict[str, str]:
    """What every process of the deployment is given (the servers, the sync worker)."""
    return {
        **s3.server().environment(),
        "TIANSHAN_DATABASE_URL": app_config["DATABASE_URL"],
        "TIANSHAN_SEARCH_URL": app_config["SEARCH_URL"],
        "TIANSHAN_SEARCH_OPTIONS": json.dumps(app_config["SEARCH_OPTIONS"]),
        "TIANSHAN_SEARCH_SYNC_AFTER_REQUEST": "false",
        "TIANSHAN_MEDIA_URL": app_config["MEDIA_URL"],
        "TIANSHAN_WEB_SECURE_COOKIES": "false",
        "TIANSHAN_SECRET_KEY": "test-secret",
        "TIANSHAN_WORKERS": "1",
    }


@contextlib.contextmanager
def sync_worker(env: dict[str, str], instance: Path) -> t.Iterator[None]:
    """``tianshan search sync --follow`` as a process of its own."""
    command = [sys.executable, "-m", "catalog.cli", "search", "sync", "--follow", "--interval", "0.2"]
    full = {**os.environ, **env, "TIANSHAN_INSTANCE_PATH": str(instance), "TIANSHAN_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(command, cwd=REPO, env=full)
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def call(
    port: int, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    with contextlib.closing(connection):
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def api(port: int, method: str, path: str, token: str, payload: t.Any = None, **extra: str) -> t.Any:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **extra}
    status, found, data = call(
        port, method, path, body=json.dumps(payload).encode() if payload else None, headers=headers
    )
    return status, found, json.loads(data) if data else None


def multipart(data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def sign_in(port: int, name: str, password: str) -> int:
    """The sign-in form as a browser posts it (page first, for its token and cookie)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    base = f"http://127.0.0.1:{port}"
    with opener.open(f"{base}/signin", timeout=30) as page:
        token = csrf_token(page.read().decode())
    form = urllib.parse.urlencode({"name": name, "password": password, "csrf_token": token}).encode()
    request = urllib.request.Request(f"{base}/signin", data=form, headers={"Origin": base})
    try:
        with opener.open(request, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def test_two_servers_serve_what_either_one_did(
    app: Flask, app_config: dict[str, t.Any], tokens: Tokens, editor: str, tmp_path: Path
) -> None:
    stream_id, _ = live_stream(app.test_client(), tokens, 2)
    with app.app_context():
        assert get_search().engine is not None  # the index exists before the servers start, as after setup
    env = environment(app_config)
    with (
        gunicorn(app_config, tmp_path / "a", env=env) as a,
        gunicorn(app_config, tmp_path / "b", env=env) as b,
        sync_worker(env, tmp_path / "worker"),
    ):
        editor_token = tokens["editor"]
        sku = f"TWO-{uuid.uuid4().hex[:6].upper()}"
        status, _, created = api(a, "POST", "/api/v1/products", editor_token, product(sku=sku, barcode=None))
        assert status == 201, created
        path = f"/api/v1/products/{created['id']}"

        # A picture uploaded on A is served by B.
        body, content_type = multipart(jpeg((900, 700)))
        status, _, uploaded = call(
            a,
            "POST",
            f"{path}/images",
            body=body,
            headers={"Authorization": f"Bearer {editor_token}", "Content-Type": content_type},
        )
        assert status == 201, uploaded
        rendition = json.loads(uploaded)["formats"]["zoom"]["webp"]
        on_a, on_b = call(a, "GET", rendition), call(b, "GET", rendition)
        assert on_b[0] == 200 and on_b[2] == on_a[2] and on_b[1]["etag"] == on_a[1]["etag"]

        # A product PATCHed on A reads fresh on B at once (B had it in memory).
        status, before, _ = api(b, "GET", path, editor_token)
        status, _, changed = api(
            a, "PATCH", path, editor_token, {"stock": 42}, **{"If-Match": before["etag"]}
        )
        assert status == 200, changed
        status, after, read = api(b, "GET", path, editor_token)
        assert read["stock"] == 42 and after["etag"] != before["etag"]

        # A cursor move on A reaches the event-stream listeners on B.
        reader = SseReader(f"http://127.0.0.1:{b}", f"/api/v1/streams/{stream_id}/events")
        try:
            assert reader.status == 200 and reader.next_of("card")["data"]["card"] is None
            status, _, moved = api(
                a, "POST", f"/api/v1/streams/{stream_id}/cursor", tokens["host"], {"action": "next"}
            )
            assert status == 200, moved
            assert reader.next_of("card")["data"] == moved
        finally:
            reader.close()

        # The sign-in limit is one limit for both servers.
        assert [sign_in(port, editor, "guess") for port in (a, b, a, b, a)] == [401] * 5
        assert [sign_in(port, editor, PASSWORD) for port in (a, b)] == [429, 429]

        # Search on B finds the product created on A once the worker has synced it.
        deadline = time.monotonic() + 90
        found: list[int] = []
        while time.monotonic() < deadline and created["id"] not in found:
            with contextlib.suppress(TimeoutError):  # a busy cluster may answer slowly at first
                status, _, results = api(b, "GET", f"/api/v1/search?q={sku}", editor_token)
                found = [item["id"] for item in (results or {}).get("items", [])] if status == 200 else []
            time.sleep(0.3)
        assert created["id"] in found, "the sync worker indexed what A created, and B's search sees it"
