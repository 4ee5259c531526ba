"""A visitor from abroad in headless Chromium: the refund mark, the visitors' page, a qualified booth."""

from __future__ import annotations

import re
import typing as t

import pytest
import sqlalchemy as sa

from catalog.db import get_session
from catalog.models import Booth
from catalog.models import Product
from catalog.models import ProductStatus
from tests.web.conftest import PageProblems
from tests.web.live import LiveServer
from tests.web.test_tax_refund_pages import HEADINGS
from tests.web.test_tax_refund_pages import MARKS

pytestmark = pytest.mark.browser


def _product_of(live_server: LiveServer, booth: str) -> int:
    with live_server.app.app_context():
        stmt = (
            sa.select(Product.id)
            .join(Product.booth)
            .where(
                Booth.slug == booth, Product.status == ProductStatus.PUBLISHED, ~Product.tax_refund_excluded
            )
            .order_by(Product.id)
            .limit(1)
        )
        return int(get_session().scalars(stmt).one())


#: The locale of the whole journey; the other locales are each read once (the mark on a product).
JOURNEY_LOCALE = "kk"


def test_the_mark_speaks_every_locale(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    product_id = _product_of(live_server, "kazakhstan")  # the demo qualifies the Kazakhstan booth
    page = new_page()
    for locale in sorted(MARKS):
        page.goto(
            f"{live_server.url}/products/{product_id}?locale={locale}&currency=KZT",
            wait_until="domcontentloaded",
            timeout=20_000,  # the first page a fresh server renders compiles its templates
        )
        mark = page.get_by_test_id("tax-refund")
        expect(mark).to_contain_text(MARKS[locale])
        expect(page.get_by_test_id("tax-refund-estimate")).to_contain_text(
            re.compile(r"[0-9].*(₸|KZT)|(₸|KZT).*[0-9]")
        )
        expect(mark.get_by_role("link")).to_have_attribute("href", re.compile(r"/tax-refund"))
    problems.assert_none()


def test_a_visitor_follows_the_mark_to_the_counter_the_booths_and_the_filter(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    product_id = _product_of(live_server, "kazakhstan")
    page = new_page()
    page.goto(f"{live_server.url}/locale/{JOURNEY_LOCALE}?next=/products/{product_id}%3Fcurrency%3DKZT")
    page.wait_for_url(re.compile(rf"/products/{product_id}"))
    page.get_by_test_id("tax-refund").get_by_role("link").click()
    page.wait_for_url(re.compile(r"/tax-refund"))
    heading, counter = HEADINGS[JOURNEY_LOCALE]
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_test_id("counter")).to_contain_text(counter)
    expect(page.get_by_test_id("bring").locator("li")).to_have_count(3)

    page.get_by_test_id("qualified-booths").locator('a[href*="booth=kazakhstan"]').click()
    page.wait_for_url(re.compile(r"/search\?booth=kazakhstan"))
    expect(page.locator(".result").first).to_be_visible()
    chip = page.locator('a.chip[data-facet="tax_refund"]')
    expect(chip).to_contain_text(heading)
    offered = int(chip.locator(".count").inner_text())
    chip.click()
    page.wait_for_url(re.compile(r"tax_refund=true"))
    expect(page.locator('a.chip[data-facet="tax_refund"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".total")).to_contain_text(str(offered))
    problems.assert_none()


def test_a_booth_that_does_not_qualify_shows_no_mark(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    page = new_page()
    page.goto(f"{live_server.url}/products/{_product_of(live_server, 'belarus')}?locale=ru")
    expect(page.locator("h1.product-name")).to_be_visible()
    expect(page.get_by_test_id("tax-refund")).to_have_count(0)
    problems.assert_none()
