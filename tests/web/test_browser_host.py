"""A host moves through a run-sheet with the keyboard while the OBS overlay follows within a second."""

from __future__ import annotations

import re
import typing as t

import pytest

from tests.web.conftest import PageProblems
from tests.web.live import SCREENSHOTS
from tests.web.live import STAFF_PASSWORD
from tests.web.live import LiveServer
from tests.web.live import make_show
from tests.web.live import move_on_air
from tests.web.live import want_screenshots
from tests.web.test_accessibility import AUDIT

pytestmark = pytest.mark.browser
WITHIN_A_SECOND = 1000  # ms: the overlay must show each card this soon after the move


def _sign_in(page: t.Any, base: str, stream_id: int) -> None:
    page.goto(f"{base}/host/streams/{stream_id}?locale=ru")
    page.wait_for_url(re.compile(r"/signin"))
    page.locator("#name").fill("aigerim")
    page.locator("#password").fill(STAFF_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/host/streams/{stream_id}"))


def test_host_moves_with_the_keyboard_and_the_overlay_follows(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    stream_id = make_show(live_server.app)
    overlay = new_page(viewport={"width": 1920, "height": 1080})
    overlay.goto(f"{live_server.url}/overlay/streams/{stream_id}?layout=landscape&locale=ru")
    watcher = new_page(viewport={"width": 390, "height": 844}, locale="ru-RU")
    watcher.goto(f"{live_server.url}/shows/{stream_id}")
    console = new_page(viewport={"width": 1440, "height": 1000}, locale="ru-RU")
    _sign_in(console, live_server.url, stream_id)
    lineup = console.locator("#lineup li.lineup-item")
    expect(lineup).to_have_count(5)
    assert console.evaluate(AUDIT) == []
    ids = [lineup.nth(i).get_attribute("data-item-id") for i in range(5)]
    assert all(ids)
    card = overlay.locator("#card")
    on_air = console.locator("#on-air-card")

    def expect_on_air(position: int) -> None:
        expect(on_air).to_have_attribute("data-position", str(position))
        expect(card).to_have_attribute("data-position", str(position), timeout=WITHIN_A_SECOND)
        expect(card).to_be_visible(timeout=WITHIN_A_SECOND)

    console.keyboard.press("ArrowRight")
    expect_on_air(1)
    console.keyboard.press("ArrowRight")
    expect_on_air(2)
    expect(console.locator("#next-card")).to_have_attribute("data-position", "3")
    console.keyboard.press("ArrowLeft")
    expect_on_air(1)
    expect(watcher.locator("#card")).to_have_attribute("data-position", "1")  # a viewer's page follows too
    expect(watcher.locator("#card-product-link")).to_have_attribute("href", re.compile(r"/products/\d+$"))
    console.keyboard.type("4")
    expect(console.locator("#jump")).not_to_be_empty()
    console.keyboard.press("Enter")
    expect_on_air(4)
    expect(card.locator(".name")).to_have_text(console.locator("#on-air-card .name").inner_text())

    console.keyboard.press("p")
    expect(console.locator("#pin-badge")).to_be_visible()
    console.keyboard.press("ArrowRight")
    # the server's message, in the console's language (English, or Russian once chosen)
    expect(console.locator("#message")).to_contain_text(re.compile("pinned|закреплена"))
    console.keyboard.press("p")
    expect(console.locator("#pin-badge")).to_be_hidden()

    console.keyboard.press("/")
    expect(console.locator("#find-q")).to_be_focused()
    console.keyboard.type("мёд")
    expect(console.locator("#find-results button").first).to_be_visible()
    console.keyboard.press("Enter")
    expect(lineup).to_have_count(6)
    expect(lineup.nth(4)).not_to_have_attribute(
        "data-item-id", ids[4] or ""
    )  # inserted after the card on air

    # Drag and drop, as the browser reports it to the page (a synthetic gesture is timing-sensitive).
    source, target = lineup.nth(0), lineup.nth(2)
    first_id = source.get_attribute("data-item-id")
    carried = console.evaluate_handle("() => new DataTransfer()")
    source.dispatch_event("dragstart", {"dataTransfer": carried})
    target.dispatch_event("dragover", {"dataTransfer": carried})
    target.dispatch_event("drop", {"dataTransfer": carried})
    expect(lineup.nth(2)).to_have_attribute("data-item-id", first_id or "")
    expect(console.locator("#on-air-card")).to_have_attribute("data-position", "4")
    lineup.nth(2).focus()
    console.keyboard.press("Alt+ArrowUp")  # the same move from the keyboard, back up one place
    expect(lineup.nth(1)).to_have_attribute("data-item-id", first_id or "")
    expect(lineup.nth(1)).to_be_focused()

    console.keyboard.press("ArrowRight")
    expect_on_air(5)
    expect(console.locator("#clocks li")).to_have_count(4)  # the studio, Moscow, Almaty, Shanghai
    if want_screenshots():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        console.screenshot(path=str(SCREENSHOTS / "host-console.png"))
        overlay.screenshot(path=str(SCREENSHOTS / "overlay.png"), omit_background=True)

    console.context.set_offline(True)
    expect(console.locator("#connection")).to_be_visible()
    console.context.set_offline(False)
    expect(console.locator("#connection")).to_be_hidden(timeout=5000)
    problems.assert_none("status of 409", "ERR_INTERNET_DISCONNECTED", "net::ERR")


def test_overlay_page_is_transparent_fixed_and_may_be_framed(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    stream_id = make_show(live_server.app, products=2, live=False)
    page = new_page(viewport={"width": 1080, "height": 1920})
    response = page.goto(f"{live_server.url}/overlay/streams/{stream_id}?layout=portrait")
    assert response is not None
    assert "frame-ancestors" not in response.headers["content-security-policy"]
    size = page.evaluate(
        "() => [document.body.scrollWidth, document.body.scrollHeight,"
        " getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).overflow]"
    )
    assert size == [1080, 1920, "rgba(0, 0, 0, 0)", "hidden"]
    problems.assert_none()


def test_overlay_keeps_the_display_delay(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    stream_id = make_show(live_server.app, products=2, delay_seconds=2)
    overlay = new_page(viewport={"width": 1920, "height": 1080})
    overlay.goto(f"{live_server.url}/overlay/streams/{stream_id}?layout=landscape")
    overlay.wait_for_timeout(300)  # connected, nothing on air yet
    move_on_air(live_server.app, stream_id)
    card = overlay.locator("#card")
    overlay.wait_for_timeout(1000)
    expect(card).to_be_hidden(timeout=1)  # viewers are 2 s behind: the card waits for them
    expect(card).to_have_attribute("data-position", "1", timeout=3000)
    expect(card).to_be_visible()
    problems.assert_none()


def test_overlay_reconnects_by_itself_when_the_server_refuses(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    stream_id = make_show(live_server.app, products=2)
    move_on_air(live_server.app, stream_id)
    overlay = new_page(viewport={"width": 1920, "height": 1080})
    attempts: list[str] = []

    def refuse_first(route: t.Any) -> None:
        attempts.append(route.request.url)
        if len(attempts) == 1:
            route.fulfill(status=503, body="busy", headers={"Retry-After": "1"})
        else:
            route.continue_()

    overlay.route(re.compile(r"/api/v1/streams/\d+/events"), refuse_first)
    overlay.goto(f"{live_server.url}/overlay/streams/{stream_id}?layout=landscape")
    expect(overlay.locator("#card")).to_have_attribute("data-position", "1", timeout=5000)
    assert len(attempts) >= 2
    problems.assert_none("status of 503")
