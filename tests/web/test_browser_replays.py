"""A viewer's request reaches the host's queue; the replay page seeks its player to a chapter's moment
(a short WebM made here, served from another origin as a recording would be)."""

from __future__ import annotations

import datetime as dt
import threading
import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask import send_file
from flask.typing import ResponseReturnValue
from werkzeug.serving import make_server

from catalog.db import get_session
from catalog.models import Stream
from catalog.models import StreamMove
from tests.support.webm import make_webm
from tests.web.conftest import PageProblems
from tests.web.live import LiveServer
from tests.web.live import make_show
from tests.web.live import move_on_air
from tests.web.test_accessibility import AUDIT
from tests.web.test_browser_host import _sign_in

pytestmark = pytest.mark.browser
SECONDS = 6
#: When each card went on air, in seconds from the show's start (the show has no display delay).
ON_AIR = (1.0, 3.0, 4.5)


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[str]:
    """The URL of a short WebM on a server of its own (another origin, as a video host would be)."""
    path = tmp_path_factory.mktemp("recording") / "show.webm"
    path.write_bytes(make_webm(seconds=SECONDS))
    media = Flask("recordings")

    @media.get("/show.webm")
    def video() -> ResponseReturnValue:
        return send_file(Path(path), mimetype="video/webm", conditional=True)

    server = make_server("127.0.0.1", 0, media, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="recordings", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/show.webm"
    server.shutdown()
    thread.join(timeout=10)


def recorded_show(app: Flask, replay_url: str) -> int:
    """A show whose three cards went on air at :data:`ON_AIR`, with *replay_url* as its recording."""
    stream_id = make_show(app, products=3)
    for _ in ON_AIR:
        move_on_air(app, stream_id)
    with app.app_context():
        session = get_session()
        stream = session.get(Stream, stream_id)
        assert stream is not None and stream.started_at is not None
        stream.replay_url = replay_url
        moves = session.scalars(
            sa.select(StreamMove).where(StreamMove.stream_id == stream_id).order_by(StreamMove.id)
        )
        for row, seconds in zip(moves, ON_AIR, strict=True):
            row.at = stream.started_at + dt.timedelta(seconds=seconds)
        session.commit()
    return stream_id


def test_a_viewers_request_appears_in_the_hosts_queue(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    stream_id = make_show(live_server.app)
    move_on_air(live_server.app, stream_id)
    console = new_page(viewport={"width": 1440, "height": 1000}, locale="ru-RU")
    _sign_in(console, live_server.url, stream_id)
    expect(console.locator("#requests-empty")).to_be_visible()
    viewer = new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    viewer.goto(f"{live_server.url}/shows/{stream_id}?locale=zh")
    viewer.locator("#ask-q").fill("зефир")  # Russian, typed on the Chinese page
    found = viewer.locator("#ask-results li", has_text="白塔 巧克力香草棉花糖")
    found.get_by_role("button").click()
    expect(viewer.locator("#ask-message")).to_have_text("已发送：主播会看到您的请求。")
    assert viewer.evaluate(AUDIT) == []

    asked = console.locator("#requests-list li.request-item")
    expect(asked).to_have_count(1)
    expect(asked.locator(".name")).to_have_text("Зефир ванильный в шоколаде «Белая Вежа», 250 г")
    expect(asked.locator(".request-count")).to_have_text("×1")
    expect(console.locator("#requests-empty")).to_be_hidden()
    asked.get_by_role("button").click()  # Show next
    lineup = console.locator("#lineup li.lineup-item")
    expect(lineup).to_have_count(6)
    expect(lineup.nth(1)).to_contain_text("Зефир ванильный")  # right after the card on air
    expect(asked.locator(".on-sheet")).to_be_visible()
    problems.assert_none()


def test_the_replay_page_jumps_to_a_chapters_moment(
    live_server: LiveServer, recording: str, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    stream_id = recorded_show(live_server.app, recording)
    page = new_page(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page.goto(f"{live_server.url}/shows/{stream_id}/replay?locale=ru")
    player = page.locator("#replay-video")
    page.wait_for_function("video => video.readyState >= 1", arg=player.element_handle())
    assert player.evaluate("video => [Math.round(video.duration), video.videoWidth, video.error]") == [
        SECONDS,
        160,
        None,
    ]
    chapters = page.locator("#chapters [data-seek]")
    expect(chapters).to_have_count(3)
    assert [float(chapters.nth(i).get_attribute("data-seek") or "nan") for i in range(3)] == list(ON_AIR)

    def played_from(start: float) -> float:
        page.wait_for_function(
            "([video, start]) => !video.seeking && video.currentTime >= start - 0.05",
            arg=[player.element_handle(), start],
        )
        return float(player.evaluate("video => video.currentTime"))

    chapters.nth(2).click()
    assert ON_AIR[2] - 0.05 <= played_from(ON_AIR[2]) <= SECONDS
    expect(chapters.nth(2)).to_have_attribute("aria-current", "true")
    assert page.url.endswith("#t=4")
    page.locator("#replay-products [data-seek]").first.click()  # "watch from 0:01", back to the first card
    page.wait_for_function("video => video.currentTime < 3", arg=player.element_handle())
    assert ON_AIR[0] - 0.05 <= played_from(ON_AIR[0]) < ON_AIR[1] + 1.5
    assert page.evaluate(AUDIT) == []
    problems.assert_none()


def test_a_recording_the_browser_cannot_play_points_to_the_file(
    live_server: LiveServer, recording: str, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    from playwright.sync_api import expect

    missing = recording.replace("show.webm", "gone.webm")
    stream_id = recorded_show(live_server.app, missing)
    page = new_page(locale="en-US")
    page.goto(f"{live_server.url}/shows/{stream_id}/replay?locale=en", wait_until="domcontentloaded")
    expect(page.locator("#replay-unplayable")).to_be_visible()
    expect(page.locator("figcaption a")).to_have_attribute("href", missing)
    problems.assert_none("404")
