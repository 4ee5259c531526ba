"""Uzbek on the viewer pages: the switcher, the UI in Uzbek, Uzbek listings, prices in so'm, search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.services import pricing
from tests.web.conftest import add_product

APRICOTS = {
    "zh": {"name": "费尔干纳杏干", "description": "", "highlights": []},
    "ru": {"name": "Курага ферганская", "description": "Сладкая курага.", "highlights": []},
    "uz": {"name": "Fargʻona oʻrik qoqisi", "description": "Danagi olingan shirin oʻrik.", "highlights": []},
}


def _set_rate(app: Flask, currency: str, per_cny: str) -> None:
    with app.app_context():
        session = get_session()
        pricing.set_rate(session, currency, Decimal(per_cny), dt.datetime(2026, 11, 29, tzinfo=dt.UTC), None)
        session.commit()


def test_the_switcher_offers_uzbek_and_remembers_it(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app, content=APRICOTS)
    home = client.get("/?locale=ru").get_data(as_text=True)
    assert 'lang="uz-Latn" hreflang="uz-Latn"' in home and "Oʻzbekcha" in home
    response = client.get(f"/locale/uz?next=/products/{product_id}")
    assert response.status_code == 302
    assert any(v.startswith("locale=uz;") for v in response.headers.getlist("Set-Cookie"))
    page = client.get(f"/products/{product_id}").get_data(as_text=True)
    assert '<html lang="uz-Latn">' in page
    assert "Fargʻona oʻrik qoqisi" in page
    assert '<a href="/signin">Xodimlar uchun kirish</a>' in page


def test_pages_speak_uzbek(app: Flask, client: FlaskClient) -> None:
    page = client.get("/?locale=uz").get_data(as_text=True)
    assert "Katalogdan qidirish" in page
    assert "Search the catalog" not in page


def test_a_page_without_uzbek_text_shows_the_russian_one(app: Flask, client: FlaskClient) -> None:
    content = {key: value for key, value in APRICOTS.items() if key != "uz"}
    product_id = add_product(app, content=content)
    page = client.get(f"/products/{product_id}?locale=uz").get_data(as_text=True)
    assert "Курага ферганская" in page
    assert "Hali tarjima qilinmagan; boshqa tilda koʻrsatilmoqda." in page


def test_uzbek_readers_see_prices_in_som_once_a_rate_is_entered(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app, content=APRICOTS)
    without_rate = client.get(f"/products/{product_id}?locale=uz").get_data(as_text=True)
    assert "soʻm" not in without_rate
    _set_rate(app, "UZS", "1745")
    page = client.get(f"/products/{product_id}?locale=uz").get_data(as_text=True)
    assert "43\xa0625,00\xa0soʻm" in page  # 25.00 CNY at 1745
    assert '<option value="UZS" selected>' in page


def test_search_page_finds_uzbek_whatever_the_apostrophe(app: Flask, client: FlaskClient) -> None:
    add_product(app, content=APRICOTS)
    for query in ("o'rik", "o‘rik", "oʻrik", "ўрик"):
        page = client.get(f"/search?q={quote(query)}&locale=uz").get_data(as_text=True)
        assert "qoqisi" in page, query
