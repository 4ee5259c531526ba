"""The replay page of a show (player, chapters, products; every locale) and "seen in" on product pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import Stream
from catalog.models import StreamMove
from tests.catalog.test_chapters import patch_stream
from tests.catalog.test_streams_helpers import live_stream
from tests.catalog.test_streams_helpers import move
from tests.catalog.test_streams_helpers import schedule
from tests.conftest import Tokens
from translations.locales import READING_LOCALES
from translations.locales import to_latin

TITLE = {"en": "Kazakh pantry night", "ru": "Вечер казахстанских продуктов"}
RECORDING = "https://video.example.com/shows/pantry.webm"
#: What the replay page of a show without a recording says, as a reader of each locale reads it.
NO_REPLAY = {
    "zh": "本场直播暂无回放，请在直播结束后再来。",
    "ru": "Записи этого эфира пока нет. Загляните после эфира.",
    "kk": "Бұл эфирдің жазбасы әлі жоқ. Эфирден кейін қайта келіңіз.",
    "kk-Latn": to_latin("Бұл эфирдің жазбасы әлі жоқ. Эфирден кейін қайта келіңіз."),
    "en": "There is no replay of this show yet. Come back after the show.",
    "uz": "Bu efirning yozuvi hali yoʻq. Efirdan keyin qayta keling.",
}


def timed_show(
    app: Flask, client: FlaskClient, tokens: Tokens, offsets: tuple[int, ...]
) -> tuple[int, list[int]]:
    """A live show (display delay 30 s) whose products went on air *offsets* seconds after it started."""
    stream_id, ids = live_stream(client, tokens, len(offsets), title=TITLE, display_delay_seconds=30)
    for _ in offsets:
        assert move(client, tokens, stream_id, "next").status_code == 200
    with app.app_context():
        session = get_session()
        started = session.get(Stream, stream_id).started_at  # type: ignore[union-attr]
        assert started is not None
        moves = session.scalars(
            sa.select(StreamMove).where(StreamMove.stream_id == stream_id).order_by(StreamMove.id)
        )
        for row, offset in zip(moves, offsets, strict=True):
            row.at = started + dt.timedelta(seconds=offset)
        session.commit()
    return stream_id, ids


def test_every_reading_locale_has_its_words() -> None:
    assert set(NO_REPLAY) == set(READING_LOCALES)


def test_an_unknown_show_has_no_replay_page(client: FlaskClient) -> None:
    response = client.get("/shows/999999/replay")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("locale", sorted(NO_REPLAY))
def test_a_show_without_a_recording_says_so_in_every_locale(
    client: FlaskClient, tokens: Tokens, locale: str
) -> None:
    stream_id = schedule(client, tokens).json["id"]
    response = client.get(f"/shows/{stream_id}/replay?locale={locale}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert NO_REPLAY[locale] in page
    assert "<video" not in page
    if locale != "en":
        for english in ("Chapters", "Products in this show", "Nothing has been on air in this show yet."):
            assert english not in page


def test_the_replay_page_plays_the_recording_with_its_chapters_and_products(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, ids = timed_show(app, client, tokens, (724, 3700))
    assert patch_stream(client, tokens, stream_id, {"replay_url": RECORDING}).status_code == 200
    response = client.get(f"/shows/{stream_id}/replay?locale=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'src="{RECORDING}"' in page
    assert f'src="/api/v1/streams/{stream_id}/chapters.vtt?locale=en"' in page
    # 724 s and 3700 s after the start, plus the 30 s display delay
    assert re.search(r'<a href="#t=754" data-seek="754(\.0)?"><time>12:34</time> #1 ', page)
    assert re.search(r'<a href="#t=3730" data-seek="3730(\.0)?"><time>1:02:10</time> #2 ', page)
    products = page.split('id="replay-products"', 1)[1]
    assert [int(found) for found in re.findall(r'data-product-id="(\d+)"', products)] == ids
    assert "Watch from 12:34" in products and "Watch from 1:02:10" in products
    policy = response.headers["Content-Security-Policy"]
    assert "media-src 'self' https://video.example.com;" in policy
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy


def test_a_recording_address_that_does_not_fit_a_policy_loads_nothing_foreign(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, _ids = live_stream(client, tokens, 1)
    odd = "https://user:pw@video.example.com/x.webm"  # an origin with credentials is not a plain source
    assert patch_stream(client, tokens, stream_id, {"replay_url": odd}).status_code == 200
    policy = client.get(f"/shows/{stream_id}/replay").headers["Content-Security-Policy"]
    assert "media-src 'self';" in policy


def test_a_product_page_says_in_which_show_it_was_seen_and_when(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, ids = timed_show(app, client, tokens, (724, 3700))
    page = client.get(f"/products/{ids[0]}?locale=en").get_data(as_text=True)
    link = f'<a href="/shows/{stream_id}/replay#t=754">Seen in Kazakh pantry night at 12:34</a>'
    assert link in page
    later = client.get(f"/products/{ids[1]}?locale=en").get_data(as_text=True)
    assert f'href="/shows/{stream_id}/replay#t=3730">Seen in Kazakh pantry night at 1:02:10<' in later


def test_a_product_never_on_air_lists_no_show(client: FlaskClient, tokens: Tokens) -> None:
    _stream_id, ids = live_stream(client, tokens, 1)
    page = client.get(f"/products/{ids[0]}?locale=en").get_data(as_text=True)
    assert "Seen in" not in page and "seen-in" not in page
