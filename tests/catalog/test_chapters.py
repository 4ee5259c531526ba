"""Shoppable replays: an http(s) replay address, and chapters from the cursor timeline as JSON and WebVTT."""

from __future__ import annotations

import re
import typing as t

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import Stream
from catalog.models import StreamMove
from tests.catalog.test_streams_helpers import add_product
from tests.catalog.test_streams_helpers import in_hours
from tests.catalog.test_streams_helpers import live_stream
from tests.catalog.test_streams_helpers import move
from tests.catalog.test_streams_helpers import put_lineup
from tests.catalog.test_streams_helpers import schedule
from tests.catalog.test_streams_helpers import set_rate
from tests.conftest import Tokens

CUE_TIMES = re.compile(r"^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$")


def patch_stream(client: FlaskClient, tokens: Tokens, stream_id: int, body: dict[str, t.Any]) -> t.Any:
    etag = client.get(f"/api/v1/streams/{stream_id}").headers["ETag"]
    return client.patch(
        f"/api/v1/streams/{stream_id}", json=body, headers=tokens.headers("host", **{"If-Match": etag})
    )


@pytest.mark.parametrize(
    "address",
    ["ftp://video.example.com/show.mp4", "javascript:alert(1)", "https:///no-host.m3u8", "show.mp4", 7],
)
def test_a_replay_address_must_be_http_or_https(client: FlaskClient, tokens: Tokens, address: object) -> None:
    stream_id = schedule(client, tokens).json["id"]
    response = patch_stream(client, tokens, stream_id, {"replay_url": address})
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["replay_url"]
    assert client.get(f"/api/v1/streams/{stream_id}").json["replay_url"] is None


def test_the_host_sets_the_replay_address(client: FlaskClient, tokens: Tokens) -> None:
    stream_id = schedule(client, tokens).json["id"]
    address = "https://video.example.com/shows/12/index.m3u8"
    response = patch_stream(client, tokens, stream_id, {"replay_url": address})
    assert response.status_code == 200, response.json
    assert client.get(f"/api/v1/streams/{stream_id}").json["replay_url"] == address


def test_a_stream_that_has_not_started_has_no_chapters(client: FlaskClient, tokens: Tokens) -> None:
    stream_id = schedule(client, tokens).json["id"]
    assert client.get(f"/api/v1/streams/{stream_id}/chapters").status_code == 409
    assert client.get(f"/api/v1/streams/{stream_id}/chapters.vtt").status_code == 409
    assert client.get("/api/v1/streams/999/chapters").status_code == 404


def test_chapters_follow_the_moves_with_the_display_delay(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, _ids = live_stream(client, tokens, 3, display_delay_seconds=30)
    for action, position in (("next", None), ("next", None), ("pin", 1), ("unpin", None)):
        assert move(client, tokens, stream_id, action, position).status_code == 200
    found = client.get(f"/api/v1/streams/{stream_id}/chapters?locale=ru").json
    items = found["items"]
    assert [c["kind"] for c in items] == ["next", "next", "pin"]  # unpin keeps the same card
    assert [c["number"] for c in items] == [1, 2, 1]
    assert items[0]["title"] == "#1 Мука пшеничная высший сорт"
    with app.app_context():
        session = get_session()
        started = session.get(Stream, stream_id).started_at  # type: ignore[union-attr]
        moments = list(
            session.scalars(
                sa.select(StreamMove.at)
                .where(StreamMove.stream_id == stream_id, StreamMove.action != "unpin")
                .order_by(StreamMove.id)
            )
        )
    assert started is not None
    expected = [(at - started).total_seconds() + 30 for at in moments]
    assert [c["start"] for c in items] == pytest.approx(expected, abs=0.002)
    assert [c["end"] for c in items[:-1]] == [c["start"] for c in items[1:]]
    assert items[-1]["end"] >= items[-1]["start"]


def test_flash_sales_started_and_ended_on_air_are_chapters(client: FlaskClient, tokens: Tokens) -> None:
    set_rate(client, tokens)
    product_id = add_product(client, tokens, "FLASH-CH-01")
    stream_id = schedule(client, tokens).json["id"]
    flash = {"amount": "1.00", "starts_at": in_hours(1), "ends_at": in_hours(2)}
    assert (
        put_lineup(
            client, tokens, stream_id, {"items": [{"product_id": product_id, "flash": flash}]}
        ).status_code
        == 200
    )
    host = tokens.headers("host")
    assert client.post(f"/api/v1/streams/{stream_id}/start", headers=host).status_code == 200
    move(client, tokens, stream_id, "next")
    assert (
        client.post(f"/api/v1/streams/{stream_id}/flash", json={"on": True}, headers=host).status_code == 200
    )
    assert (
        client.post(f"/api/v1/streams/{stream_id}/flash", json={"on": False}, headers=host).status_code == 200
    )
    items = client.get(f"/api/v1/streams/{stream_id}/chapters?locale=en").json["items"]
    assert [c["kind"] for c in items] == ["next", "flash_start", "flash_end"]
    assert items[1]["title"].startswith("Flash price: #1 ")
    assert {c["sku"] for c in items} == {"FLASH-CH-01"}


def test_the_webvtt_file_has_a_cue_per_chapter(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, _ids = live_stream(client, tokens, 2)
    move(client, tokens, stream_id, "next")
    move(client, tokens, stream_id, "next")
    chapters = client.get(f"/api/v1/streams/{stream_id}/chapters?locale=ru").json["items"]
    response = client.get(f"/api/v1/streams/{stream_id}/chapters.vtt?locale=ru")
    assert response.status_code == 200
    assert response.mimetype == "text/vtt"
    blocks = response.get_data(as_text=True).strip().split("\n\n")
    assert blocks[0] == "WEBVTT"
    cues = [block.split("\n") for block in blocks[1:]]
    assert [cue[0] for cue in cues] == ["1", "2"]
    assert all(CUE_TIMES.match(cue[1]) for cue in cues)
    assert [cue[2] for cue in cues] == [c["title"] for c in chapters]
