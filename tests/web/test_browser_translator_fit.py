"""A translator in Chromium types a long Kazakh name and is warned, before saving, that the card cuts it."""

from __future__ import annotations

import re
import typing as t

import pytest

from tests.catalog.payloads import product
from tests.web.conftest import PageProblems
from tests.web.live import LiveServer
from tests.web.live import sign_in_page

pytestmark = pytest.mark.browser

LONG_NAME = (
    "Шығыс Қазақстан облысының таулы аймақтарында жиналған табиғи таза ақ бал,"
    " шыны құмырада, жеті жүз елу грамм"
)


def _honey(live_server: LiveServer) -> int:
    client = live_server.app.test_client()
    content = {"ru": {"name": "Мёд горный 750 г", "description": "Горный мёд.", "highlights": []}}
    body = product(sku="BR-HONEY-750", source_locale="ru", content=content, barcode=None)
    made = client.post(
        "/api/v1/products", json=body, headers={"Authorization": f"Bearer {live_server.tokens['olga']}"}
    )
    assert made.status_code == 201, made.json
    return int(made.json["id"])


def test_a_long_kazakh_name_is_flagged_with_a_preview_while_typing(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    honey = _honey(live_server)
    page = new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    sign_in_page(page, live_server.url, "dana", r"/translate$")
    page.goto(f"{live_server.url}/translate/{honey}/kk")

    name = page.locator("#name")
    name.press_sequentially("Тау балы 750 г")
    warning = page.locator("#name-fit")
    section = page.locator("#card-fit")
    expect(section).to_be_hidden()
    name.press_sequentially(" " + LONG_NAME, delay=1)
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("name is cut short on the portrait card")
    expect(name).to_have_attribute("aria-describedby", "name-fit")
    expect(section.locator("li[data-field=name]")).to_have_count(2)
    preview = page.locator("#card-fit-preview")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("src", re.compile(r"^blob:"))
    page.wait_for_function("document.getElementById('card-fit-preview').naturalWidth === 1080")

    name.fill("Тау балы 750 г")
    expect(warning).to_be_hidden()
    expect(section).to_be_hidden()
    problems.assert_none()
