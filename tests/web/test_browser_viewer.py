"""A viewer on a phone, in headless Chromium: search with a typo, filter, open, switch language."""

from __future__ import annotations

import re
import typing as t

import pytest

from tests.web.conftest import PageProblems
from tests.web.live import SCREENSHOTS
from tests.web.live import LiveServer
from tests.web.live import want_screenshots

pytestmark = pytest.mark.browser
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def test_viewer_searches_in_russian_filters_opens_and_switches_to_kazakh(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    page = new_page(locale="ru-RU", extra_http_headers={"Accept-Language": "ru-RU,ru;q=0.9"}, **PHONE)
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    box = page.get_by_role("combobox")
    box.fill("мук")
    suggestions = page.locator("#q-suggestions [role=option]")
    expect(suggestions.first).to_be_visible()
    expect(suggestions.first).to_contain_text("Мука")

    box.fill("пшеницная")  # "пшеничная" with one letter wrong
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    expect(page.locator(".result").first).to_contain_text("пшеничн", ignore_case=True)

    page.locator('a.chip[data-facet="origin_country"][data-value="KZ"]').click()
    page.wait_for_url(re.compile(r"country=KZ"))
    expect(page.locator('a.chip[data-value="KZ"]')).to_have_attribute("aria-pressed", "true")
    if want_screenshots():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "viewer-search.png"))

    page.locator(".result-link").first.click()
    page.wait_for_url(re.compile(r"/products/\d+"))
    expect(page.locator(".origin")).to_contain_text("Казахстан")
    expect(page.locator(".price")).not_to_be_empty()
    russian_name = page.locator("h1.product-name").inner_text()
    if want_screenshots():
        page.screenshot(path=str(SCREENSHOTS / "viewer.png"), full_page=True)

    page.get_by_role("link", name="Қазақша").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator(".origin")).to_contain_text("Қазақстан")
    expect(page.locator("h1.product-name")).not_to_have_text(russian_name)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies["locale"] == "kk"
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    problems.assert_none()


def test_search_and_product_pages_work_without_javascript(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    page = new_page(java_script_enabled=False, locale="en-US")
    page.goto(live_server.url + "/search?q=honey&locale=en")
    expect(page.locator(".total")).to_contain_text("found")
    page.locator("select#currency-code").select_option("KZT")
    page.locator("form.currency button").click()
    page.locator(".result-link").first.click()
    expect(page.locator(".price")).to_contain_text("KZT")
    problems.assert_none()
