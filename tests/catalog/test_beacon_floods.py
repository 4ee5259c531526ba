"""Floods of analytics beacons from one client are refused with 429, and hold nothing else back."""

from __future__ import annotations

import typing as t

import pytest
from flask.testing import FlaskClient

from tests.catalog.test_stream_analytics import beacon
from tests.catalog.test_streams_helpers import live_stream
from tests.conftest import Tokens


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "ANALYTICS_BEACONS_PER_MINUTE": 5}


def test_a_flood_from_one_client_gets_429_and_the_cursor_still_moves(
    client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, (first, *_rest) = live_stream(client, tokens, count=2)
    answers = [beacon(client, stream_id, "want", first).status_code for _ in range(8)]
    assert answers == [202] * 5 + [429] * 3
    refused = beacon(client, stream_id, "want", first)
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.mimetype == "application/problem+json"
    other = client.post(
        f"/api/v1/streams/{stream_id}/beacons",
        json={"kind": "want", "product_id": first, "locale": "ru"},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert other.status_code == 202  # another client is not held back
    moved = client.post(
        f"/api/v1/streams/{stream_id}/cursor", json={"action": "next"}, headers=tokens.headers("host")
    )
    assert moved.status_code == 200
    counts = client.get(f"/api/v1/streams/{stream_id}/analytics", headers=tokens.headers("host")).json
    assert counts["totals"]["wants"] == 6  # the refused ones were not counted


def test_a_flood_of_search_clicks_gets_429_and_searches_still_answer(
    client: FlaskClient, tokens: Tokens
) -> None:
    _stream_id, (first, *_rest) = live_stream(client, tokens, count=1)
    click = {"q": "мука", "locale": "ru", "position": 1, "product_id": first}
    answers = [client.post("/api/v1/search/clicks", json=click).status_code for _ in range(7)]
    assert answers == [202] * 5 + [429] * 2
    assert client.get("/api/v1/search?q=мука&locale=ru").status_code == 200
    report = client.get("/api/v1/search/analytics?locale=ru", headers=tokens.headers("editor")).json
    assert report["clicks"] == 5
