"""Outgoing webhooks, delivered to a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import socket
import threading
import time
import typing as t
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog import create_app
from tests.catalog.test_streams_helpers import live_stream
from tests.catalog.test_streams_helpers import move
from tests.conftest import Tokens


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {
        **app_config,
        "SEARCH_SYNC_AFTER_REQUEST": False,
        "WEBHOOKS_BACKOFF_SECONDS": 0.05,
        "WEBHOOKS_MAX_ATTEMPTS": 3,
        "WEBHOOKS_TIMEOUT_SECONDS": 2.0,
    }


@pytest.fixture(autouse=True)
def _stop_live(app: Flask) -> t.Iterator[None]:
    yield
    app.extensions["live"].close()


class Receiver:
    """A subscriber: records each request and answers with the next of *statuses* (then 200)."""

    def __init__(self, statuses: t.Sequence[int] = (), gate: threading.Event | None = None) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses = list(statuses)
        self.gate = gate
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.gate is not None:
                    receiver.gate.wait(timeout=30)
                receiver.requests.append((dict(self.headers.items()), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: t.Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/tianshan"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self) -> list[str]:
        return [headers["X-Tianshan-Event"] for headers, _ in self.requests]

    def stop(self) -> None:
        if self.gate is not None:
            self.gate.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> t.Iterator[Receiver]:
    server = Receiver()
    yield server
    server.stop()


def subscribe(client: FlaskClient, tokens: Tokens, url: str, **extra: t.Any) -> t.Any:
    response = client.post(
        "/api/v1/streams/webhooks", json={"url": url, **extra}, headers=tokens.headers("admin")
    )
    assert response.status_code == 201, response.json
    return response.json


def wait_for(condition: t.Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for webhook deliveries")
        time.sleep(0.02)


def deliveries(client: FlaskClient, tokens: Tokens, webhook_id: int) -> list[dict[str, t.Any]]:
    response = client.get(
        f"/api/v1/streams/webhooks/{webhook_id}/deliveries", headers=tokens.headers("admin")
    )
    return t.cast(list[dict[str, t.Any]], response.json["items"])


def test_subscribers_get_signed_stream_events(
    client: FlaskClient, tokens: Tokens, receiver: Receiver
) -> None:
    hook = subscribe(client, tokens, receiver.url)
    assert len(hook["secret"]) >= 32 and hook["events"] == ["card.changed", "stream.ended", "stream.started"]
    stream_id, ids = live_stream(client, tokens, 2)
    move(client, tokens, stream_id, "next")
    client.post(f"/api/v1/streams/{stream_id}/end", headers=tokens.headers("host"))
    wait_for(lambda: len(receiver.requests) == 3)
    assert sorted(receiver.events()) == ["card.changed", "stream.ended", "stream.started"]
    for headers, body in receiver.requests:
        timestamp = headers["X-Tianshan-Timestamp"]
        expected = hmac.new(
            hook["secret"].encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        assert headers["X-Tianshan-Signature"] == f"sha256={expected}"
        assert headers["Content-Type"] == "application/json"
    payloads = {json.loads(body)["event"]: json.loads(body) for _, body in receiver.requests}
    assert payloads["card.changed"]["data"]["card"]["product"]["id"] == ids[0]
    assert payloads["stream.ended"]["data"]["status"] == "ended"
    assert payloads["stream.started"]["data"]["stream_id"] == stream_id
    wait_for(lambda: all(d["status"] == "delivered" for d in deliveries(client, tokens, hook["id"])))
    records = deliveries(client, tokens, hook["id"])
    assert {(d["status"], d["attempts"], d["last_status_code"]) for d in records} == {("delivered", 1, 200)}


def test_a_refusing_subscriber_is_retried_with_backoff(client: FlaskClient, tokens: Tokens) -> None:
    flaky = Receiver(statuses=[500, 503])
    try:
        hook = subscribe(client, tokens, flaky.url, events=["stream.started"])
        live_stream(client, tokens, 1)
        wait_for(lambda: deliveries(client, tokens, hook["id"])[0]["status"] == "delivered")
        record = deliveries(client, tokens, hook["id"])[0]
        assert record["attempts"] == 3 and record["last_status_code"] == 200
        assert len(flaky.requests) == 3
        assert len({headers["X-Tianshan-Delivery"] for headers, _ in flaky.requests}) == 1
    finally:
        flaky.stop()


def test_a_dead_subscriber_ends_up_failed(client: FlaskClient, tokens: Tokens) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    hook = subscribe(client, tokens, f"http://127.0.0.1:{port}/gone", events=["stream.started"])
    live_stream(client, tokens, 1)
    wait_for(lambda: deliveries(client, tokens, hook["id"])[0]["status"] == "failed")
    record = deliveries(client, tokens, hook["id"])[0]
    assert record["attempts"] == 3 and record["last_status_code"] is None
    assert "refused" in record["last_error"].lower()


def test_a_slow_subscriber_never_holds_up_the_host(client: FlaskClient, tokens: Tokens) -> None:
    gate = threading.Event()
    slow = Receiver(gate=gate)
    try:
        subscribe(client, tokens, slow.url)
        stream_id, _ = live_stream(client, tokens, 4)
        for position in range(1, 5):
            response = move(client, tokens, stream_id, "next")
            assert response.status_code == 200 and response.json["position"] == position
        assert slow.requests == [] and not gate.is_set()  # every move answered while it still waits
        gate.set()
        wait_for(lambda: len(slow.requests) == 5)
        assert slow.events().count("card.changed") == 4
    finally:
        slow.stop()


def test_the_api_refuses_a_bad_url_and_non_admins(client: FlaskClient, tokens: Tokens, app: Flask) -> None:
    bad = client.post(
        "/api/v1/streams/webhooks", json={"url": "http://10.0.0.1/x"}, headers=tokens.headers("admin")
    )
    assert bad.status_code == 422
    assert bad.json["errors"][0]["field"] == "url"
    assert "webhooks may only call public addresses" in bad.json["detail"]
    forbidden = client.post(
        "/api/v1/streams/webhooks", json={"url": "https://93.184.216.34/"}, headers=tokens.headers("host")
    )
    assert forbidden.status_code == 403
    unknown = client.post(
        "/api/v1/streams/webhooks",
        json={"url": "https://93.184.216.34/", "events": ["stream.paused"]},
        headers=tokens.headers("admin"),
    )
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "events.0"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_worker_command_delivers_when_in_process_delivery_is_off(
    app_config: dict[str, t.Any], tokens: Tokens, receiver: Receiver, tmp_path: Path
) -> None:
    worker_app = create_app(
        {**app_config, "WEBHOOKS_IN_PROCESS": False}, instance_path=str(tmp_path / "worker")
    )
    try:
        client = worker_app.test_client()
        subscribe(client, tokens, receiver.url, events=["stream.started"])
        live_stream(client, tokens, 1)
        time.sleep(0.2)
        assert receiver.requests == []  # nothing is sent from the web process
        result = worker_app.test_cli_runner().invoke(args=["webhooks", "deliver", "--once"])
        assert result.exit_code == 0, result.output
        assert "Attempted 1 deliveries." in result.output
        assert receiver.events() == ["stream.started"]
    finally:
        worker_app.extensions["live"].close()
        worker_app.extensions["search"].close()
        worker_app.extensions["db"].dispose()
