"""The production server (gunicorn with gevent workers, ``gunicorn.conf.py``) in a subprocess."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
import typing as t
from pathlib import Path

from tests.support.postgres import free_port

REPO = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def gunicorn(
    app_config: t.Mapping[str, t.Any], instance: Path, env: t.Mapping[str, str] | None = None
) -> t.Iterator[int]:
    """Serve the app on *app_config*'s database on a free loopback port; yield the port.

    *env* adds or overrides ``TIANSHAN_*`` variables (worker count, timeouts) for this server.
    """
    port = free_port()
    environment = {
        **os.environ,
        "TIANSHAN_DATABASE_URL": app_config["DATABASE_URL"],
        "TIANSHAN_SEARCH_URL": app_config["SEARCH_URL"],
        "TIANSHAN_SECRET_KEY": "test-secret",
        "TIANSHAN_INSTANCE_PATH": str(instance),
        "TIANSHAN_BIND": f"127.0.0.1:{port}",
        "TIANSHAN_WORKERS": "2",
        "TIANSHAN_LOG_LEVEL": "WARNING",
        "TIANSHAN_LIVE_HEARTBEAT_SECONDS": "1",
        **(env or {}),
    }
    binary = Path(sys.executable).parent / "gunicorn"
    command = [str(binary), "--config", "gunicorn.conf.py", "wsgi:app"]
    process = subprocess.Popen(command, cwd=REPO, env=environment)
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            assert process.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
            time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def answers(port: int, path: str = "/api/v1/streams") -> bool:
    """Whether the server on *port* answers ``GET path`` with 200 within five seconds."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()
