"""Staff pages through the test client: product forms, sheet imports and exchange rates."""

from __future__ import annotations

import io
import re

from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import ExchangeRate
from catalog.models import Product
from tests.web.conftest import add_product
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in


def _form(client: FlaskClient, url: str) -> dict[str, str]:
    """The fields of the product form at *url*, as the browser would send them back."""
    html = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input id="[^"]*" name="([^"]+)" type="text" value="([^"]*)"', html))
    for name, text in re.findall(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>([^<]*)</textarea>', html, re.S):
        fields[name] = text
    for name, options in re.findall(r'<select id="[^"]*" name="([^"]+)">(.*?)</select>', html, re.S):
        fields[name] = re.search(r'<option value="([\w-]+)" selected>', options).group(1)  # type: ignore[union-attr]
    version = re.search(r'name="version" value="(\d+)"', html)
    if version:
        fields["version"] = version.group(1)
    fields["csrf_token"] = csrf_token(html)
    return fields


def _error_next_to(html: str, field: str) -> str:
    found = re.search(
        rf'id="{re.escape(field)}"[^>]*>.*?<span class="field-error" id="{re.escape(field)}-error"'
        rf"[^>]*>([^<]+)</span>",
        html,
        re.S,
    )
    assert found, f"no error shown next to {field}"
    return found.group(1)


def test_editing_a_product_saves_the_change(app: Flask, client: FlaskClient, editor: str) -> None:
    product_id = add_product(app)
    sign_in(client, editor)
    form = _form(client, f"/staff/products/{product_id}/edit")
    assert form["content-ru-name"] == "Мука пшеничная высший сорт"
    form["content-ru-name"] = "Мука пшеничная, 2 кг"
    form["price-amount"] = "26.50"
    response = client.post(f"/staff/products/{product_id}/edit", data=form)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your changes to KZ-FLOUR-001 are saved." in page
    with app.app_context():
        product = get_session().get(Product, product_id)
        assert product is not None
        assert str(product.price_amount.normalize()) == "26.5"
        assert product.content_for("ru").name == "Мука пшеничная, 2 кг"  # type: ignore[union-attr]


def test_validation_messages_sit_next_to_their_fields(app: Flask, client: FlaskClient, editor: str) -> None:
    product_id = add_product(app)
    sign_in(client, editor)
    form = _form(client, f"/staff/products/{product_id}/edit")
    form.update({"origin_country": "XX", "price-amount": "0"})
    response = client.post(f"/staff/products/{product_id}/edit", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "ISO 3166-1 alpha-2" in _error_next_to(html, "origin_country")
    assert "The amount must be greater than zero." in _error_next_to(html, "price-amount")
    form.update({"origin_country": "KZ", "price-amount": "25.001", "barcode": "4870001234567"})
    html = client.post(f"/staff/products/{product_id}/edit", data=form).get_data(as_text=True)
    assert "is not a valid EAN-13 or UPC-A" in _error_next_to(html, "barcode")
    assert "at most 2 decimal places" in _error_next_to(html, "price-amount")
    assert 'value="4870001234567"' in html  # what was typed is kept
    with app.app_context():
        assert get_session().get(Product, product_id).barcode == "4870001234560"  # type: ignore[union-attr]


def test_wholesale_problems_name_the_line(app: Flask, client: FlaskClient, editor: str) -> None:
    product_id = add_product(app)
    sign_in(client, editor)
    form = _form(client, f"/staff/products/{product_id}/edit")
    form["wholesale"] = "20: 21.00\nfifty at 19"
    html = client.post(f"/staff/products/{product_id}/edit", data=form).get_data(as_text=True)
    assert "Line 2: write a quantity and a price, such as 20: 21.00." in _error_next_to(html, "wholesale")
    form["wholesale"] = "20: 30.00"
    html = client.post(f"/staff/products/{product_id}/edit", data=form).get_data(as_text=True)
    assert "Tier 1: A wholesale amount must be below the retail price." in _error_next_to(html, "wholesale")


def test_a_stale_form_is_not_saved_over_a_newer_change(app: Flask, client: FlaskClient, editor: str) -> None:
    product_id = add_product(app)
    sign_in(client, editor)
    first = _form(client, f"/staff/products/{product_id}/edit")
    second = dict(first)
    first["stock"] = "10"
    assert client.post(f"/staff/products/{product_id}/edit", data=first).status_code == 302
    second["stock"] = "99"
    response = client.post(f"/staff/products/{product_id}/edit", data=second)
    assert response.status_code == 409
    assert "Someone else saved this product after you opened it." in response.get_data(as_text=True)
    with app.app_context():
        assert get_session().get(Product, product_id).stock == 10  # type: ignore[union-attr]


def test_creating_a_product_and_a_taken_sku(app: Flask, client: FlaskClient, editor: str) -> None:
    add_product(app)
    sign_in(client, editor)
    form = _form(client, "/staff/products/new")
    form.update(
        {
            "sku": "KZ-HONEY-002",
            "source_locale": "ru",
            "content-ru-name": "Мёд горный",
            "origin_country": "KZ",
            "category": "food.honey",
            "price-amount": "48",
            "price-currency": "CNY",
        }
    )
    created = client.post("/staff/products/new", data=form)
    assert created.status_code == 302
    form["sku"] = "KZ-FLOUR-001"
    taken = client.post("/staff/products/new", data=form)
    assert taken.status_code == 409
    assert "Already used by another product." in _error_next_to(taken.get_data(as_text=True), "sku")
    form.update({"sku": "KZ-X-1", "content-ru-name": "", "content-ru-description": "Без имени"})
    missing = client.post("/staff/products/new", data=form).get_data(as_text=True)
    assert "Give a name in this language" in _error_next_to(missing, "content-ru-name")


def test_import_shows_every_bad_row_and_imports_nothing(app: Flask, client: FlaskClient, editor: str) -> None:
    sign_in(client, editor)
    token = csrf_token(client.get("/staff/import").get_data(as_text=True))
    bad = "sku,name_zh,origin_country,category,price\nKZ-A-1,面粉,KZ,food.flour,10\nKZ-B-2,蜂蜜,XX,food.honey,-3\n"
    response = client.post(
        "/staff/import",
        data={"csrf_token": token, "sheet": (io.BytesIO(bad.encode()), "sheet.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing was imported" in html and "KZ-B-2" in html and "origin_country" in html
    good = "sku,name_zh,origin_country,category,price\nKZ-A-1,面粉,KZ,food.flour,10\n"
    response = client.post(
        "/staff/import",
        data={"csrf_token": token, "sheet": (io.BytesIO(good.encode()), "sheet.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "1 created, 0 updated, 0 unchanged." in response.get_data(as_text=True)
    wrong = client.post(
        "/staff/import",
        data={"csrf_token": token, "sheet": (io.BytesIO(b"x"), "notes.txt")},
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 422
    assert "use a .csv or .xlsx file" in wrong.get_data(as_text=True)


def test_rates_are_set_and_bad_ones_explained(app: Flask, client: FlaskClient, editor: str) -> None:
    sign_in(client, editor)
    token = csrf_token(client.get("/staff/rates").get_data(as_text=True))
    saved = client.post("/staff/rates", data={"csrf_token": token, "currency": "kzt", "per_cny": "68,5"})
    assert saved.status_code == 302
    with app.app_context():
        assert str(get_session().get(ExchangeRate, "KZT").per_cny.normalize()) == "68.5"  # type: ignore[union-attr]
    bad = client.post("/staff/rates", data={"csrf_token": token, "currency": "CNY", "per_cny": "abc"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Give an ISO 4217 currency code other than CNY" in html
    assert 'id="per_cny-error"' in html
