"""Fixtures shared by the whole suite: the app on SQLite and on PostgreSQL, clients and tokens."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import typing as t
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner

from catalog import create_app
from catalog import migrate
from catalog.analytics.counters import CounterWriter
from catalog.db import get_session
from catalog.db import make_engine
from catalog.models import Role
from catalog.services.users import add_user
from tests.support.missing import unavailable
from tests.support.postgres import PostgresCluster
from tests.support.postgres import find_bindir

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


def require(condition: bool, reason: str) -> None:
    """Skip on a developer's machine when *condition* fails; in CI, fail instead."""
    if not condition:
        unavailable(reason)


@pytest.fixture(scope="session")
def postgres_cluster() -> t.Iterator[PostgresCluster]:
    bindir = find_bindir()
    require(bindir is not None, "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    assert bindir is not None
    cluster = PostgresCluster(bindir)
    cluster.start()
    yield cluster
    _forget_pending_counts()
    cluster.stop()


def _forget_pending_counts() -> None:
    """Counts left by apps a test did not close would be written at exit, into a cluster that is gone."""
    for thing in gc.get_objects():
        if isinstance(thing, CounterWriter):
            thing.discard()


@pytest.fixture(scope="session")
def postgres_template(postgres_cluster: PostgresCluster) -> str:
    """A migrated database that each test's database is copied from."""
    postgres_cluster.execute("CREATE DATABASE tianshan_template")
    engine = make_engine(postgres_cluster.url("tianshan_template"))
    migrate.upgrade(engine)
    engine.dispose()
    return "tianshan_template"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "catalog.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


_counter = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> t.Iterator[str]:
    """A fresh, migrated database: every test that uses it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "catalog.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    template = request.getfixturevalue("postgres_template")
    name = f"t{next(_counter)}_{os.getpid()}"
    cluster.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
    yield cluster.url(name)
    cluster.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, t.Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SEARCH_URL": f"sqlite:///{tmp_path / 'search.db'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": "test-secret",
    }


class EnglishClient(FlaskClient):
    """A test client whose requests ask for English, so messages read the same whether or not
    the UI catalogs are compiled (pages default to Chinese otherwise)."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@contextlib.contextmanager
def serving_app(config: t.Mapping[str, t.Any], instance: Path) -> t.Iterator[Flask]:
    """An app on *config* (test clients ask for English), closed afterwards."""
    app = create_app(config, instance_path=str(instance))
    app.test_client_class = EnglishClient
    try:
        yield app
    finally:
        app.extensions["analytics"].writer.close()  # the counts a test left pending, before the database goes
        app.extensions["search"].close()
        app.extensions["db"].dispose()


@pytest.fixture
def app(app_config: dict[str, t.Any], tmp_path: Path) -> t.Iterator[Flask]:
    with serving_app(app_config, tmp_path / "instance") as app:
        yield app


@pytest.fixture
def other_worker(app_config: dict[str, t.Any], tmp_path: Path) -> t.Iterator[Flask]:
    """A second app on the same database: what another gunicorn worker (or process) sees."""
    with serving_app(app_config, tmp_path / "other-worker") as other:
        yield other


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class Tokens(dict[str, str]):
    """Tokens by role name (``admin``, ``editor``, ``host``, ``translator_kk``, ``translator_ru``)."""

    def headers(self, role: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self[role]}", **extra}


@pytest.fixture
def tokens(app: Flask) -> Tokens:
    result = Tokens()
    with app.app_context():
        session = get_session()
        for name, role, locales in (
            ("admin", Role.ADMIN, []),
            ("editor", Role.EDITOR, []),
            ("host", Role.HOST, []),
            ("translator_kk", Role.TRANSLATOR, ["kk"]),
            ("translator_ru", Role.TRANSLATOR, ["ru"]),
        ):
            _, token = add_user(session, name, role, locales)
            result[name] = token
        session.commit()
    return result
