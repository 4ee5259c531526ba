"""Connections of one gunicorn worker take turns: a busy connection does not hold back the others.

One client sends a long run of requests at once on a keep-alive connection (HTTP/1.1
pipelining), so each of its next requests is already waiting in the socket. A second client
then asks once. The access log, written as each request finishes, tells in which order the
worker served them: the second client's request must not wait for the whole run. (On a quiet
worker a request only yields, and gevent looks for input after every fifty or so switches, so
the second client comes in after a few dozen of the run at most.)
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import typing as t
from pathlib import Path

import pytest

from tests.support.gunicorn import gunicorn

pytestmark = pytest.mark.slow

RUN = 200
PROBE = "/api/v1/streams?probe=1"


def _drain(sock: socket.socket, done: threading.Event) -> None:
    """Read whatever the server sends on *sock* until it is closed, so its sends never block."""
    with contextlib.suppress(OSError):
        while sock.recv(65536):
            pass
    done.set()


# On SQLite a request never waits on the database, so nothing else would make it yield.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_request_on_another_connection_does_not_wait_for_a_busy_one(
    app_config: dict[str, t.Any], tmp_path: Path
) -> None:
    log = tmp_path / "access.log"
    env = {"TIANSHAN_WORKERS": "1", "TIANSHAN_ACCESS_LOG": str(log)}
    with gunicorn(app_config, tmp_path / "served", env) as port:
        log.write_text("")  # only the requests below
        busy = socket.create_connection(("127.0.0.1", port), timeout=60)
        drained = threading.Event()
        reader = threading.Thread(target=_drain, args=(busy, drained), daemon=True)
        reader.start()
        run = "".join(
            f"GET /api/v1/products?limit=50&n={n} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" for n in range(RUN)
        )
        busy.sendall(run.encode())
        other = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        with contextlib.closing(other):
            other.request("GET", PROBE)
            assert other.getresponse().status == 200
        deadline = time.monotonic() + 60
        while log.read_text().count("/api/v1/products?") < RUN:
            assert time.monotonic() < deadline, "the run was not served within 60 s"
            time.sleep(0.05)
        busy.close()
    lines = [line for line in log.read_text().splitlines() if "GET /api/v1/" in line]
    position = next(i for i, line in enumerate(lines) if PROBE in line)
    assert position < RUN // 2, f"the second client was served after {position} of the {RUN} queued requests"
