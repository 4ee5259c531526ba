"""``tianshan demo`` makes a show on air: a live stream with a card, two upcoming ones and their host."""

from __future__ import annotations

import datetime as dt
import re
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner

from tests.web.conftest import sign_in

SIGN_IN = re.compile(r"name (\S+), password (\S+)")


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "WEB_SECURE_COOKIES": False}


def run_demo(runner: FlaskCliRunner) -> str:
    result = runner.invoke(args=["demo", "--no-pictures"])
    assert result.exit_code == 0, result.output
    return result.output


def streams_of(client: FlaskClient) -> list[dict[str, t.Any]]:
    return t.cast(list[dict[str, t.Any]], client.get("/api/v1/streams?limit=50").get_json()["items"])


def test_demo_puts_a_show_on_air_with_two_flash_prices(runner: FlaskCliRunner, client: FlaskClient) -> None:
    run_demo(runner)
    listed = streams_of(client)
    live = [s for s in listed if s["status"] == "live"]
    assert len(live) == 1
    stream = client.get(f"/api/v1/streams/{live[0]['id']}").get_json()
    assert len(stream["lineup"]) == 12
    assert sum(1 for item in stream["lineup"] if item.get("flash")) == 2
    card = client.get(f"/api/v1/streams/{live[0]['id']}/card").get_json()
    assert card["card"]["product"]["sku"] == stream["lineup"][2]["sku"]


def test_demo_schedules_two_shows_in_almaty_and_shanghai(runner: FlaskCliRunner, client: FlaskClient) -> None:
    run_demo(runner)
    now = dt.datetime.now(dt.UTC)
    upcoming = [s for s in streams_of(client) if s["status"] == "scheduled"]
    assert len(upcoming) == 2
    zones = set()
    for listed in upcoming:
        assert dt.datetime.fromisoformat(listed["starts_at"]) > now
        zones.add(client.get(f"/api/v1/streams/{listed['id']}").get_json()["time_zone"])
    assert zones == {"Asia/Almaty", "Asia/Shanghai"}


def test_demo_host_signs_in_with_what_the_demo_prints(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient
) -> None:
    output = run_demo(runner)
    found = SIGN_IN.search(output)
    assert found, output
    name, password = found.groups()
    live = next(s for s in streams_of(client) if s["status"] == "live")
    assert sign_in(client, name, password).status_code == 302
    console = client.get(f"/host/streams/{live['id']}")
    assert console.status_code == 200
    assert live["title"] in console.get_data(as_text=True)


def test_the_pages_show_the_show_in_progress(runner: FlaskCliRunner, client: FlaskClient) -> None:
    run_demo(runner)
    live = next(s for s in streams_of(client) if s["status"] == "live")
    home = client.get("/?locale=en").get_data(as_text=True)
    assert live["title"] in home
    assert f"/shows/{live['id']}" in home
    show = client.get(f"/shows/{live['id']}?locale=en")
    assert show.status_code == 200
    overlay = client.get(f"/overlay/streams/{live['id']}")
    assert overlay.status_code == 200


def test_demo_show_is_idempotent(runner: FlaskCliRunner, client: FlaskClient) -> None:
    first = run_demo(runner)
    before = streams_of(client)
    second = run_demo(runner)
    assert "0 streams added (3 were there already)" in second
    assert streams_of(client) == before
    assert SIGN_IN.findall(first) == SIGN_IN.findall(second)
