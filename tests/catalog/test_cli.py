"""The ``tianshan`` command line: users, import and export, the demo catalog, migrations."""

from __future__ import annotations

import csv
import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import Workbook

from catalog import migrate
from catalog.auth import hash_token
from catalog.db import get_session
from catalog.db import make_engine
from catalog.models import ApiToken
from catalog.models import AuditEntry
from catalog.models import Product
from catalog.presenting.sheets import COLUMNS

ROW = {
    "sku": "GE-WINE-001",
    "status": "published",
    "source_locale": "zh",
    "name_zh": "格鲁吉亚萨佩拉维干红葡萄酒 750ml",
    "name_ru": "Вино Саперави красное сухое 750 мл",
    "highlights_ru": "Кахетия | 13%",
    "origin_country": "GE",
    "category": "drinks.wine",
    "booth": "georgia",
    "price": "128.00",
    "currency": "CNY",
    "wholesale": "6:118.00; 24:109.00",
    "stock": "120",
    "barcode": "",
    "tags": "gift, belt-and-road",
}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


def products(app: Flask) -> list[Product]:
    with app.app_context():
        return list(get_session().scalars(sa.select(Product).order_by(Product.sku)))


def test_users_add_prints_a_token_stored_only_hashed(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "add", "aigerim", "--role", "translator", "--locale", "kk"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("tsk_")
    with app.app_context():
        stored = get_session().scalars(sa.select(ApiToken.token_hash)).all()
    assert stored == [hash_token(token)]
    assert token not in stored


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "add", "x", "--role", "translator"], "needs at least one --locale"),
        (["users", "add", "x", "--role", "translator", "--locale", "fr"], "unknown locale"),
        (["users", "add", "x", "--role", "wizard"], "Invalid value"),
    ],
)
def test_users_add_refuses_bad_input(runner: FlaskCliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output


def test_revoked_token_stops_working_at_once(app: Flask, runner: FlaskCliRunner) -> None:
    token = runner.invoke(args=["users", "add", "dana", "--role", "editor"]).stdout.strip().splitlines()[-1]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.put("/api/v1/rates/KZT", json={"per_cny": "68.5"}, headers=headers).status_code == 201
    assert runner.invoke(args=["users", "revoke", "dana"]).exit_code == 0
    assert client.put("/api/v1/rates/RUB", json={"per_cny": "12.4"}, headers=headers).status_code == 401


def test_import_creates_and_updates_products(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "wine.csv", [ROW])
    result = runner.invoke(args=["import", "products", str(sheet)])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    [wine] = products(app)
    assert wine.content_for("ru").highlights == ["Кахетия", "13%"]  # type: ignore[union-attr]
    assert [(w.min_qty, str(w.amount)) for w in wine.wholesale] == [(6, "118.0000"), (24, "109.0000")]
    again = runner.invoke(
        args=["import", "products", str(write_csv(tmp_path / "w2.csv", [{**ROW, "stock": "90"}]))]
    )
    assert again.exit_code == 0, again.output
    assert "1 updated" in again.output
    assert products(app)[0].stock == 90


def test_one_bad_row_among_many_changes_nothing(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    rows = [{**ROW, "sku": f"GE-WINE-{i:04d}"} for i in range(1500)]
    rows[1234] = {**rows[1234], "origin_country": "XX"}
    rows[77] = {**rows[77], "price": "12.345"}
    result = runner.invoke(args=["import", "products", str(write_csv(tmp_path / "big.csv", rows))])
    assert result.exit_code != 0
    assert "line 1236 (GE-WINE-1234): origin_country" in result.output
    assert "line 79 (GE-WINE-0077): price.amount" in result.output
    assert "nothing was imported" in result.output
    assert products(app) == []
    with app.app_context():
        assert get_session().scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_import_reports_repeated_skus_and_unknown_columns(runner: FlaskCliRunner, tmp_path: Path) -> None:
    repeated = runner.invoke(args=["import", "products", str(write_csv(tmp_path / "r.csv", [ROW, ROW]))])
    assert "line 3 (GE-WINE-001): sku: repeats the SKU of line 2" in repeated.output
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,colour\nA-1,red\n", encoding="utf-8")
    result = runner.invoke(args=["import", "products", str(bad)])
    assert result.exit_code != 0
    assert "unknown column(s) colour" in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("latin1.csv", "sku,name_zh\nA-1,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("empty.csv", b"", "empty"),
        ("sheet.txt", b"sku\n", "use a .csv or .xlsx file"),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "not a readable XLSX"),
    ],
)
def test_unreadable_files_are_refused_clearly(
    runner: FlaskCliRunner, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(args=["import", "products", str(path)])
    assert result.exit_code != 0
    assert message in result.output


def test_xlsx_import_and_export_round_trip(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append([{**ROW, "stock": 120, "price": 128}.get(c) for c in COLUMNS])
    book.save(tmp_path / "in.xlsx")
    result = runner.invoke(args=["import", "products", str(tmp_path / "in.xlsx")])
    assert result.exit_code == 0, result.output
    exported = runner.invoke(args=["export", "products", str(tmp_path / "out.csv")])
    assert exported.exit_code == 0
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["price"] == "128.00"
    assert row["wholesale"] == "6:118.00; 24:109.00"
    assert row["name_ru"] == ROW["name_ru"]
    reimport = runner.invoke(args=["import", "products", str(tmp_path / "out.csv")])
    assert "1 unchanged" in reimport.output


def test_demo_is_idempotent(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["demo", "--no-pictures"])
    assert first.exit_code == 0, first.output
    count = len(products(app))
    assert count >= 300
    second = runner.invoke(args=["demo", "--no-pictures"])
    assert second.exit_code == 0
    assert "0 products added" in second.output
    assert len(products(app)) == count


def test_db_upgrade_migrates_a_new_database(tmp_path: Path, app_config: dict[str, t.Any]) -> None:
    from catalog import create_app

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    fresh = create_app({**app_config, "DATABASE_URL": url}, instance_path=str(tmp_path / "i"))
    result = fresh.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "at revision" in result.output
    assert migrate.current_revision(make_engine(url)) is not None


def test_models_match_the_migrations(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from catalog.models import Base

    engine = make_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []
