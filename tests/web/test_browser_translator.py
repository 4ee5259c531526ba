"""A translator in Chromium: the queue's progress, the side-by-side editor and its shortcuts."""

from __future__ import annotations

import re
import typing as t

import pytest

from tests.web.conftest import PageProblems
from tests.web.live import STAFF_PASSWORD
from tests.web.live import LiveServer
from tests.web.test_accessibility import AUDIT

pytestmark = pytest.mark.browser


def test_translator_copies_the_source_saves_with_the_keyboard_and_moves_on(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    page = new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/signin")
    page.locator("#name").fill("dana")
    page.locator("#password").fill(STAFF_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(re.compile(r"/translate$"))
    expect(page.locator("#progress-kk")).to_be_visible()
    assert page.evaluate(AUDIT) == []
    page.check("input[name=state][value=reviewed]")
    page.check("input[name=state][value=draft]")
    page.get_by_role("button", name="Show").click()
    page.locator("table.queue tbody a").first.click()
    page.wait_for_url(re.compile(r"/translate/\d+/kk$"))
    assert page.evaluate(AUDIT) == []

    name = page.locator("#name")
    name.fill("")
    name.focus()
    page.keyboard.press("Alt+c")
    expect(name).to_have_value(page.locator("[data-source=name]").inner_text())
    name.fill("Ақбидай ұны, 2 кг")
    page.keyboard.press("Control+s")
    expect(page.get_by_role("status").first).to_contain_text("is saved")
    expect(page.locator("#name")).to_have_value("Ақбидай ұны, 2 кг")
    expect(page.locator("ol.history li").first).to_contain_text("dana")

    here = page.url
    page.keyboard.press("Alt+n")
    page.wait_for_url(lambda url: url != here and re.search(r"/translate/\d+/kk$", url) is not None)
    problems.assert_none()
