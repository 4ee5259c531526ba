"""A translator in Chromium takes a suggestion from the memory and sees the checks of the saved draft."""

from __future__ import annotations

import re
import typing as t

import pytest

from tests.catalog.payloads import product
from tests.web.conftest import PageProblems
from tests.web.live import STAFF_PASSWORD
from tests.web.live import LiveServer

pytestmark = pytest.mark.browser


def _bearer(live_server: LiveServer, name: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {live_server.tokens[name]}", **headers}


def _honey(live_server: LiveServer, sku: str, name: str) -> int:
    client = live_server.app.test_client()
    content = {"ru": {"name": name, "description": "Горный мёд.", "highlights": []}}
    body = product(sku=sku, source_locale="ru", content=content, barcode=None)
    made = client.post("/api/v1/products", json=body, headers=_bearer(live_server, "olga"))
    assert made.status_code == 201, made.json
    return int(made.json["id"])


def _reviewed_kazakh(live_server: LiveServer, product_id: int, name: str) -> None:
    client = live_server.app.test_client()
    etag = client.get(f"/api/v1/products/{product_id}").headers["ETag"]
    text = {"name": name, "description": "Тау балы.", "highlights": []}
    url = f"/api/v1/products/{product_id}/content/kk"
    saved = client.put(url, json=text, headers=_bearer(live_server, "dana", **{"If-Match": etag}))
    assert saved.status_code == 200, saved.json
    assert client.post(url + "/review", headers=_bearer(live_server, "olga")).status_code == 200


def test_translator_inserts_a_suggestion_and_sees_the_checks_of_the_draft(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    remembered = _honey(live_server, "BR-HONEY-500", "Мёд горный 500 г")
    _reviewed_kazakh(live_server, remembered, "Тау балы 500 г")
    wanted = _honey(live_server, "BR-HONEY-250", "Мёд горный 250 г")

    page = new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/signin")
    page.locator("#name").fill("dana")
    page.locator("#password").fill(STAFF_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(re.compile(r"/translate$"))
    page.goto(f"{live_server.url}/translate/{wanted}/kk")

    suggestion = page.locator("li.memory-suggestion[data-field=name]").first
    expect(suggestion).to_contain_text("Тау балы 500 г")
    expect(suggestion).to_contain_text("75% similar")
    expect(suggestion.locator("del")).to_have_text("500")
    expect(suggestion.locator("ins")).to_have_text("250")
    suggestion.get_by_role("button", name="Insert").click()
    name = page.locator("#name")
    expect(name).to_have_value("Тау балы 500 г")
    expect(name).to_be_focused()

    name.fill("Тау бaлы 500 г")  # a Latin "a", and the weight of the other jar
    page.locator("#description").fill("Тау балы.")
    page.keyboard.press("Control+s")
    expect(page.get_by_role("status").first).to_contain_text("is saved")
    checks = page.locator("#quality-checks li.check")
    expect(page.locator("#quality-checks li[data-check=mixed-script]")).to_contain_text("балы")
    expect(page.locator("#quality-checks li[data-check=numbers]")).to_have_count(2)
    expect(checks).to_have_count(3)
    problems.assert_none()
