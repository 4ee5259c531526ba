"""Search words sent as raw UTF-8 in the request line, as curl sends them, reach the search intact."""

from __future__ import annotations

import json
import socket
import urllib.parse
import urllib.request

import pytest

from catalog.raw_query import restored
from tests.web.live import LiveServer


def _raw_get(base_url: str, target: str) -> tuple[int, dict[str, object]]:
    """GET *target* with its bytes unescaped in the request line; the status and JSON body."""
    address = urllib.parse.urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        head = f"GET {target} HTTP/1.1\r\nHost: {address.netloc}\r\nConnection: close\r\n\r\n"
        connection.sendall(head.encode("utf-8"))
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    header, _, body = answer.partition(b"\r\n\r\n")
    return int(header.split()[1]), json.loads(body)


def test_a_raw_cyrillic_query_finds_what_the_encoded_one_finds(live_server: LiveServer) -> None:
    status, raw = _raw_get(live_server.url, "/api/v1/search?q=мука&locale=ru")
    with urllib.request.urlopen(
        f"{live_server.url}/api/v1/search?q=%D0%BC%D1%83%D0%BA%D0%B0&locale=ru"
    ) as reply:
        encoded = json.loads(reply.read())
    assert status == 200
    assert encoded["total"] > 0
    assert [item["id"] for item in raw["items"]] == [item["id"] for item in encoded["items"]]  # type: ignore[index]


def test_a_raw_control_character_is_still_refused(live_server: LiveServer) -> None:
    status, body = _raw_get(live_server.url, "/api/v1/search?q=%07honey")
    assert status == 422
    assert body["errors"] == [{"field": "q", "message": body["errors"][0]["message"]}]  # type: ignore[index]


@pytest.mark.parametrize(
    ("wsgi", "expected"),
    [
        ("q=honey&locale=en", "q=honey&locale=en"),
        # the UTF-8 bytes of мёд read as Latin-1, then encoded and read once more
        ("q=мёд".encode().decode("latin-1").encode().decode("latin-1"), "q=мёд".encode().decode("latin-1")),
        # already right: the UTF-8 bytes of мёд read as Latin-1 once
        ("q=мёд".encode().decode("latin-1"), "q=мёд".encode().decode("latin-1")),
        # Latin-1 text that is no UTF-8 at all
        ("q=caf\xe9", "q=caf\xe9"),
    ],
)
def test_only_a_query_string_encoded_twice_is_restored(wsgi: str, expected: str) -> None:
    assert restored(wsgi) == expected
