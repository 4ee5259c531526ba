"""The production serving model: gunicorn with gevent workers (gunicorn.conf.py) in a subprocess.

Listeners spread over two worker processes; a move made in one reaches the listeners of the
other through LISTEN/NOTIFY on PostgreSQL and the poll of the events table on SQLite.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import time
import typing as t
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.catalog.test_streams_helpers import SseReader
from tests.catalog.test_streams_helpers import live_stream
from tests.conftest import Tokens
from tests.support.gunicorn import gunicorn

pytestmark = pytest.mark.slow


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "SEARCH_SYNC_AFTER_REQUEST": False}


def _move(port: int, token: str, stream_id: int) -> dict[str, t.Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    with contextlib.closing(connection):
        connection.request(
            "POST",
            f"/api/v1/streams/{stream_id}/cursor",
            body=json.dumps({"action": "next"}),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        assert response.status == 200
        return t.cast(dict[str, t.Any], json.loads(response.read()))


def test_plain_and_chunked_listeners_on_every_worker_hear_each_move(
    app: Flask, app_config: dict[str, t.Any], client: FlaskClient, tokens: Tokens, tmp_path: Path
) -> None:
    stream_id, _ = live_stream(client, tokens, 4)
    with gunicorn(app_config, tmp_path / "served") as port:
        base = f"http://127.0.0.1:{port}"
        path = f"/api/v1/streams/{stream_id}/events"
        readers = [SseReader(base, path, version=version) for version in ("1.0", "1.1") for _ in range(6)]
        try:
            assert [reader.chunked for reader in readers] == [False] * 6 + [True] * 6
            for reader in readers:
                assert reader.status == 200
                assert reader.next_of("card")["data"]["card"] is None
            for position in (1, 2, 3):
                moved = _move(port, tokens["host"], stream_id)
                assert moved["position"] == position
                for reader in readers:
                    assert reader.next_of("card")["data"] == moved
            assert {reader.next(skip_comments=False).get("comment") for reader in readers} == {"heartbeat"}
            # Plain and chunked streams alike went out through each worker's shared writer.
            samples = _metrics(port, tokens["admin"])
            for framing in ("plain", "chunked"):
                assert samples[f'tianshan_sse_direct_writes_total{{framing="{framing}"}}'] >= 6 * 3
        finally:
            for reader in readers:
                reader.close()


def _metrics(port: int, token: str) -> dict[str, float]:
    """Samples of /metrics (read with an admin's *token*) by their full name with labels."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    with contextlib.closing(connection):
        connection.request("GET", "/metrics", headers={"Authorization": f"Bearer {token}"})
        text = connection.getresponse().read().decode()
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def _get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # a new connection each time
    with contextlib.closing(connection):
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status


def test_metrics_add_up_every_worker(
    app: Flask, app_config: dict[str, t.Any], client: FlaskClient, tokens: Tokens, tmp_path: Path
) -> None:
    stream_id, _ = live_stream(client, tokens, 2)
    with gunicorn(app_config, tmp_path / "served") as port:
        assert {_get(port, f"/api/v1/streams/{stream_id}") for _ in range(40)} == {200}
        base = f"http://127.0.0.1:{port}"
        readers = [SseReader(base, f"/api/v1/streams/{stream_id}/events") for _ in range(6)]
        try:
            for reader in readers:
                reader.next_of("card")
            samples = _metrics(port, tokens["admin"])
            read = 'tianshan_http_requests_total{endpoint="streams_api.read",method="GET",status="200"}'
            assert samples[read] == 40  # answered by both workers, counted once each
            assert samples["tianshan_sse_listeners"] == 6
        finally:
            for reader in readers:
                reader.close()
        deadline = time.monotonic() + 10
        while _metrics(port, tokens["admin"])["tianshan_sse_listeners"] != 0:
            assert time.monotonic() < deadline, "listeners that left are still counted"
            time.sleep(0.2)
