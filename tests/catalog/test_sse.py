"""Server-sent events through a real HTTP server on 127.0.0.1, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog import create_app
from catalog.freshness import notify_at_commit
from catalog.live.broadcaster import Broadcaster
from catalog.services import stream_events
from catalog.services.stream_events import Event
from tests.catalog.test_streams_helpers import SseReader
from tests.catalog.test_streams_helpers import add_product
from tests.catalog.test_streams_helpers import live_stream
from tests.catalog.test_streams_helpers import move
from tests.catalog.test_streams_helpers import put_lineup
from tests.catalog.test_streams_helpers import schedule
from tests.catalog.test_streams_helpers import serve
from tests.catalog.test_streams_helpers import set_rate
from tests.conftest import Tokens
from tests.support.notices import notices_in
from tests.support.postgres import ON_POSTGRESQL


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {
        **app_config,
        "SEARCH_SYNC_AFTER_REQUEST": False,
        "LIVE_HEARTBEAT_SECONDS": 0.3,
        "LIVE_POLL_SECONDS": 0.05,
        "LIVE_QUEUE_SIZE": 8,
    }


def _snapshot(reader: SseReader) -> dict[str, dict[str, t.Any]]:
    return {kind: reader.next_of(kind) for kind in ("status", "lineup", "card")}


def test_a_listener_gets_the_state_then_each_move(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    stream_id, ids = live_stream(client, tokens, 3)
    move(client, tokens, stream_id, "next")
    with serve(app) as base:
        reader = SseReader(base, f"/api/v1/streams/{stream_id}/events")
        assert reader.status == 200
        assert reader.headers["content-type"].startswith("text/event-stream")
        assert reader.headers["cache-control"] == "no-cache"
        state = _snapshot(reader)
        assert state["status"]["data"]["status"] == "live"
        assert [i["product_id"] for i in state["lineup"]["data"]["lineup"]] == ids
        assert state["card"]["data"]["position"] == 1
        moved = move(client, tokens, stream_id, "next").json
        event = reader.next_of("card")
        assert event["id"] > state["card"]["id"]
        assert event["data"] == moved
        put_lineup(client, tokens, stream_id, {"product_ids": list(reversed(ids))})
        lineup = reader.next_of("lineup")
        assert [i["product_id"] for i in lineup["data"]["lineup"]] == list(reversed(ids))
        followed = reader.next_of("card")  # the item on air stays, at its new position
        assert followed["id"] > lineup["id"]
        assert followed["data"]["position"] == 2 and followed["data"]["card"]["product"]["id"] == ids[1]
        client.post(f"/api/v1/streams/{stream_id}/end", headers=tokens.headers("host"))
        assert reader.next_of("status")["data"]["status"] == "ended"
        reader.close()


def test_a_reconnect_with_last_event_id_gets_what_it_missed(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, _ = live_stream(client, tokens, 4)
    with serve(app) as base:
        reader = SseReader(base, f"/api/v1/streams/{stream_id}/events")
        _snapshot(reader)
        move(client, tokens, stream_id, "next")
        seen = reader.next_of("card")["id"]
        reader.close()
        move(client, tokens, stream_id, "next")
        move(client, tokens, stream_id, "next")
        again = SseReader(base, f"/api/v1/streams/{stream_id}/events", {"Last-Event-ID": str(seen)})
        first, second = again.next_of("card"), again.next_of("card")
        assert seen < first["id"] < second["id"]
        assert [first["data"]["position"], second["data"]["position"]] == [2, 3]
        move(client, tokens, stream_id, "next")
        assert again.next_of("card")["data"]["position"] == 4
        again.close()
        stranger = SseReader(base, f"/api/v1/streams/{stream_id}/events", {"Last-Event-ID": "999999"})
        assert _snapshot(stranger)["card"]["data"]["position"] == 4  # an id never sent: the current state
        stranger.close()
        bad = SseReader(base, f"/api/v1/streams/{stream_id}/events", {"Last-Event-ID": "yesterday"})
        assert bad.status == 400
        bad.close()


def test_idle_streams_get_heartbeat_comments(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    stream_id, _ = live_stream(client, tokens, 1)
    with serve(app) as base:
        reader = SseReader(base, f"/api/v1/streams/{stream_id}/events")
        _snapshot(reader)
        assert reader.next(skip_comments=False) == {"comment": "heartbeat"}
        reader.close()


def test_a_listener_that_never_reads_does_not_hold_up_the_others(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, _ = live_stream(client, tokens, 15)
    with serve(app) as base:
        stuck = SseReader(base, f"/api/v1/streams/{stream_id}/events", rcvbuf=1024)
        reader = SseReader(base, f"/api/v1/streams/{stream_id}/events")
        _snapshot(reader)
        for position in range(1, 16):
            assert move(client, tokens, stream_id, "next").status_code == 200
            assert reader.next_of("card")["data"]["position"] == position
        assert client.get("/api/v1/streams").status_code == 200
        reader.close()
        stuck.close()


def test_a_head_request_for_the_events_holds_no_listener_place(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, _ = live_stream(client, tokens, 1)
    broadcaster = app.extensions["live"].broadcaster
    for _ in range(3):
        answer = client.head(f"/api/v1/streams/{stream_id}/events")
        assert answer.status_code == 200 and answer.data == b""
        answer.close()
    assert broadcaster.listener_count() == 0


def test_the_broadcaster_drops_a_listener_that_falls_behind_its_window() -> None:
    broadcaster = Broadcaster(queue_size=3)
    stuck = broadcaster.subscribe(1, 0)
    reading = broadcaster.subscribe(1, 0)
    for i in range(1, 6):
        broadcaster.publish([Event(i, 1, "card", "{}")])
        items, _bell = broadcaster.take(reading)
        assert [t.cast(Event, item).id for item in items] == [i]
    assert broadcaster.take(stuck)[0] == []
    assert stuck.closed and stuck.dropped
    assert broadcaster.dropped == 1 and broadcaster.listener_count() == 1


def test_one_publish_wakes_every_listener_of_the_stream_and_no_other() -> None:
    broadcaster = Broadcaster()
    first, second = broadcaster.subscribe(1, 0), broadcaster.subscribe(1, 0)
    elsewhere = broadcaster.subscribe(2, 0)
    bells = [broadcaster.take(s)[1] for s in (first, second, elsewhere)]
    broadcaster.publish([Event(7, 1, "card", "{}")])
    assert [bell.is_set() for bell in bells] == [True, True, False]
    assert broadcaster.take(first)[0] == broadcaster.take(second)[0] != []
    assert broadcaster.take(elsewhere)[0] == []


@pytest.fixture
def other_app(app_config: dict[str, t.Any], tmp_path: Path) -> t.Iterator[Flask]:
    """A second app on the same database: another worker process, as far as the feed can tell."""
    other = create_app(app_config, instance_path=str(tmp_path / "other-instance"))
    yield other
    other.extensions["live"].close()
    other.extensions["search"].close()
    other.extensions["db"].dispose()


def test_moves_made_in_another_worker_reach_this_ones_listeners(
    app: Flask, other_app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, _ = live_stream(client, tokens, 2)
    with serve(app) as base:
        reader = SseReader(base, f"/api/v1/streams/{stream_id}/events")
        _snapshot(reader)
        moved = move(other_app.test_client(), tokens, stream_id, "next").json
        assert reader.next_of("card")["data"] == moved
        cache = app.extensions["live"].cards
        hits = cache.hits
        assert client.get(f"/api/v1/streams/{stream_id}/card").json == moved
        assert cache.hits == hits + 1  # the pushed card was cached here, not rebuilt
        reader.close()


def test_events_of_an_unknown_stream_are_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/streams/404/events")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_listeners_beyond_the_limit_are_told_to_come_back(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, _ = live_stream(client, tokens, 1)
    app.config["LIVE_MAX_LISTENERS"] = 1
    with serve(app) as base:
        first = SseReader(base, f"/api/v1/streams/{stream_id}/events")
        _snapshot(first)
        second = SseReader(base, f"/api/v1/streams/{stream_id}/events")
        assert second.status == 503
        assert second.headers["retry-after"] == "5"
        second.close()
        first.close()


def test_a_flash_sale_starting_and_ending_on_air_is_pushed(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    set_rate(client, tokens)
    product_id = add_product(client, tokens, "KZ-FLASH-01")
    stream_id = schedule(client, tokens).json["id"]
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1.5)
    flash = {
        "amount": "19.90",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(seconds=1)).isoformat(),
    }
    put_lineup(client, tokens, stream_id, {"items": [{"product_id": product_id, "flash": flash}]})
    client.post(f"/api/v1/streams/{stream_id}/start", headers=tokens.headers("host"))
    moved = move(client, tokens, stream_id, "next").json
    assert moved["card"]["flash"]["phase"] == "before"
    with serve(app) as base:
        reader = SseReader(base, f"/api/v1/streams/{stream_id}/events")
        _snapshot(reader)
        running = reader.next()
        assert running["event"] == "card" and "id" not in running  # nothing new to catch up on
        body = json.loads(running["data"])
        assert body["card"]["flash"]["phase"] == "running"
        assert body["card"]["locales"]["ru"]["flash_price"]["CNY"]["amount"] == "19.90"
        over = json.loads(reader.next()["data"])
        assert over["card"]["flash"]["phase"] == "over"
        assert over["card"]["locales"]["ru"]["flash_price"] is None
        reader.close()


def _opening_frames(client: FlaskClient, stream_id: int) -> tuple[t.Any, list[bytes]]:
    """Connect without Last-Event-ID; the response and its first frames (retry, status, lineup, card)."""
    response = client.get(f"/api/v1/streams/{stream_id}/events", buffered=False)
    assert response.status_code == 200
    frames = iter(response.response)
    return response, [next(frames) for _ in range(4)]


def test_listeners_connecting_together_share_one_snapshot_until_something_changes(
    app: Flask, other_worker: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, ids = live_stream(client, tokens, count=2)
    assert move(client, tokens, stream_id, "goto", 1).status_code == 200
    first, opened = _opening_frames(client, stream_id)
    statements: list[str] = []
    sa.event.listen(
        app.extensions["db"].engine, "before_cursor_execute", lambda *args: statements.append(str(args[2]))
    )
    second, again = _opening_frames(client, stream_id)
    # (the feed's own look for new events runs meanwhile on SQLite; the snapshot reads these)
    snapshot_reads = [s for s in statements if "FROM streams" in s or "stream_lineup_items" in s]
    assert snapshot_reads == [], "the next listener gets the snapshot already read"
    assert again == opened

    assert move(other_worker.test_client(), tokens, stream_id, "next").status_code == 200
    notices_in(app)
    third, latest = _opening_frames(client, stream_id)
    card = json.loads(latest[3].decode().split("data: ", 1)[1])
    assert (card["position"], card["card"]["product"]["id"]) == (2, ids[1])
    assert int(latest[3].decode().split("\n", 1)[0].removeprefix("id: ")) > int(
        opened[3].decode().split("\n", 1)[0].removeprefix("id: ")
    )
    for response in (first, second, third):
        response.close()
    assert app.extensions["live"].broadcaster.listener_count() == 0


@ON_POSTGRESQL
def test_a_move_is_announced_with_its_commit_and_a_rolled_back_notice_never(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    import psycopg

    stream_id, _ = live_stream(client, tokens, 2)
    database = app.extensions["db"]
    conninfo = database.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as listening:
        listening.execute(f"LISTEN {stream_events.CHANNEL}")
        with database.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            notify_at_commit(connection, stream_events.CHANNEL)
            connection.rollback()
            connection.execute(sa.text("SELECT 1"))
            connection.commit()
        assert list(listening.notifies(timeout=0.5)) == []
        assert move(client, tokens, stream_id, "next").status_code == 200
        heard = list(listening.notifies(timeout=2.0, stop_after=1))
        assert [notice.channel for notice in heard] == [stream_events.CHANNEL]
