"""Viewer pages through the test client: they work without JavaScript."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.services import pricing
from tests.web.conftest import add_product
from translations.formatting import format_money


def _set_rate(app: Flask, currency: str, per_cny: str) -> None:
    with app.app_context():
        session = get_session()
        pricing.set_rate(session, currency, Decimal(per_cny), dt.datetime(2026, 11, 29, tzinfo=dt.UTC), None)
        session.commit()


def test_the_language_switch_remembers_the_choice(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app)
    response = client.get(f"/locale/ru?next=/products/{product_id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/products/{product_id}"
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("locale="))
    assert cookie.startswith("locale=ru;") and "SameSite=Lax" in cookie
    page = client.get(f"/products/{product_id}").get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Мука пшеничная высший сорт" in page
    assert "Казахстан" in page and "🇰🇿" in page
    assert client.get("/locale/xx").status_code == 404


def test_product_page_converts_the_price_and_lists_tiers(app: Flask, client: FlaskClient) -> None:
    _set_rate(app, "KZT", "68.5")
    product_id = add_product(app)
    page = client.get(f"/products/{product_id}?locale=ru&currency=KZT").get_data(as_text=True)
    assert format_money(Decimal("1712.50"), "KZT", "ru") in page  # 25.00 CNY at 68.5
    assert format_money(Decimal("1438.50"), "KZT", "ru") in page  # the 20-piece tier, 21.00 CNY
    assert '<option value="KZT" selected>' in page
    saved = client.get("/currency?code=KZT&next=/")
    assert any(v.startswith("currency=KZT;") for v in saved.headers.getlist("Set-Cookie"))
    assert client.get("/currency?code=XYZ").status_code == 404


def test_kazakh_in_latin_letters_is_a_rendering_of_kazakh(app: Flask, client: FlaskClient) -> None:
    content = {"zh": {"name": "面粉"}, "kk": {"name": "Бидай ұны", "description": "", "highlights": []}}
    product_id = add_product(app, content=content)
    page = client.get(f"/products/{product_id}?locale=kk-Latn").get_data(as_text=True)
    assert '<html lang="kk-Latn">' in page
    assert "Bidai ūny" in page
    assert "Qazaqstan" in page


def test_unpublished_products_are_not_shown_to_viewers(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app, status="draft")
    response = client.get(f"/products/{product_id}")
    assert response.status_code == 404
    assert "This product is not on sale." in response.get_data(as_text=True)


def test_search_filters_with_chips_and_pages_with_a_cursor(app: Flask, client: FlaskClient) -> None:
    for number in range(23):
        country = "KZ" if number % 2 else "RU"
        body = {"zh": {"name": f"蜂蜜 {number}", "description": "", "highlights": []}}
        add_product(app, sku=f"HONEY-{number:03d}", content=body, origin_country=country, barcode=None)
    page = client.get("/search?q=蜂蜜&locale=en").get_data(as_text=True)
    assert "23 products found" in page
    chip = re.search(r'<a class="chip" data-facet="origin_country" data-value="KZ"\s+href="([^"]+)"', page)
    assert chip, "no Kazakhstan chip"
    filtered = client.get(chip.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "11 products found" in filtered
    assert 'class="chip selected" data-facet="origin_country" data-value="KZ"' in filtered
    first = client.get("/search?q=蜂蜜&locale=en").get_data(as_text=True)
    next_link = re.search(r'href="([^"]+)" rel="next"', first)
    assert next_link
    second = client.get(next_link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert '<ol class="results" start="21">' in second
    assert second.count('class="result"') == 3
    assert 'rel="next"' not in second
    other = client.get(next_link.group(1).replace("&amp;", "&").replace("q=", "q=x")).get_data(as_text=True)
    assert "This page link belongs to another search" in other


def test_home_lists_categories_and_booths_in_the_reader_language(app: Flask, client: FlaskClient) -> None:
    add_product(app)
    page = client.get("/?locale=ru").get_data(as_text=True)
    assert 'href="/search?category=food"' in page
    assert 'href="/search?booth=kazakhstan"' in page


def test_search_bounds_prices_in_the_reader_currency(app: Flask, client: FlaskClient) -> None:
    _set_rate(app, "KZT", "70")
    for number, price in enumerate(("10.00", "20.00", "30.00")):
        body = {"zh": {"name": f"茶叶 {number}", "description": "", "highlights": []}}
        add_product(
            app,
            sku=f"TEA-{number}",
            content=body,
            price={"amount": price, "currency": "CNY"},
            wholesale=[],
            barcode=None,
        )
    page = client.get("/search?q=茶叶&locale=en&currency=KZT&price_min=1000&price_max=1500").get_data(
        as_text=True
    )
    assert "1 product found" in page and re.search(r"茶叶(</mark>)? 1<", page)  # 20 CNY is 1 400 KZT
    assert 'name="price_min" inputmode="decimal" size="8" value="1000"' in page
    swapped = client.get("/search?q=茶叶&price_min=50&price_max=5").get_data(as_text=True)
    assert "The lowest price is above the highest" in swapped
    nonsense = client.get("/search?q=茶叶&price_min=cheap").get_data(as_text=True)
    assert "Write a price as a number, such as 250 or 99.50." in nonsense


def test_a_price_bound_in_a_currency_without_a_rate_is_refused_on_the_page_as_on_the_api(
    app: Flask, client: FlaskClient
) -> None:
    body = {"zh": {"name": "茶叶 1", "description": "", "highlights": []}}
    add_product(
        app,
        sku="TEA-1",
        content=body,
        price={"amount": "20.00", "currency": "CNY"},
        wholesale=[],
        barcode=None,
    )
    page = client.get("/search?q=茶叶&locale=en&currency=KZT&price_min=1000")
    assert page.status_code == 422
    assert "No exchange rate for KZT has been entered." in page.get_data(as_text=True)
    assert "1 product found" not in page.get_data(as_text=True)
    api = client.get("/api/v1/search?q=茶叶&currency=KZT&price_min=1000")
    assert api.status_code == 422
    assert api.json["errors"] == [
        {"field": "currency", "message": "No exchange rate for KZT has been entered."}
    ]
    latin = client.get("/search?q=茶叶&locale=kk-Latn&currency=KZT&price_min=1000").get_data(as_text=True)
    shown = re.search(r'<p class="form-error" role="alert">([^<]+)</p>', latin)
    assert shown and "KZT" in shown.group(1)
    assert not re.search("[\u0400-\u04ff]", shown.group(1)), "the error is not in the reader's Latin script"
    unbounded = client.get("/search?q=茶叶&locale=en&currency=KZT")
    assert unbounded.status_code == 200 and "1 product found" in unbounded.get_data(as_text=True)


def test_the_page_and_the_api_read_each_others_search_cursors(app: Flask, client: FlaskClient) -> None:
    for number in range(23):
        body = {"zh": {"name": f"蜂蜜 {number}", "description": "", "highlights": []}}
        add_product(app, sku=f"HONEY-{number:03d}", content=body, barcode=None)
    first = client.get("/search?q=蜂蜜&locale=en").get_data(as_text=True)
    next_link = re.search(r'href="[^"]*cursor=([^"&]+)[^"]*" rel="next"', first)
    assert next_link
    facets = "origin_country,category,booth,tax_refund"
    api = client.get(f"/api/v1/search?q=蜂蜜&limit=20&facets={facets}&cursor={next_link.group(1)}")
    assert api.status_code == 200, api.json
    assert len(api.json["items"]) == 3 and api.json["next_cursor"] is None
    damaged = client.get(f"/search?q=蜂蜜&cursor={next_link.group(1)[:-2]}")
    assert damaged.status_code == 400
    assert "The cursor is invalid or was altered" in damaged.get_data(as_text=True)


def test_odd_search_text_on_the_page_is_refused_or_answered_with_a_notice(
    app: Flask, client: FlaskClient
) -> None:
    add_product(app)
    long_text = client.get("/search", query_string={"q": "мука " * 41, "locale": "en"})
    assert long_text.status_code == 422
    assert "the limit is 200" in long_text.get_data(as_text=True)
    control = client.get("/search", query_string={"q": "мука\x07", "locale": "en"})
    assert control.status_code == 422
    assert "control characters" in control.get_data(as_text=True)
    punctuation = client.get("/search", query_string={"q": "?!…", "locale": "en"})
    assert punctuation.status_code == 200
    page = punctuation.get_data(as_text=True)
    assert "Left out, as nothing matches it: ?!…" in page and "0 products found" in page
