"""What anonymous callers learn: no metrics, a bare health status, no versions in ``Server``,
and the API's own headers; page uploads take the API's sizes; forms from other sites are refused."""

from __future__ import annotations

import contextlib
import http.client
import io
import threading
import typing as t
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.serving import make_server

from tests.conftest import Tokens
from tests.conftest import serving_app
from tests.web.conftest import add_product
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in

METRICS_TOKEN = "metrics-secret-for-tests"


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "METRICS_TOKEN": METRICS_TOKEN}


def test_metrics_need_the_metrics_token_or_an_admin(client: FlaskClient, tokens: Tokens) -> None:
    client.get("/api/v1/products")
    anonymous = client.get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous.mimetype == "application/problem+json"
    assert b"python_info" not in anonymous.data and b"tianshan_http" not in anonymous.data
    assert client.get("/metrics", headers=tokens.headers("editor")).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    for headers in ({"Authorization": f"Bearer {METRICS_TOKEN}"}, tokens.headers("admin")):
        allowed = client.get("/metrics", headers=headers)
        assert allowed.status_code == 200
        assert b"tianshan_http_requests_total" in allowed.data


def test_health_is_a_bare_status_without_a_staff_token(client: FlaskClient, tokens: Tokens) -> None:
    anonymous = client.get("/healthz")
    assert anonymous.status_code == 200
    assert anonymous.json == {"status": "ok"}
    assert client.get("/healthz", headers=tokens.headers("translator_kk")).json == {"status": "ok"}
    detailed = client.get("/healthz", headers=tokens.headers("editor")).json
    assert detailed is not None and detailed["database"]["ok"] is True and "search" in detailed


def test_no_versions_in_the_server_header(app: Flask) -> None:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in ("/api/v1", "/", "/nothing-here"):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            with contextlib.closing(connection):
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                assert response.getheader("Server") == "Tianshan", path
    finally:
        server.shutdown()


def test_api_answers_carry_nosniff_and_authenticated_ones_no_store(
    client: FlaskClient, tokens: Tokens
) -> None:
    public = client.get("/api/v1/products")
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in public.headers.get("Cache-Control", "")
    missing = client.get("/api/v1/products/999999")
    assert missing.headers["X-Content-Type-Options"] == "nosniff"
    authenticated = client.get("/api/v1/translations/queue?locale=kk", headers=tokens.headers("editor"))
    assert authenticated.headers["Cache-Control"] == "no-store"
    assert authenticated.headers["X-Content-Type-Options"] == "nosniff"


def _photo(size: int) -> bytes:
    """A JPEG of noise at least *size* bytes long (noise does not compress)."""
    import os

    side = 700
    while True:
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=95)
        if out.tell() >= size:
            return out.getvalue()
        side += 200


def test_a_phone_photo_uploads_through_the_page(app: Flask, client: FlaskClient, editor: str) -> None:
    product_id = add_product(app)
    photo = _photo(1_300_000)
    assert len(photo) > app.config["MAX_CONTENT_LENGTH"]
    sign_in(client, editor)
    page = client.get(f"/staff/products/{product_id}/edit").get_data(as_text=True)
    response = client.post(
        f"/staff/products/{product_id}/pictures",
        data={"csrf_token": csrf_token(page), "picture": (io.BytesIO(photo), "phone.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.status_code
    gallery = client.get(f"/api/v1/products/{product_id}/images").json
    assert gallery is not None and len(gallery["items"]) == 1


def test_a_form_from_another_site_is_refused(client: FlaskClient, editor: str) -> None:
    token = csrf_token(client.get("/signin").get_data(as_text=True))
    form = {"name": editor, "password": "correct horse battery", "csrf_token": token}
    forged = client.post("/signin", data=form, headers={"Origin": "http://evil.example"})
    assert forged.status_code == 400
    assert "not sent from this site" in forged.get_data(as_text=True)
    ours = client.post("/signin", data=form, headers={"Origin": "http://localhost"})
    assert ours.status_code == 302


def test_the_public_base_url_counts_as_this_site(app_config: dict[str, t.Any], tmp_path: Path) -> None:
    config = {**app_config, "PUBLIC_BASE_URL": "https://catalog.example"}
    with serving_app(config, tmp_path / "public") as app:
        client = app.test_client()
        token = csrf_token(client.get("/signin").get_data(as_text=True))
        form = {"name": "x", "password": "y", "csrf_token": token}
        assert (
            client.post("/signin", data=form, headers={"Origin": "https://catalog.example"}).status_code
            == 401
        )
