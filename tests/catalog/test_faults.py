"""Faults: the database locked or gone, a process killed halfway. Clear answers, nothing half-done."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from catalog import create_app
from catalog.db import get_session
from catalog.db import make_engine
from catalog.models import Product
from catalog.presenting.sheets import COLUMNS
from tests.catalog.payloads import product
from tests.conftest import Tokens
from tests.support.postgres import ON_POSTGRESQL
from tests.support.postgres import free_port

REPO = Path(__file__).resolve().parents[2]


def test_locked_database_answers_503_and_changes_nothing(
    app_config: dict[str, t.Any], tmp_path: Path, tokens: Tokens, app: Flask
) -> None:
    quick = create_app({**app_config, "DATABASE_BUSY_TIMEOUT": 0.5}, instance_path=str(tmp_path / "q"))
    client = quick.test_client()
    holder = make_engine(app_config["DATABASE_URL"]).execution_options(sqlite_begin="IMMEDIATE")
    with holder.connect() as connection:
        if holder.dialect.name == "sqlite":
            connection.exec_driver_sql("SELECT 1")  # BEGIN IMMEDIATE: holds the write lock
        else:
            connection.exec_driver_sql("LOCK TABLE products IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        response = client.post("/api/v1/products", json=product(), headers=tokens.headers("editor"))
        waited = time.monotonic() - started
        connection.rollback()
    holder.engine.dispose()
    assert response.status_code == 503, response.json
    assert response.mimetype == "application/problem+json"
    assert "nothing was changed" in response.json["detail"]
    assert response.headers["Retry-After"]
    assert waited < 10
    with app.app_context():
        assert get_session().scalar(sa.select(sa.func.count(Product.id))) == 0
    quick.extensions["db"].dispose()


@ON_POSTGRESQL
def test_every_pooled_connection_busy_answers_503(
    app_config: dict[str, t.Any], tmp_path: Path, app: Flask
) -> None:
    quick = create_app({**app_config, "DATABASE_BUSY_TIMEOUT": 0.5}, instance_path=str(tmp_path / "q"))
    engine = quick.extensions["db"].engine
    held: list[sa.Connection] = []
    with pytest.raises(sa.exc.TimeoutError):
        while len(held) < 100:
            held.append(engine.connect())
    response = quick.test_client().get("/api/v1/products")
    for connection in held:
        connection.close()
    quick.extensions["db"].dispose()
    assert response.status_code == 503, response.json
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]
    assert quick.test_client().get("/api/v1/products").status_code == 200


def test_database_gone_answers_503(tmp_path: Path) -> None:
    url = f"postgresql://nobody@127.0.0.1:{free_port()}/none"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "DATABASE_BUSY_TIMEOUT": 1,
            "SEARCH_URL": f"sqlite:///{tmp_path / 's.db'}",
            "SECRET_KEY": "x",
        },
        instance_path=str(tmp_path),
    )
    client = app.test_client()
    response = client.get("/api/v1/products")
    assert response.status_code == 503
    assert "unavailable" in response.json["detail"]
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json == {"status": "unavailable"}


def _sheet(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for i in range(rows):
            writer.writerow(
                {c: "" for c in COLUMNS}
                | {
                    "sku": f"KZ-FLOUR-{i:05d}",
                    "name_zh": f"面粉 {i}",
                    "origin_country": "KZ",
                    "category": "food.flour",
                    "price": "25.00",
                    "currency": "CNY",
                    "status": "published",
                }
            )
    return path


def test_import_killed_halfway_leaves_nothing(
    app_config: dict[str, t.Any], tmp_path: Path, app: Flask
) -> None:
    sheet = _sheet(tmp_path / "big.csv", 20000)
    env = {
        **os.environ,
        "TIANSHAN_DATABASE_URL": app_config["DATABASE_URL"],
        "TIANSHAN_SEARCH_URL": app_config["SEARCH_URL"],
        "TIANSHAN_INSTANCE_PATH": str(tmp_path / "inst"),
        "TIANSHAN_SECRET_KEY": "x",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog.cli", "import", "products", str(sheet)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    engine = make_engine(app_config["DATABASE_URL"])
    time.sleep(4)  # well into the 20,000 rows: past start-up, before the commit
    assert process.poll() is None, "the import finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with engine.connect() as connection:
        count = connection.scalar(sa.select(sa.func.count()).select_from(Product.__table__))
    engine.dispose()
    assert process.returncode == -signal.SIGKILL
    assert count == 0
    with app.app_context():
        assert get_session().scalar(sa.select(sa.func.count(Product.id))) == 0
