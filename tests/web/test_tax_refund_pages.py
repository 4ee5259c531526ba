"""The tax refund on the viewer pages: the mark on a product and the visitors' page, in every locale."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_db
from catalog.db import get_session
from catalog.searching import get_search
from catalog.services import indexing
from catalog.services import pricing
from catalog.services import tax_refund
from tests.web.conftest import add_product
from translations.locales import READING_LOCALES
from translations.locales import to_latin

#: What the visitors' page is called and where the counter is, as a reader of each locale reads it.
HEADINGS = {
    "zh": ("境外旅客离境退税", "T4 航站楼"),
    "ru": ("Возврат налога для иностранных гостей", "Терминал 4"),
    "kk": ("Шетелдік қонақтарға салықты қайтару", "4-терминал"),
    "kk-Latn": (to_latin("Шетелдік қонақтарға салықты қайтару"), to_latin("4-терминал")),
    "en": ("Tax refund for foreign visitors", "Terminal 4"),
    "uz": ("Chet ellik mehmonlar uchun soliq qaytarilishi", "4-terminal"),
}
#: The words of the mark on a product page.
MARKS = {
    "zh": "离境退税",
    "ru": "Возврат налога",
    "kk": "Салықты қайтару",
    "kk-Latn": to_latin("Салықты қайтару"),
    "en": "Tax refund",
    "uz": "Soliq qaytarilishi",
}


def qualify(app: Flask, *slugs: str) -> None:
    with app.app_context():
        session = get_session()
        tax_refund.qualify_booths(session, list(slugs), None)
        pricing.set_rate(session, "KZT", Decimal("70"), dt.datetime(2026, 11, 29, tzinfo=dt.UTC), None)
        session.commit()
        indexing.drain(get_db().write_sessions, get_search().engine)  # the booths' products, re-indexed


def test_every_reading_locale_has_its_words() -> None:
    assert set(HEADINGS) == set(READING_LOCALES) == set(MARKS)


def test_the_visitors_page_speaks_every_locale(app: Flask, client: FlaskClient) -> None:
    add_product(app)
    add_product(app, sku="FR-WINE-1", booth="france")
    qualify(app, "kazakhstan")
    for locale, (heading, counter) in sorted(HEADINGS.items()):
        page = client.get(f"/tax-refund?locale={locale}").get_data(as_text=True)
        assert f"<h1>{heading}</h1>" in page, locale
        assert counter in page, locale
        assert 'href="/search?booth=kazakhstan"' in page
        assert "booth=france" not in page
        english = ("What to bring", "Where the counter is", "Your passport", "Qualified booths")
        assert locale == "en" or not [words for words in english if words in page], locale


def test_the_visitors_page_gives_the_rules_in_the_readers_currency(app: Flask, client: FlaskClient) -> None:
    add_product(app)
    qualify(app, "kazakhstan")
    page = client.get("/tax-refund?locale=en&currency=KZT").get_data(as_text=True)
    assert "Spend at least KZT14,000.00 in one qualified booth on one day." in page
    assert "KZT1,400,000.00" in page  # the 20,000 yuan cash cap
    assert "11% of the price back on goods taxed at 13%." in page
    assert "8% of the price back on goods taxed at 9%." in page


def test_with_no_qualified_booth_the_page_says_so(client: FlaskClient) -> None:
    page = client.get("/tax-refund?locale=en").get_data(as_text=True)
    assert "No booth is qualified at the moment." in page


def test_a_qualifying_product_shows_the_mark_with_the_estimate_in_every_locale(
    app: Flask, client: FlaskClient
) -> None:
    product_id = add_product(app, price={"amount": "250.00", "currency": "CNY"}, wholesale=[])
    qualify(app, "kazakhstan")
    for locale, mark in sorted(MARKS.items()):
        page = client.get(f"/products/{product_id}?locale={locale}&currency=KZT").get_data(as_text=True)
        assert 'data-testid="tax-refund"' in page
        assert mark in page, locale
        assert "1\xa0925" in page or "1,925" in page or "1 925" in page, locale  # 27.50 yuan at 70 tenge


def test_the_mark_says_it_is_an_estimate_and_names_the_threshold(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app, price={"amount": "250.00", "currency": "CNY"}, wholesale=[])
    qualify(app, "kazakhstan")
    page = client.get(f"/products/{product_id}?locale=en").get_data(as_text=True)
    assert "About CN¥27.50 back (estimate)" in page
    assert "An estimate" in page
    assert "at least CN¥200.00 in one qualified store on one day" in page


@pytest.mark.parametrize(
    "changes",
    [{"booth": "france"}, {"tax_refund_excluded": True}, {"vat_class": "exempt"}],
    ids=["booth not qualified", "excluded", "exempt"],
)
def test_a_product_that_does_not_qualify_has_no_mark(
    app: Flask, client: FlaskClient, changes: dict[str, object]
) -> None:
    add_product(app, sku="KZ-OTHER-1")
    product_id = add_product(app, **changes)
    qualify(app, "kazakhstan")
    page = client.get(f"/products/{product_id}?locale=en").get_data(as_text=True)
    assert 'data-testid="tax-refund"' not in page
    assert "(estimate)" not in page


#: The tax refund chip: its href, whether it is pressed, its words and its count.
CHIP = re.compile(
    r'<a class="chip(?: selected)?" data-facet="tax_refund" data-value="true"\s+href="([^"]*)"\s+'
    r'aria-pressed="(true|false)">\s*(.*?)\s*<span class="count">(\d+)</span></a>',
    re.S,
)


def _refund_chip(page: str) -> tuple[str, str, str, str]:
    chips = CHIP.findall(page)
    assert len(chips) == 1, chips
    href, pressed, words, count = chips[0]
    return html.unescape(href), pressed, words, count


def test_search_and_category_pages_offer_the_refund_filter_in_every_locale(
    app: Flask, client: FlaskClient
) -> None:
    add_product(app)
    add_product(app, sku="KZ-FLOUR-2")
    add_product(app, sku="FR-WINE-1", booth="france")
    qualify(app, "kazakhstan")
    for locale in sorted(HEADINGS):
        page = client.get(f"/search?category=food&locale={locale}").get_data(as_text=True)
        href, pressed, words, count = _refund_chip(page)
        assert (href, pressed, words, count) == (
            f"/search?category=food&locale={locale}&tax_refund=true",
            "false",
            HEADINGS[locale][0],
            "2",
        )


def test_the_refund_filter_keeps_qualifying_products_and_can_be_cleared(
    app: Flask, client: FlaskClient
) -> None:
    add_product(app)
    add_product(app, sku="FR-WINE-1", booth="france")
    qualify(app, "kazakhstan")
    page = client.get("/search?q=&tax_refund=true&locale=en").get_data(as_text=True)
    assert "1 product found" in page
    href, pressed, _, count = _refund_chip(page)
    assert (href, pressed, count) == ("/search?q=&locale=en", "true", "1")
    assert 'name="tax_refund" value="true"' in page  # sorting and price bounds keep the filter
    assert "2 products found" in client.get(href).get_data(as_text=True)
