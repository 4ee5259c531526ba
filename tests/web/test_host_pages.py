"""The host console's JSON calls and the overlay page, through the test client."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import Role
from catalog.models import Stream
from tests.web.conftest import add_product
from tests.web.conftest import add_rate
from tests.web.conftest import add_staff
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in
from tests.web.live import make_show
from tests.web.live import move_on_air


def _console_token(client: FlaskClient, stream_id: int) -> str:
    page = client.get(f"/host/streams/{stream_id}").get_data(as_text=True)
    found = re.search(r'data-csrf="([^"]+)"', page)
    assert found, "the console carries no CSRF token"
    return found.group(1)


def test_console_moves_the_card_and_explains_refusals(app: Flask, client: FlaskClient) -> None:
    add_product(app)
    add_product(app, sku="KZ-FLOUR-002", barcode=None)
    add_staff(app, "aigerim", Role.HOST)
    add_rate(app)
    stream_id = make_show(app, products=2, live=False)
    sign_in(client, "aigerim")
    token = _console_token(client, stream_id)
    headers = {"X-CSRFToken": token}
    early = client.post(f"/host/streams/{stream_id}/cursor", json={"action": "next"}, headers=headers)
    assert early.status_code == 409
    assert early.mimetype == "application/problem+json"
    assert "the cursor moves only while it is live" in early.get_json()["detail"]
    started = client.post(f"/host/streams/{stream_id}/status", json={"action": "start"}, headers=headers)
    assert started.get_json()["status"] == "live"
    moved = client.post(f"/host/streams/{stream_id}/cursor", json={"action": "next"}, headers=headers)
    body = moved.get_json()
    assert body["position"] == 1 and body["envelope"]["card"]["number"] == 1
    ids = [row["id"] for row in body["lineup"]]
    stale = client.post(
        f"/host/streams/{stream_id}/order", json={"item_ids": ids[::-1], "version": 1}, headers=headers
    )
    assert stale.status_code == 409
    reordered = client.post(
        f"/host/streams/{stream_id}/order",
        json={"item_ids": ids[::-1], "version": body["version"]},
        headers=headers,
    ).get_json()
    assert [row["id"] for row in reordered["lineup"]] == ids[::-1]
    assert reordered["position"] == 2  # the card on air stayed on air, at its new place
    no_flash = client.post(f"/host/streams/{stream_id}/flash", json={"on": True}, headers=headers)
    assert no_flash.status_code == 409
    assert "has no flash price" in no_flash.get_json()["detail"]


def test_console_calls_need_the_token_and_a_host(app: Flask, client: FlaskClient) -> None:
    add_product(app)
    add_staff(app, "aigerim", Role.HOST)
    stream_id = make_show(app, products=1)
    add_staff(app, "olga", Role.EDITOR)
    sign_in(client, "aigerim")
    forged = client.post(f"/host/streams/{stream_id}/cursor", json={"action": "next"})
    assert forged.status_code == 400
    other = client.application.test_client()
    sign_in(other, "olga")
    assert other.get(f"/host/streams/{stream_id}").status_code == 403


def test_overlay_page_names_its_stream_and_refuses_unknown_layouts(app: Flask, client: FlaskClient) -> None:
    add_product(app)
    stream_id = make_show(app, products=1, delay_seconds=3)
    page = client.get(f"/overlay/streams/{stream_id}?layout=portrait&locale=kk")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'class="overlay portrait"' in html and 'data-delay="3"' in html and 'data-locale="kk"' in html
    assert "X-Frame-Options" not in page.headers
    bad = client.get(f"/overlay/streams/{stream_id}?layout=square")
    assert bad.status_code == 422
    assert "The layout is landscape or portrait." in bad.get_data(as_text=True)
    assert client.get("/overlay/streams/999").status_code == 404


def test_flash_switch_starts_and_stops_the_flash_price(app: Flask, client: FlaskClient) -> None:
    add_product(app)
    add_staff(app, "aigerim", Role.HOST)
    stream_id = make_show(app, products=1, flash="19.90")
    sign_in(client, "aigerim")
    headers = {"X-CSRFToken": _console_token(client, stream_id)}
    body = client.post(
        f"/host/streams/{stream_id}/cursor", json={"action": "next"}, headers=headers
    ).get_json()
    assert body["lineup"][0]["flash"]["phase"] == "before"
    assert body["envelope"]["card"]["locales"]["ru"]["flash_price"] is None
    on = client.post(f"/host/streams/{stream_id}/flash", json={"on": True}, headers=headers).get_json()
    assert on["lineup"][0]["flash"]["phase"] == "running"
    assert on["envelope"]["card"]["locales"]["ru"]["flash_price"]["CNY"]["amount"] == "19.90"
    off = client.post(f"/host/streams/{stream_id}/flash", json={"on": False}, headers=headers).get_json()
    assert off["lineup"][0]["flash"]["phase"] == "over"
    assert off["envelope"]["card"]["locales"]["ru"]["flash_price"] is None


def test_viewers_see_the_show_and_its_card_without_script(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app)
    stream_id = make_show(app, products=1)
    home = client.get("/?locale=ru").get_data(as_text=True)
    assert f'href="/shows/{stream_id}"' in home and "Вечер казахстанских продуктов" in home
    before = client.get(f"/shows/{stream_id}?locale=ru").get_data(as_text=True)
    assert '<article class="card" id="card" hidden>' in before
    move_on_air(app, stream_id)
    page = client.get(f"/shows/{stream_id}?locale=ru").get_data(as_text=True)
    assert 'data-position="1"' in page and "Мука пшеничная высший сорт" in page
    assert f'href="/products/{product_id}"' in page
    assert client.get("/shows/999").status_code == 404


def test_host_schedules_a_show_in_the_studio_time(app: Flask, client: FlaskClient) -> None:
    add_staff(app, "aigerim", Role.HOST)
    sign_in(client, "aigerim")
    page = client.get("/host/streams").get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page),
        "title": "Вечер мёда",
        "starts_at": "2036-12-01T19:00",
        "time_zone": "Asia/Almaty",
        "duration_minutes": "120",
        "locales": ["ru", "kk"],
        "currencies": "kzt, cny",
        "display_delay_seconds": "4",
    }
    created = client.post("/host/streams", data=form)
    assert created.status_code == 302
    stream_id = int(created.headers["Location"].rsplit("/", 1)[-1])
    with app.app_context():
        stream = get_session().get(Stream, stream_id)
        assert stream is not None
        assert stream.starts_at.isoformat() == "2036-12-01T14:00:00+00:00"  # 19:00 in Almaty is UTC+5
        assert (stream.locales, stream.currencies, stream.display_delay_seconds) == (
            ["ru", "kk"],
            ["KZT", "CNY"],
            4,
        )
    refused = client.post("/host/streams", data={**form, "starts_at": "", "currencies": "KZT, XYZ"})
    assert refused.status_code == 422
    assert "Give the date and the time the show starts." in refused.get_data(as_text=True)
    bad_currency = client.post("/host/streams", data={**form, "currencies": "KZT, XYZ", "locales": []})
    html = bad_currency.get_data(as_text=True)
    assert bad_currency.status_code == 422
    assert "ISO 4217" in html and 'id="currencies-error"' in html and 'id="locales-error"' in html
