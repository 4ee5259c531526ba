"""The host console shows go-live readiness before Start, refuses a blocked start and can force it."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import AuditEntry
from catalog.models import Product
from catalog.models import Role
from catalog.models import StreamEvent
from tests.conftest import Tokens
from tests.web.conftest import add_product
from tests.web.conftest import add_rate
from tests.web.conftest import add_staff
from tests.web.conftest import sign_in
from tests.web.live import make_show


def console(client: FlaskClient, stream_id: int) -> tuple[str, str]:
    page = client.get(f"/host/streams/{stream_id}?locale=en").get_data(as_text=True)
    found = re.search(r'data-csrf="([^"]+)"', page)
    assert found, "the console carries no CSRF token"
    return page, found.group(1)


def readiness_section(page: str) -> str:
    found = re.search(r'<section id="readiness".*?</section>', page, re.S)
    assert found, "the console shows no readiness"
    return found.group(0)


def test_the_console_lists_what_blocks_the_start_and_forces_it(app: Flask, client: FlaskClient) -> None:
    add_product(app)
    add_product(app, sku="KZ-FLOUR-002", barcode=None, stock=0)
    add_rate(app)
    add_staff(app, "aigerim", Role.HOST)
    stream_id = make_show(app, products=2, live=False)
    sign_in(client, "aigerim")
    page, token = console(client, stream_id)
    section = readiness_section(page)
    assert "Go-live readiness" in section
    assert 'id="readiness-status">Blocked<' in section
    assert "KZ-FLOUR-002" in section and "Out of stock." in section
    assert 'id="force-start"' in page
    headers = {"X-CSRFToken": token}
    url = f"/host/streams/{stream_id}/status"
    refused = client.post(url, json={"action": "start"}, headers=headers)
    assert refused.status_code == 409
    assert refused.get_json()["readiness"]["status"] == "blocked"
    forced = client.post(url, json={"action": "start", "force": True}, headers=headers)
    assert forced.status_code == 200
    assert forced.get_json()["status"] == "live"
    with app.app_context():
        entry = get_session().scalar(sa.select(AuditEntry).where(AuditEntry.action == "stream.start_forced"))
        assert entry is not None and entry.entity_id == str(stream_id)
    live_page, _ = console(client, stream_id)
    assert 'id="readiness"' not in live_page


def test_the_console_readiness_follows_the_staff_fixing_stock(app: Flask, client: FlaskClient) -> None:
    add_product(app, stock=0)
    add_rate(app)
    add_staff(app, "aigerim", Role.HOST)
    stream_id = make_show(app, products=1, live=False)
    sign_in(client, "aigerim")
    assert 'id="readiness-status">Blocked<' in readiness_section(console(client, stream_id)[0])
    with app.app_context():
        session = get_session()
        product = session.scalar(sa.select(Product).where(Product.stock == 0))
        assert product is not None
        product.stock = 40
        session.commit()
    page, _ = console(client, stream_id)
    assert 'id="readiness-status">Warnings<' in readiness_section(page)
    assert 'id="force-start"' not in page


def test_a_stock_fix_sends_a_readiness_event_and_the_section_follows(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    product_id = add_product(app, stock=0)
    other_id = add_product(app, sku="KZ-FLOUR-OTHER", barcode=None)
    add_rate(app)
    add_staff(app, "aigerim", Role.HOST)
    stream_id = make_show(app, products=1, live=False)
    sign_in(client, "aigerim")
    url = f"/host/streams/{stream_id}/readiness?locale=en"
    assert 'id="readiness-status">Blocked<' in client.get(url).get_data(as_text=True)

    def readiness_events() -> list[str]:
        with app.app_context():
            query = sa.select(StreamEvent.data).where(
                StreamEvent.stream_id == stream_id, StreamEvent.kind == "readiness"
            )
            return list(get_session().scalars(query))

    patch_stock(client, tokens, other_id, 5)  # not on this run-sheet: no event
    assert readiness_events() == []
    patch_stock(client, tokens, product_id, 40)
    assert [json.loads(data)["products"] for data in readiness_events()] == [[product_id]]
    fragment = client.get(url).get_data(as_text=True)
    assert 'id="readiness-status">Warnings<' in fragment
    assert 'id="force-start"' not in fragment


def patch_stock(client: FlaskClient, tokens: Tokens, product_id: int, stock: int) -> None:
    etag = client.get(f"/api/v1/products/{product_id}").headers["ETag"]
    response = client.patch(
        f"/api/v1/products/{product_id}",
        json={"stock": stock},
        headers=tokens.headers("editor", **{"If-Match": etag}),
    )
    assert response.status_code == 200, response.get_json()
