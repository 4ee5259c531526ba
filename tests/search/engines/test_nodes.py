"""The node helpers' own checks and failure reports (no search server needed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require
from tools.engines import NodeBuildError
from tools.engines import NodeProcess
from tools.engines import NodeStartError
from tools.engines import build_launcher
from tools.engines import new_spec
from tools.engines.build import Launcher
from tools.engines.build import find_java
from tools.engines.running import NodeSpec

REPO = Path(__file__).resolve().parents[3]


def test_elasticsearch_runs_one_node_per_jvm() -> None:
    with pytest.raises(ValueError, match="an Elasticsearch JVM runs exactly one node, not 3"):
        new_spec("elasticsearch", nodes=3)
    with pytest.raises(ValueError, match="a cluster needs at least one node, not 0"):
        new_spec("opensearch", nodes=0)


def test_unknown_engine_is_named() -> None:
    with pytest.raises(ValueError, match="unknown engine 'solr': choose one of elasticsearch, opensearch"):
        build_launcher("solr")


def test_spec_urls_and_arguments(tmp_path: Path) -> None:
    spec = new_spec("opensearch", nodes=3, home=tmp_path)
    assert len(set(spec.http_ports + spec.transport_ports)) == 6
    assert spec.search_url == "opensearch://" + ",".join(f"127.0.0.1:{p}" for p in spec.http_ports)
    assert spec.http_urls[0] == f"http://127.0.0.1:{spec.http_ports[0]}"
    arguments = spec.arguments()
    assert arguments[arguments.index("-controlPort") + 1] == str(spec.control_port)
    assert spec.heap == "1g"
    without_control = NodeSpec("opensearch", tmp_path, (1,), (2,), control_port=None)
    with pytest.raises(ValueError, match="needs a control port"):
        without_control.arguments()


def test_test_nodes_keep_a_small_jvm_and_benchmark_nodes_get_g1(tmp_path: Path) -> None:
    launcher = Launcher("elasticsearch", tmp_path / "java", "classes", "Main")
    small = NodeProcess(new_spec("elasticsearch", home=tmp_path), launcher).command(tie_to_parent=False)
    assert {"-Xms512m", "-Xmx512m", "-XX:+UseSerialGC"} <= set(small)
    spec = new_spec("elasticsearch", home=tmp_path, heap="2g", serial_gc=False)
    large = NodeProcess(spec, launcher).command(tie_to_parent=False)
    assert {"-Xms2g", "-Xmx2g"} <= set(large)
    assert not [flag for flag in large if flag.endswith("GC")]


def _fake_java(folder: Path, version_line: str) -> Path:
    java = folder / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    return java


def test_too_old_java_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_java(tmp_path, 'openjdk version "11.0.21" 2023-10-17')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(NodeBuildError, match="is Java 11; the search nodes need Java 17 or newer"):
        find_java()


def test_old_style_version_numbers_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_java(tmp_path, 'java version "1.8.0_392"')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(NodeBuildError, match="is Java 8"):
        find_java()


def test_missing_java_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(NodeBuildError, match="no Java runtime found: install a JDK 17"):
        find_java()


def test_a_jvm_that_dies_is_reported_with_its_log(tmp_path: Path) -> None:
    java = shutil.which("java")
    require(java is not None, "no java on PATH")
    assert java is not None
    launcher = Launcher("elasticsearch", Path(java), str(tmp_path / "none"), "no.such.MainClass")
    process = NodeProcess(new_spec("elasticsearch", home=tmp_path / "node"), launcher)
    with pytest.raises(NodeStartError, match=r"(?s)exited with code 1 while starting.*no\.such\.MainClass"):
        process.start(timeout=60)
    assert not process.running()


def _cli(*arguments: str, engines_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "TIANSHAN_ENGINES_DIR": str(engines_dir)}
    return subprocess.run(
        [sys.executable, "-m", "tools.engines", *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        check=False,
        timeout=timeout,
    )


def test_cli_status_and_stop_without_engines(tmp_path: Path) -> None:
    status = _cli("status", engines_dir=tmp_path)
    assert status.returncode == 1
    assert status.stdout.strip() == "no search engines started"
    stop = _cli("stop", engines_dir=tmp_path)
    assert stop.returncode == 0


def test_cli_stop_leaves_a_process_that_reused_the_pid_alone(tmp_path: Path) -> None:
    state = {"elasticsearch": {"pid": os.getpid(), "http_urls": ["http://127.0.0.1:1"]}}
    (tmp_path / "state.json").write_text(json.dumps(state))
    stop = _cli("stop", engines_dir=tmp_path)
    assert stop.returncode == 0
    assert f"elasticsearch (pid {os.getpid()}) was not running" in stop.stdout
    assert not (tmp_path / "state.json").exists()


@pytest.mark.engines
@pytest.mark.slow
def test_cli_starts_reports_and_stops_an_engine(tmp_path: Path) -> None:
    started = _cli("start", "elasticsearch", engines_dir=tmp_path, timeout=600)
    try:
        assert started.returncode == 0, started.stderr
        line = started.stdout.strip()
        assert re.fullmatch(r"TIANSHAN_SEARCH_URL=elasticsearch://127\.0\.0\.1:\d+", line)
        again = _cli("start", "elasticsearch", engines_dir=tmp_path)
        assert again.stdout.strip() == line  # already running: the same node
        status = _cli("status", engines_dir=tmp_path)
        assert status.returncode == 0
        assert re.match(r"elasticsearch 8\.19\.\d+: elasticsearch://.* \(green, 1 node\(s\)\)", status.stdout)
    finally:
        stopped = _cli("stop", engines_dir=tmp_path)
    assert stopped.stdout.startswith("stopped elasticsearch (pid ")
    assert _cli("status", engines_dir=tmp_path).returncode == 1


def test_cli_refuses_an_unknown_engine(tmp_path: Path) -> None:
    answer = _cli("start", "solr", engines_dir=tmp_path)
    assert answer.returncode == 2
    assert "unknown engine 'solr': choose from elasticsearch, opensearch" in answer.stderr
    answer = _cli("start", "--opensearch-nodes", "0", engines_dir=tmp_path)
    assert answer.returncode == 2
    assert "--opensearch-nodes must be at least 1" in answer.stderr
