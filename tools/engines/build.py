"""Resolve and compile the Java launchers of the test search nodes.

Each engine has a folder beside this module (``elasticsearch/``, ``opensearch/``) with a
``pom.xml`` that names the server artifacts and a ``src/main/java`` tree with our launcher
classes. Maven resolves the class path (from the local repository after the first run), javac
compiles the launcher, and both are cached under the engines folder, keyed by a hash of the
pom and the sources, so a second start costs one JVM launch.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

NODES_DIR = Path(__file__).resolve().parent
ENGINES = ("elasticsearch", "opensearch")
MINIMUM_JAVA = 17


class NodeBuildError(RuntimeError):
    """The Java toolchain is missing or a launcher failed to resolve or compile."""


@dataclass(frozen=True)
class Launcher:
    """A compiled launcher: what ``java`` needs to run it."""

    engine: str
    java: Path
    classpath: str
    main_class: str


MAIN_CLASSES = {
    "elasticsearch": "tianshan.search.nodes.ElasticsearchNodeMain",
    "opensearch": "tianshan.search.nodes.OpenSearchClusterMain",
}


def engines_dir() -> Path:
    """The cache and run folder: ``$TIANSHAN_ENGINES_DIR`` or ``.engines`` in the checkout."""
    configured = os.environ.get("TIANSHAN_ENGINES_DIR")
    if configured:
        return Path(configured).resolve()
    checkout = NODES_DIR.parent.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / ".engines"
    return Path.cwd() / ".engines"


def find_java() -> Path:
    """The ``java`` to run nodes with: ``$JAVA_HOME/bin/java``, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    candidate = Path(java_home) / "bin" / "java" if java_home else None
    if candidate is None or not candidate.is_file():
        found = shutil.which("java")
        if found is None:
            raise NodeBuildError(
                f"no Java runtime found: install a JDK {MINIMUM_JAVA} or newer "
                "(e.g. the openjdk-17-jdk-headless package) or set JAVA_HOME"
            )
        candidate = Path(found)
    version = java_feature_version(candidate)
    if version < MINIMUM_JAVA:
        raise NodeBuildError(
            f"{candidate} is Java {version}; the search nodes need Java {MINIMUM_JAVA} or newer"
        )
    return candidate


def java_feature_version(java: Path) -> int:
    """The feature release (17, 21, ...) of a ``java`` executable."""
    result = subprocess.run([str(java), "-version"], capture_output=True, text=True, check=False, timeout=60)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr)
    if match is None:
        raise NodeBuildError(f"cannot tell the version of {java}: {result.stderr.strip()!r}")
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _tool(name: str, java: Path) -> str:
    sibling = java.parent / name
    if sibling.is_file():
        return str(sibling)
    found = shutil.which(name)
    if found is None:
        hint = "install Maven (the maven package)" if name == "mvn" else "install a full JDK"
        raise NodeBuildError(f"`{name}` not found: {hint} to build the search nodes")
    return found


def source_hash(engine: str) -> str:
    """A digest of the engine's pom.xml and Java sources."""
    folder = _engine_folder(engine)
    digest = hashlib.sha256()
    for path in sorted([folder / "pom.xml", *folder.glob("src/**/*.java")]):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _engine_folder(engine: str) -> Path:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    return NODES_DIR / engine


def _run(command: list[str], what: str, timeout: float) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()[-4000:]
        raise NodeBuildError(f"{what} failed (exit {result.returncode}):\n{output}")


def build_launcher(engine: str, *, timeout: float = 900.0) -> Launcher:
    """Resolve (first time: download through Maven) and compile one engine's launcher."""
    folder = _engine_folder(engine)
    java = find_java()
    build = engines_dir() / engine / f"build-{source_hash(engine)}"
    classes = build / "classes"
    classpath_file = build / "classpath.txt"
    done = build / "done"
    if done.is_file() and _jars_present(classpath_file):
        return _launcher(engine, java, classes, classpath_file)
    if build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True)
    _run(
        [
            _tool("mvn", java),
            "-q",
            "-B",
            "-f",
            str(folder / "pom.xml"),
            "dependency:build-classpath",
            f"-Dmdep.outputFile={classpath_file}",
        ],
        f"resolving the {engine} artifacts with Maven",
        timeout,
    )
    sources = sorted(str(path) for path in folder.glob("src/main/java/**/*.java"))
    _run(
        [
            _tool("javac", java),
            "--release",
            str(MINIMUM_JAVA),
            "-encoding",
            "UTF-8",
            "-d",
            str(classes),
            "-cp",
            classpath_file.read_text().strip(),
            *sources,
        ],
        f"compiling the {engine} launcher",
        timeout,
    )
    done.write_text("ok\n")
    for stale in (engines_dir() / engine).glob("build-*"):
        if stale != build:
            shutil.rmtree(stale, ignore_errors=True)
    return _launcher(engine, java, classes, classpath_file)


def _jars_present(classpath_file: Path) -> bool:
    if not classpath_file.is_file():
        return False
    entries = classpath_file.read_text().strip().split(os.pathsep)
    return all(Path(entry).exists() for entry in entries if entry)


def _launcher(engine: str, java: Path, classes: Path, classpath_file: Path) -> Launcher:
    classpath = os.pathsep.join([str(classes), classpath_file.read_text().strip()])
    return Launcher(engine=engine, java=java, classpath=classpath, main_class=MAIN_CLASSES[engine])
