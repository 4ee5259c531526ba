"""The host's console shows go-live readiness and redraws it when a translator's text is reviewed."""

from __future__ import annotations

import re
import typing as t

import pytest

from tests.web.conftest import PageProblems
from tests.web.live import STAFF_PASSWORD
from tests.web.live import LiveServer
from tests.web.live import make_show
from tests.web.test_accessibility import AUDIT

pytestmark = pytest.mark.browser


def test_the_host_sees_readiness_change_when_a_translator_text_is_reviewed(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    stream_id = make_show(live_server.app, products=1, live=False)
    api = live_server.app.test_client()
    stream = api.get(f"/api/v1/streams/{stream_id}").get_json()
    product_id = stream["lineup"][0]["product_id"]

    console = new_page(viewport={"width": 1440, "height": 1000}, locale="en-US")
    console.goto(f"{live_server.url}/host/streams/{stream_id}?locale=en")
    console.wait_for_url(re.compile(r"/signin"))
    console.locator("#name").fill("aigerim")
    console.locator("#password").fill(STAFF_PASSWORD)
    console.locator("form.stacked button[type=submit]").click()
    console.wait_for_url(re.compile(rf"/host/streams/{stream_id}"))
    unreviewed_kk = console.locator('#readiness li[data-code="text_unreviewed"][data-locale="kk"]')
    expect(unreviewed_kk).to_have_text("The kk text is not reviewed.")
    assert console.evaluate(AUDIT) == []

    translator = {"Authorization": f"Bearer {live_server.tokens['dana']}"}
    current = api.get(f"/api/v1/products/{product_id}/content/kk", headers=translator)
    text = current.get_json()["text"]
    saved = api.put(
        f"/api/v1/products/{product_id}/content/kk",
        json={
            "name": text["name"],
            "description": text["description"],
            "highlights": [*text["highlights"][:4], "Эфирге дайын"],
        },
        headers={**translator, "If-Match": current.headers["ETag"]},
    )
    assert saved.status_code == 200, saved.get_json()
    expect(unreviewed_kk).to_have_count(1)  # a new draft is not reviewed either
    revision = saved.get_json()["translation"]["revision"]
    reviewed = api.post(
        f"/api/v1/products/{product_id}/content/kk/review",
        json={"revision": revision},
        headers={"Authorization": f"Bearer {live_server.tokens['olga']}"},
    )
    assert reviewed.status_code == 200, reviewed.get_json()
    expect(unreviewed_kk).to_have_count(0, timeout=3000)  # pushed to the console, no reload
    expect(console.locator('#readiness li[data-code="text_unreviewed"][data-locale="ru"]')).to_have_count(1)
    problems.assert_none()
