"""Catalog staff in headless Chromium: sign in, edit a product, see the message next to the field."""

from __future__ import annotations

import re
import typing as t

import pytest

from tests.web.conftest import PageProblems
from tests.web.live import STAFF_PASSWORD
from tests.web.live import LiveServer

pytestmark = pytest.mark.browser


def test_staff_sign_in_edit_a_product_and_see_the_message_next_to_the_field(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    page = new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/staff/products?locale=en")
    page.wait_for_url(re.compile(r"/signin\?next="))
    page.get_by_label("Name").fill("olga")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/staff/products"))
    expect(page.get_by_role("navigation", name="Staff")).to_contain_text("Exchange rates")

    page.get_by_role("link", name="KZ-FLOUR-001").click()
    page.wait_for_url(re.compile(r"/staff/products/\d+/edit"))
    barcode = page.get_by_label("Barcode")
    barcode.fill("4870001234567")  # wrong check digit
    page.get_by_label("Stock").fill("120")
    page.get_by_role("button", name="Save changes").click()

    error = page.locator(".field:has(#barcode) .field-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("not a valid EAN-13 or UPC-A")
    expect(page.get_by_label("Barcode")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Stock")).to_have_value("120")  # what was typed is kept

    page.get_by_label("Barcode").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Your changes to KZ-FLOUR-001 are saved.")
    expect(page.get_by_label("Stock")).to_have_value("120")
    problems.assert_none("status of 422")  # the refused form's page itself
