"""Request ids, JSON logs and the Prometheus endpoint."""

from __future__ import annotations

import json
import logging
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.observability import JsonFormatter

#: The metrics token of these tests' app (operators send it; nobody else reads /metrics).
OPERATOR = {"Authorization": "Bearer operator-token"}


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "METRICS_TOKEN": "operator-token"}


def test_every_response_carries_a_request_id(client: FlaskClient) -> None:
    generated = client.get("/api/v1").headers["X-Request-ID"]
    assert len(generated) == 16
    assert (
        client.get("/api/v1", headers={"X-Request-ID": "studio-42-abcdef"}).headers["X-Request-ID"]
        == "studio-42-abcdef"
    )
    hostile = client.get("/api/v1", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert hostile != "<script>"


def test_metrics_count_requests_and_report_the_outbox(client: FlaskClient) -> None:
    client.get("/api/v1/products")
    client.get("/api/v1/products/999999")
    body = client.get("/metrics", headers=OPERATOR).get_data(as_text=True)
    assert 'tianshan_http_requests_total{endpoint="products_api.read",method="GET",status="404"}' in body
    assert "tianshan_http_request_seconds_bucket" in body
    assert "tianshan_search_outbox_length 0.0" in body
    assert "tianshan_search_indexer_lag_seconds" in body
    assert "tianshan_sse_listeners" in body


def test_log_records_are_json_lines() -> None:
    record = logging.LogRecord("catalog.requests", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
    record.fields = {"status": 200, "duration_ms": 1.5}
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /x"
    assert line["status"] == 200 and line["level"] == "info"


@pytest.mark.parametrize("text", ["Мука «Ақбидай»", "面粉"])
def test_json_logs_keep_non_ascii_readable(text: str) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, text, (), None)
    assert text in JsonFormatter().format(record)


def test_metrics_count_the_event_stream_listeners(app: Flask, client: FlaskClient) -> None:
    broadcaster = app.extensions["live"].broadcaster
    listening = [broadcaster.subscribe(stream_id, 0) for stream_id in (1, 1, 2)]
    assert "tianshan_sse_listeners 3.0" in client.get("/metrics", headers=OPERATOR).get_data(as_text=True)
    broadcaster.unsubscribe(listening[0])
    assert "tianshan_sse_listeners 2.0" in client.get("/metrics", headers=OPERATOR).get_data(as_text=True)
    broadcaster.close_all()
    assert "tianshan_sse_listeners 0.0" in client.get("/metrics", headers=OPERATOR).get_data(as_text=True)
