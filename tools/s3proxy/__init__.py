"""A real S3 server for tests and local development: S3Proxy on its filesystem backend.

The server is one jar (``org.gaul:s3proxy`` with the ``jar-with-dependencies`` classifier)
that Maven copies into the engines folder on first use, the way the search nodes' artifacts
are resolved; it runs on Java 17 and listens on a free loopback port. Buckets are folders
under its home.
"""

from __future__ import annotations

import contextlib
import http.client
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tools.engines.build import NodeBuildError
from tools.engines.build import _run
from tools.engines.build import _tool
from tools.engines.build import engines_dir
from tools.engines.build import find_java
from tools.engines.running import LOOPBACK
from tools.engines.running import free_port
from tools.engines.running import stop_process_group

VERSION = "2.6.0"
ARTIFACT = f"org.gaul:s3proxy:{VERSION}:jar:jar-with-dependencies"
JAR = f"s3proxy-{VERSION}-jar-with-dependencies.jar"
#: The test server's own credentials (it is reachable on loopback only).
IDENTITY = "tianshan-test"
CREDENTIAL = "tianshan-test-secret-0123456789"


def fetch_jar(*, timeout: float = 900.0) -> Path:
    """The S3Proxy jar, copied by Maven from the local repository (downloaded the first time)."""
    folder = engines_dir() / "s3proxy"
    jar = folder / JAR
    if jar.is_file():
        return jar
    folder.mkdir(parents=True, exist_ok=True)
    java = find_java()
    _run(
        [
            _tool("mvn", java),
            "-q",
            "-B",
            "dependency:copy",
            f"-Dartifact={ARTIFACT}",
            f"-DoutputDirectory={folder}",
        ],
        "copying the S3Proxy jar with Maven",
        timeout,
    )
    if not jar.is_file():
        raise NodeBuildError(f"Maven finished but {jar} is missing")
    return jar


@dataclass
class S3Proxy:
    """One S3Proxy process serving the folders under *home* as buckets."""

    home: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def environment(self) -> dict[str, str]:
        """The ``AWS_*`` variables a client needs to use this server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": IDENTITY,
            "AWS_SECRET_ACCESS_KEY": CREDENTIAL,
            "AWS_DEFAULT_REGION": "us-east-1",
        }

    def start(self, *, timeout: float = 180.0) -> None:
        """Launch the server and wait until it answers S3 requests."""
        jar = fetch_jar()
        self.port = self.port or free_port()
        data = self.home / "buckets"
        data.mkdir(parents=True, exist_ok=True)
        settings = self.home / "s3proxy.properties"
        settings.write_text(
            "\n".join(
                [
                    f"s3proxy.endpoint={self.endpoint}",
                    "s3proxy.authorization=aws-v2-or-v4",
                    f"s3proxy.identity={IDENTITY}",
                    f"s3proxy.credential={CREDENTIAL}",
                    "jclouds.provider=filesystem",
                    f"jclouds.filesystem.basedir={data}",
                    "",
                ]
            )
        )
        command = [
            str(find_java()),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dlogback.configurationFile=/dev/null",
            f"-Djava.io.tmpdir={self.home}",
            "-jar",
            str(jar),
            "--properties",
            str(settings),
        ]
        log = self.home / "s3proxy.log"
        with open(log, "ab") as output:
            self.process = subprocess.Popen(
                command,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process.poll() is not None:
                raise NodeBuildError(f"S3Proxy exited with code {self.process.returncode}; see {log}")
            if time.monotonic() > deadline:
                self.stop()
                raise NodeBuildError(f"S3Proxy did not answer within {timeout:.0f} s; see {log}")
            time.sleep(0.3)

    def answers(self) -> bool:
        """Whether the server answers HTTP (any status: anonymous requests are refused)."""
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=2)
        try:
            connection.request("GET", "/")
            connection.getresponse().read()
            return True
        except OSError:
            return False
        finally:
            connection.close()

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            stop_process_group(process.pid, timeout=10)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
