"""The schedule across time zones, and the calendar feed."""

from __future__ import annotations

import datetime as dt
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import Stream
from tests.catalog.test_streams_helpers import STREAM
from tests.catalog.test_streams_helpers import schedule
from tests.conftest import Tokens


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "SEARCH_SYNC_AFTER_REQUEST": False}


def _listed(client: FlaskClient, query: str) -> dict[str, t.Any]:
    response = client.get(f"/api/v1/streams?{query}")
    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert len(items) == 1
    return t.cast(dict[str, t.Any], items[0])


@pytest.mark.parametrize(
    ("zone", "local"),
    [
        ("Asia/Almaty", "2027-06-01T18:00:00+05:00"),  # UTC+5 since 1 March 2024
        ("Asia/Urumqi", "2027-06-01T19:00:00+06:00"),
        ("Asia/Shanghai", "2027-06-01T21:00:00+08:00"),
        ("Asia/Tashkent", "2027-06-01T18:00:00+05:00"),
        ("Asia/Bishkek", "2027-06-01T19:00:00+06:00"),
        ("Europe/Moscow", "2027-06-01T16:00:00+03:00"),
        ("Europe/Berlin", "2027-06-01T15:00:00+02:00"),
    ],
)
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_start_in_the_readers_zone(client: FlaskClient, tokens: Tokens, zone: str, local: str) -> None:
    schedule(client, tokens, starts_at="2027-06-01T19:00:00+06:00")
    item = _listed(client, f"tz={zone}&locale=ru")
    assert item["starts_at"] == "2027-06-01T13:00:00+00:00"
    assert item["starts_at_local"] == local
    assert item["time_zone"] == zone


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_formatted_start_and_relative_time_in_the_readers_locale(client: FlaskClient, tokens: Tokens) -> None:
    starts = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2, minutes=1)).replace(second=0, microsecond=0)
    schedule(client, tokens, starts_at=starts.isoformat())
    ru = _listed(client, "tz=Asia/Almaty&locale=ru")
    assert ru["starts_in"] == "через 2 часа"
    local = starts.astimezone(dt.timezone(dt.timedelta(hours=5)))
    assert ru["starts_at_formatted"].endswith(local.strftime("%H:%M"))
    assert _listed(client, "tz=Asia/Almaty&locale=en")["starts_in"] == "in 2 hours"
    assert _listed(client, "tz=Asia/Shanghai&locale=zh")["starts_in"] == "2小时后"
    assert _listed(client, "tz=Asia/Almaty&locale=kk")["starts_in"] == "2 сағаттан кейін"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_formatted_start_reads_naturally(client: FlaskClient, tokens: Tokens) -> None:
    schedule(client, tokens, starts_at="2027-06-01T19:00:00+06:00", title={"ru": "Вечер", "zh": "晚会"})
    ru = _listed(client, "tz=Asia/Almaty&locale=ru")
    assert ru["starts_at_formatted"] == "1 июня 2027\u202fг., 18:00"
    assert ru["title"] == "Вечер"
    zh = _listed(client, "tz=Asia/Shanghai&locale=zh")
    assert zh["starts_at_formatted"] == "2027年6月1日 21:00"
    assert zh["title"] == "晚会"
    assert _listed(client, "tz=Asia/Almaty&locale=kk")["title"] == "Вечер"  # kk falls back to ru


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_show_on_the_night_the_european_clocks_go_back(client: FlaskClient, tokens: Tokens) -> None:
    # 31 October 2027: at 01:00 UTC Berlin goes from 03:00 CEST back to 02:00 CET.
    schedule(client, tokens, starts_at="2027-10-31T00:30:00+00:00", duration_minutes=60)
    item = _listed(client, "tz=Europe/Berlin&locale=en")
    assert item["starts_at_local"] == "2027-10-31T02:30:00+02:00"
    assert item["ends_at_local"] == "2027-10-31T02:30:00+01:00"  # the same wall time, an hour later
    assert _listed(client, "tz=Asia/Almaty&locale=en")["starts_at_local"] == "2027-10-31T05:30:00+05:00"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_show_on_the_night_the_european_clocks_go_forward(client: FlaskClient, tokens: Tokens) -> None:
    # 28 March 2027: at 01:00 UTC Berlin jumps from 02:00 CET to 03:00 CEST.
    schedule(client, tokens, starts_at="2027-03-28T00:30:00+00:00", duration_minutes=60)
    item = _listed(client, "tz=Europe/Berlin&locale=en")
    assert item["starts_at_local"] == "2027-03-28T01:30:00+01:00"
    assert item["ends_at_local"] == "2027-03-28T03:30:00+02:00"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_unknown_zone_or_locale_is_422(client: FlaskClient, tokens: Tokens) -> None:
    response = client.get("/api/v1/streams?tz=Asia/Alma-Ata-City")
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "tz"
    assert "Asia/Alma-Ata-City" in response.json["detail"]
    assert client.get("/api/v1/streams?locale=fr").status_code == 422


def test_ended_streams_leave_the_schedule_and_pages_follow_start_order(
    client: FlaskClient, tokens: Tokens
) -> None:
    late = schedule(client, tokens, starts_at="2027-06-02T19:00:00+06:00").json["id"]
    early = schedule(client, tokens, starts_at="2027-06-01T19:00:00+06:00").json["id"]
    done = schedule(client, tokens, starts_at="2027-06-01T20:00:00+06:00").json["id"]
    client.post(f"/api/v1/streams/{done}/start", headers=tokens.headers("host"))
    client.post(f"/api/v1/streams/{done}/end", headers=tokens.headers("host"))
    first = client.get("/api/v1/streams?limit=1").json
    assert [i["id"] for i in first["items"]] == [early]
    second = client.get(f"/api/v1/streams?limit=1&cursor={first['next_cursor']}").json
    assert [i["id"] for i in second["items"]] == [late]
    assert second["next_cursor"] is None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_calendar_feed_per_locale(client: FlaskClient, tokens: Tokens) -> None:
    stream_id = schedule(client, tokens, title={"ru": "Вечер, мёд; чай", "zh": "晚会"}).json["id"]
    response = client.get("/api/v1/streams/calendar.ics?locale=ru")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert f"UID:stream-{stream_id}@tianshan\r\n" in text
    assert "DTSTART:20361201T130000Z\r\n" in text and "DTEND:20361201T160000Z\r\n" in text
    assert "SUMMARY:Вечер\\, мёд\\; чай\r\n" in text
    assert "SUMMARY:晚会" in client.get("/api/v1/streams/calendar.ics?locale=zh").get_data(as_text=True)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_missed_show_leaves_the_schedule_without_breaking_pages(
    client: FlaskClient, tokens: Tokens
) -> None:
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).isoformat()
    for _ in range(3):
        schedule(client, tokens, starts_at=past, duration_minutes=60)
    kept = [schedule(client, tokens, starts_at=f"2027-06-0{day}T19:00:00+06:00").json["id"] for day in (1, 2)]
    first = client.get("/api/v1/streams?limit=1").json
    second = client.get(f"/api/v1/streams?limit=1&cursor={first['next_cursor']}").json
    assert [i["id"] for i in first["items"] + second["items"]] == kept


def test_a_control_character_in_a_title_is_refused(client: FlaskClient, tokens: Tokens) -> None:
    response = client.post(
        "/api/v1/streams",
        json={**STREAM, "title": {"ru": "Вечер\x1b[2J", "zh": "晚会"}},
        headers=tokens.headers("host"),
    )
    assert response.status_code == 422, response.json
    assert any(e["field"].startswith("title") and "U+001B" in e["message"] for e in response.json["errors"])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_calendar_feed_survives_a_control_character_already_stored(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id = schedule(client, tokens).json["id"]
    with app.app_context():  # text stored before titles were checked
        session = get_session()
        stream = session.get(Stream, stream_id)
        assert stream is not None
        stream.title = {"ru": "Вечер\x07 мёда\x00", "zh": "晚会"}
        session.commit()
    response = client.get("/api/v1/streams/calendar.ics?locale=ru")
    assert response.status_code == 200
    assert "SUMMARY:Вечер мёда\r\n" in response.get_data(as_text=True)
