"""Absolute links come from the public base URL; a request for an untrusted host is refused (400)
before it reaches a view or a cache, so no client can change what the QR code of a card says."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

import media
from catalog.db import get_session
from catalog.media_store import get_media
from catalog.models import Product
from catalog.services.card_png import card_content
from catalog.services.pricing import all_rates
from tests.catalog.payloads import product
from tests.catalog.test_streams_helpers import STREAM
from tests.conftest import Tokens
from tests.conftest import serving_app

PUBLIC = "https://catalog.example"


@pytest.fixture
def app(app_config: dict[str, t.Any], tmp_path: Path) -> t.Iterator[Flask]:
    config = {**app_config, "PUBLIC_BASE_URL": PUBLIC, "TRUSTED_HOSTS": ["localhost", "catalog.example"]}
    with serving_app(config, tmp_path / "instance") as app:
        yield app


def _expected_card(app: Flask, product_id: int) -> bytes:
    """The card rendered directly, its QR code pointing at the public address."""
    with app.test_request_context():
        session = get_session()
        item = session.get(Product, product_id)
        assert item is not None
        content = card_content(
            session,
            get_media().storage,
            item,
            "ru",
            "CNY",
            all_rates(session),
            f"{PUBLIC}/products/{product_id}?locale=ru",
        )
        return media.render_card(content, "portrait")


def test_an_untrusted_host_is_refused_and_never_cached(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    created = client.post("/api/v1/products", json=product(), headers=tokens.headers("editor"))
    pid = created.json["id"]  # type: ignore[index]
    url = f"/api/v1/products/{pid}/card.png?locale=ru&currency=CNY"
    cards = app.extensions["media"].cards
    poisoned = client.get(url, headers={"Host": "evil.example"})
    assert poisoned.status_code == 400
    assert poisoned.mimetype == "application/problem+json"
    assert len(cards._entries) == 0
    for host in ("localhost", "catalog.example"):
        response = client.get(url, headers={"Host": host})
        assert response.status_code == 200, host
        assert response.data == _expected_card(app, pid), host
    for path in ("/api/v1/products", "/", "/healthz", "/signin"):
        assert client.get(path, headers={"Host": "evil.example"}).status_code == 400, path


def test_the_calendar_links_to_the_public_address(client: FlaskClient, tokens: Tokens) -> None:
    assert client.post("/api/v1/streams", json=STREAM, headers=tokens.headers("host")).status_code == 201
    feed = client.get("/api/v1/streams/calendar.ics", headers={"Host": "catalog.example"}).get_data(
        as_text=True
    )
    assert f"{PUBLIC}/api/v1/streams/1" in feed.replace("\r\n ", "")


def test_by_default_only_local_hosts_are_trusted(app_config: dict[str, t.Any], tmp_path: Path) -> None:
    with serving_app(app_config, tmp_path / "default") as default:
        local = default.test_client()
        assert local.get("/api/v1", headers={"Host": "127.0.0.1:5000"}).status_code == 200
        assert local.get("/api/v1", headers={"Host": "evil.example"}).status_code == 400
