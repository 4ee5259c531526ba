"""A viewer's "want" tap on the show page reaches the host console's live analytics panel."""

from __future__ import annotations

import re
import typing as t

import pytest

from tests.web.conftest import PageProblems
from tests.web.live import STAFF_PASSWORD
from tests.web.live import LiveServer
from tests.web.live import make_show

pytestmark = pytest.mark.browser


def test_a_want_tap_shows_in_the_host_console(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    stream_id = make_show(live_server.app, products=2)
    api = live_server.app.test_client()
    host = {"Authorization": f"Bearer {live_server.tokens['aigerim']}"}
    moved = api.post(f"/api/v1/streams/{stream_id}/cursor", json={"action": "next"}, headers=host)
    assert moved.status_code == 200, moved.get_json()
    on_air = moved.get_json()["card"]["product"]["id"]
    config = live_server.app.config
    polling, config["ANALYTICS_PANEL_SECONDS"] = config["ANALYTICS_PANEL_SECONDS"], 0.3
    try:
        console = new_page(viewport={"width": 1440, "height": 1000}, locale="en-US")
        console.goto(f"{live_server.url}/host/streams/{stream_id}?locale=en")
        console.wait_for_url(re.compile(r"/signin"))
        console.locator("#name").fill("aigerim")
        console.locator("#password").fill(STAFF_PASSWORD)
        console.locator("form.stacked button[type=submit]").click()
        console.wait_for_url(re.compile(rf"/host/streams/{stream_id}"))
        wants = console.locator('#analytics-locales tr[data-locale="kk"] td[data-count="wants"]')
        expect(console.locator("#analytics-locales")).to_contain_text("No views or wants yet.")

        viewer = new_page(viewport={"width": 390, "height": 844}, locale="kk-KZ")
        viewer.goto(f"{live_server.url}/shows/{stream_id}?locale=kk")
        expect(viewer.locator("#card")).to_have_attribute("data-product-id", str(on_air))
        viewer.locator("#want").click()
        expect(viewer.locator("#want-status")).not_to_be_empty()

        expect(wants).to_have_text("1")
        views = console.locator('#analytics-locales tr[data-locale="kk"] td[data-count="views"]')
        expect(views).to_have_text("1")  # the card was seen once before the tap
        expect(console.locator(f'#analytics-wanted li[data-product-id="{on_air}"]')).to_contain_text("· 1")
    finally:
        config["ANALYTICS_PANEL_SECONDS"] = polling
    problems.assert_none()
