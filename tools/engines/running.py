"""Start, watch and stop the JVMs that run the test search nodes."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from typing import Any

from tools.engines.build import Launcher
from tools.engines.build import build_launcher
from tools.engines.build import engines_dir

LOOPBACK = "127.0.0.1"
DEFAULT_START_TIMEOUT = 180.0


class NodeStartError(RuntimeError):
    """A node did not come up; the message ends with the tail of its log."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def http_json(url: str, *, method: str = "GET", timeout: float = 10.0) -> Any:
    """GET or POST ``url`` and decode its JSON answer (errors raise ``OSError``)."""
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


@dataclass(frozen=True)
class NodeSpec:
    """What one JVM runs: which engine, its ports and its folder."""

    engine: str
    home: Path
    http_ports: tuple[int, ...]
    transport_ports: tuple[int, ...]
    control_port: int | None = None
    heap: str = "512m"
    #: The small test JVM's serial collector; ``False`` keeps the JVM's default (G1), as in production.
    serial_gc: bool = True

    @property
    def http_urls(self) -> tuple[str, ...]:
        return tuple(f"http://{LOOPBACK}:{port}" for port in self.http_ports)

    @property
    def search_url(self) -> str:
        """The ``TIANSHAN_SEARCH_URL`` that points the catalog at this engine."""
        hosts = ",".join(f"{LOOPBACK}:{port}" for port in self.http_ports)
        return f"{self.engine}://{hosts}"

    def arguments(self) -> list[str]:
        if self.engine == "elasticsearch":
            return [
                "-home",
                str(self.home),
                "-httpPort",
                str(self.http_ports[0]),
                "-transportPort",
                str(self.transport_ports[0]),
            ]
        if self.control_port is None:
            raise ValueError("an OpenSearch cluster needs a control port")
        return [
            "-home",
            str(self.home),
            "-httpPorts",
            ",".join(map(str, self.http_ports)),
            "-transportPorts",
            ",".join(map(str, self.transport_ports)),
            "-controlPort",
            str(self.control_port),
        ]


def new_spec(
    engine: str, *, nodes: int = 1, home: Path | None = None, heap: str = "", serial_gc: bool = True
) -> NodeSpec:
    """A spec on free loopback ports; one JVM holds ``nodes`` nodes (OpenSearch only)."""
    if nodes < 1:
        raise ValueError(f"a cluster needs at least one node, not {nodes}")
    if engine == "elasticsearch" and nodes != 1:
        raise ValueError(f"an Elasticsearch JVM runs exactly one node, not {nodes}")
    folder = home or engines_dir() / "run" / engine
    return NodeSpec(
        engine=engine,
        home=folder,
        http_ports=tuple(free_port() for _ in range(nodes)),
        transport_ports=tuple(free_port() for _ in range(nodes)),
        control_port=free_port() if engine == "opensearch" else None,
        heap=heap or ("1g" if nodes > 1 else "512m"),
        serial_gc=serial_gc,
    )


class NodeProcess:
    """One JVM running an engine's node(s), in its own process group."""

    def __init__(self, spec: NodeSpec, launcher: Launcher | None = None) -> None:
        self.spec = spec
        self.launcher = launcher or build_launcher(spec.engine)
        self.process: subprocess.Popen[bytes] | None = None
        self.started_in: float | None = None

    @property
    def log_file(self) -> Path:
        return self.spec.home / "node.log"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def command(self, *, tie_to_parent: bool) -> list[str]:
        tmp = self.spec.home / "tmp"
        command = [
            str(self.launcher.java),
            f"-Xms{self.spec.heap}",
            f"-Xmx{self.spec.heap}",
            *(["-XX:+UseSerialGC"] if self.spec.serial_gc else []),
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            "-Dlog4j2.disable.jmx=true",
            f"-Djava.io.tmpdir={tmp}",
            "-cp",
            self.launcher.classpath,
            self.launcher.main_class,
            *self.spec.arguments(),
        ]
        if tie_to_parent:
            command.append("-exitOnStdinEof")
        return command

    def start(
        self, *, fresh: bool = True, tie_to_parent: bool = True, timeout: float = DEFAULT_START_TIMEOUT
    ) -> None:
        """Launch the JVM and wait until every node answers and the cluster is usable.

        ``tie_to_parent`` makes the JVM exit when this Python process goes away (its
        standard input closes); ``fresh`` wipes the data folder first.
        """
        if self.running():
            raise NodeStartError(f"{self.spec.engine} is already running as pid {self.pid}")
        if fresh and self.spec.home.exists():
            shutil.rmtree(self.spec.home)
        (self.spec.home / "tmp").mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        with open(self.log_file, "ab") as log:
            self.process = subprocess.Popen(
                self.command(tie_to_parent=tie_to_parent),
                stdin=subprocess.PIPE if tie_to_parent else subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.spec.home,
                start_new_session=True,
            )
        try:
            self.wait_until_ready(timeout=timeout)
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - began

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_until_ready(self, *, timeout: float = DEFAULT_START_TIMEOUT, nodes: int = 0) -> None:
        """Poll cluster health until ``nodes`` (default: all) nodes have joined."""
        expected = nodes or len(self.spec.http_ports)
        deadline = time.monotonic() + timeout
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise NodeStartError(
                    f"{self.spec.engine} exited with code {self.process.returncode} while "
                    f"starting; log {self.log_file}:\n{self.log_tail()}"
                )
            for url in self.spec.http_urls:
                try:
                    health = http_json(
                        f"{url}/_cluster/health?wait_for_nodes={expected}&timeout=1s", timeout=5
                    )
                except (OSError, ValueError) as error:
                    last_error = str(error)
                    continue
                if health.get("number_of_nodes") == expected and health.get("status") in (
                    "green",
                    "yellow",
                ):
                    return
                last_error = f"health {health.get('status')} with {health.get('number_of_nodes')}"
            time.sleep(0.5)
        raise NodeStartError(
            f"{self.spec.engine} not ready after {timeout:.0f}s ({last_error}); "
            f"log {self.log_file}:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, *, timeout: float = 30.0) -> None:
        """Stop the JVM (SIGTERM to its process group, SIGKILL after ``timeout``)."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            stop_process_group(process.pid, timeout=timeout)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        _close(process.stdin)
        self.process = None

    def restart(self, *, timeout: float = DEFAULT_START_TIMEOUT) -> None:
        """Stop and start again on the same ports, keeping the data."""
        self.stop()
        self.start(fresh=False, timeout=timeout)

    # -- single nodes of a multi-node OpenSearch cluster -----------------------------------

    def _control(self, path: str, method: str = "GET") -> Any:
        if self.spec.control_port is None:
            raise ValueError(f"{self.spec.engine} has no control port: it runs a single node")
        return http_json(f"http://{LOOPBACK}:{self.spec.control_port}{path}", method=method, timeout=90)

    def nodes(self) -> list[dict[str, Any]]:
        """The cluster's nodes and whether each runs (``node`` counts from 1)."""
        return list(self._control("/nodes"))

    def stop_node(self, node: int) -> None:
        """Stop one node of the cluster; the JVM and the other nodes go on."""
        self._control(f"/nodes/{node}/stop", method="POST")

    def start_node(self, node: int, *, timeout: float = DEFAULT_START_TIMEOUT) -> None:
        """Start a stopped node again and wait until it has rejoined."""
        self._control(f"/nodes/{node}/start", method="POST")
        self.wait_until_ready(timeout=timeout)


def _close(stream: IO[bytes] | None) -> None:
    if stream is not None:
        with contextlib.suppress(OSError):
            stream.close()


def stop_process_group(pid: int, *, timeout: float = 30.0) -> None:
    """SIGTERM the process group led by ``pid``; SIGKILL it if still there after ``timeout``."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def server_version(url: str) -> str | None:
    """The version the node at ``url`` reports (works without the root endpoint)."""
    try:
        info = http_json(f"{url}/_nodes/_local?filter_path=nodes.*.version", timeout=10)
    except (OSError, ValueError, urllib.error.URLError):
        return None
    versions = [node.get("version") for node in info.get("nodes", {}).values()]
    return str(versions[0]) if versions else None
