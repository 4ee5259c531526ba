"""An editor in Chromium reviews the Kazakh drafts of one show from the keyboard."""

from __future__ import annotations

import typing as t

import pytest

from tests.catalog.payloads import product
from tests.catalog.test_streams_helpers import STREAM
from tests.web.conftest import PageProblems
from tests.web.live import LiveServer
from tests.web.live import sign_in_page

pytestmark = pytest.mark.browser


def _bearer(live_server: LiveServer, name: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {live_server.tokens[name]}", **headers}


def _kazakh_draft(live_server: LiveServer, sku: str, name: str) -> int:
    """A product whose Kazakh text the translator dana saved as a draft."""
    client = live_server.app.test_client()
    content = {"ru": {"name": "Мёд горный", "description": "Горный мёд.", "highlights": []}}
    made = client.post(
        "/api/v1/products",
        json=product(sku=sku, source_locale="ru", content=content, barcode=None),
        headers=_bearer(live_server, "olga"),
    )
    assert made.status_code == 201, made.json
    product_id = int(made.json["id"])
    saved = client.put(
        f"/api/v1/products/{product_id}/content/kk",
        json={"name": name, "description": "Тау балы.", "highlights": []},
        headers=_bearer(live_server, "dana", **{"If-Match": made.headers["ETag"]}),
    )
    assert saved.status_code == 200, saved.json
    return product_id


def _show(live_server: LiveServer, product_ids: list[int]) -> int:
    client = live_server.app.test_client()
    made = client.post("/api/v1/streams", json=STREAM, headers=_bearer(live_server, "aigerim"))
    assert made.status_code == 201, made.json
    lineup = client.put(
        f"/api/v1/streams/{made.json['id']}/lineup",
        json={"product_ids": product_ids},
        headers=_bearer(live_server, "aigerim", **{"If-Match": made.headers["ETag"]}),
    )
    assert lineup.status_code == 200, lineup.json
    return int(made.json["id"])


def _state(live_server: LiveServer, product_id: int) -> str:
    client = live_server.app.test_client()
    text = client.get(f"/api/v1/products/{product_id}/content/kk", headers=_bearer(live_server, "olga"))
    return str(text.json["state"])


def test_an_editor_approves_and_sends_back_drafts_with_keyboard_shortcuts(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    good = _kazakh_draft(live_server, "BR-REVIEW-1", "Тау балы")
    mixed = _kazakh_draft(live_server, "BR-REVIEW-2", "Тау бaлы")  # a Latin "a"
    show = _show(live_server, [good, mixed])

    page = new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    sign_in_page(page, live_server.url, "olga", r"/staff/")
    page.goto(f"{live_server.url}/translate/review?locale=kk&stream={show}")

    first, second = page.locator(f"#entry-{good}"), page.locator(f"#entry-{mixed}")
    expect(page.locator(".review-entry")).to_have_count(2)
    expect(second.locator("li[data-check=mixed-script]")).to_contain_text("бaлы")
    expect(first).to_be_focused()
    page.keyboard.press("a")
    expect(first.locator(".review-result")).to_have_text("Approved.")
    expect(second).to_be_focused()
    page.keyboard.press("a")  # it fails an error check: the first press only warns
    warning = page.locator("#review-entries").get_attribute("data-label-confirm")
    assert warning and "A" in warning
    expect(second.locator(".review-result")).to_have_text(warning)
    page.keyboard.press("r")
    note = second.locator("textarea.reject-note")
    expect(note).to_be_focused()
    note.fill("Латын a әрпі: «бaлы»")
    page.keyboard.press("Enter")
    expect(second.locator(".review-result")).to_have_text("Sent back with your comment.")

    assert (_state(live_server, good), _state(live_server, mixed)) == ("reviewed", "draft")
    page.reload()
    expect(page.locator(".review-entry")).to_have_count(1)
    expect(page.locator(f"#entry-{mixed} .notice")).to_contain_text("olga")
    expect(page.locator(f"#entry-{mixed} .notice")).to_contain_text("Латын a әрпі: «бaлы»")
    problems.assert_none()
