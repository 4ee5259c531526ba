"""Shared helpers of the live-stream tests: products, streams and a real HTTP server."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import socket
import threading
import typing as t
import urllib.parse

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from tests.catalog.payloads import product
from tests.conftest import Tokens

STREAM = {
    "title": {"ru": "Вечер казахстанских продуктов", "zh": "哈萨克斯坦美食之夜"},
    "starts_at": "2036-12-01T19:00:00+06:00",  # far ahead: "upcoming" whatever day the suite runs
    "duration_minutes": 180,
    "locales": ["ru", "kk"],
    "currencies": ["KZT", "CNY"],
}


def add_product(client: FlaskClient, tokens: Tokens, sku: str, **changes: t.Any) -> int:
    """Create a product (published unless told) and return its id."""
    body = product(sku=sku, barcode=None, **changes)
    response = client.post("/api/v1/products", json=body, headers=tokens.headers("editor"))
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def set_rate(client: FlaskClient, tokens: Tokens, currency: str = "KZT", per_cny: str = "74") -> None:
    response = client.put(
        f"/api/v1/rates/{currency}",
        headers=tokens.headers("admin"),
        json={"per_cny": per_cny, "as_of": "2026-11-29T00:00:00+00:00"},
    )
    assert response.status_code in (200, 201), response.json


def schedule(client: FlaskClient, tokens: Tokens, **changes: t.Any) -> t.Any:
    response = client.post("/api/v1/streams", json={**STREAM, **changes}, headers=tokens.headers("host"))
    assert response.status_code == 201, response.json
    return response


def put_lineup(client: FlaskClient, tokens: Tokens, stream_id: int, body: dict[str, t.Any]) -> t.Any:
    etag = client.get(f"/api/v1/streams/{stream_id}").headers["ETag"]
    return client.put(
        f"/api/v1/streams/{stream_id}/lineup", json=body, headers=tokens.headers("host", **{"If-Match": etag})
    )


def live_stream(
    client: FlaskClient, tokens: Tokens, count: int = 3, **changes: t.Any
) -> tuple[int, list[int]]:
    """A live stream whose run-sheet holds *count* new published products."""
    set_rate(client, tokens)
    ids = [add_product(client, tokens, f"LIVE-{i:03d}") for i in range(count)]
    stream_id = int(schedule(client, tokens, **changes).json["id"])
    assert put_lineup(client, tokens, stream_id, {"product_ids": ids}).status_code == 200
    assert (
        client.post(f"/api/v1/streams/{stream_id}/start", headers=tokens.headers("host")).status_code == 200
    )
    return stream_id, ids


def move(
    client: FlaskClient, tokens: Tokens, stream_id: int, action: str, position: int | None = None
) -> t.Any:
    body: dict[str, t.Any] = {"action": action}
    if position is not None:
        body["position"] = position
    return client.post(f"/api/v1/streams/{stream_id}/cursor", json=body, headers=tokens.headers("host"))


def in_hours(hours: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


@contextlib.contextmanager
def serve(app: Flask) -> t.Iterator[str]:
    """Run *app* on a real threaded HTTP server on 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        app.extensions["live"].close()
        server.shutdown()
        thread.join(timeout=10)


class SseReader:
    """A minimal event-stream client on a raw socket; it reads plain and chunked bodies."""

    def __init__(
        self,
        base: str,
        path: str,
        headers: t.Mapping[str, str] | None = None,
        rcvbuf: int = 0,
        version: str = "1.1",
    ) -> None:
        url = urllib.parse.urlsplit(base)
        self.sock = socket.socket()
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect((url.hostname, url.port))
        lines = [f"GET {path} HTTP/{version}", f"Host: {url.netloc}", "Accept: text/event-stream"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.file = self.sock.makefile("rb")
        self.status = int(self.file.readline().split()[1])
        self.headers: dict[str, str] = {}
        while (line := self.file.readline().decode().strip()) != "":
            key, _, value = line.partition(":")
            self.headers[key.lower()] = value.strip()
        self.chunked = self.headers.get("transfer-encoding") == "chunked"
        self.buffer = b""

    def _line(self) -> bytes:
        """The next line of the body (chunk framing removed)."""
        if not self.chunked:
            return self.file.readline()
        while b"\n" not in self.buffer:
            size_line = self.file.readline()
            if not size_line:
                return b""
            assert re.fullmatch(rb"[0-9A-Fa-f]+\r\n", size_line), f"not a chunk size: {size_line!r}"
            size = int(size_line, 16)
            if size == 0:
                return b""
            self.buffer += self.file.read(size)
            assert self.file.read(2) == b"\r\n", "a chunk must end with CRLF"
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line + b"\n"

    def next(self, skip_comments: bool = True) -> dict[str, str]:
        """The next event (``id``, ``event``, ``data``) or, with *skip_comments* off, comment."""
        fields: dict[str, str] = {}
        while True:
            raw = self._line()
            if not raw:
                raise EOFError("the server closed the event stream")
            line = raw.decode().rstrip("\n")
            if line == "":
                if fields:
                    return fields
                continue
            if line.startswith(":"):
                if not skip_comments:
                    return {"comment": line[1:].strip()}
                continue
            key, _, value = line.partition(": ")
            fields[key] = value

    def next_of(self, kind: str) -> dict[str, t.Any]:
        while True:
            event = self.next()
            if event.get("event") == kind:
                return {"id": int(event["id"]), "data": json.loads(event["data"])}

    def close(self) -> None:
        self.file.close()
        self.sock.close()
