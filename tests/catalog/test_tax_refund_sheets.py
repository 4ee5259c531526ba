"""Import and export carry a product's VAT class and its exclusion from the tax refund."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.catalog.test_cli import ROW
from tests.catalog.test_cli import products
from tests.catalog.test_cli import write_csv


def test_import_sets_and_export_gives_back_the_vat_class_and_exclusion(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    rows = [
        {**ROW, "sku": "GE-WINE-001", "vat_class": "9", "tax_refund_excluded": "yes"},
        {**ROW, "sku": "GE-WINE-002", "vat_class": "exempt", "tax_refund_excluded": "no"},
        {**ROW, "sku": "GE-WINE-003"},
    ]
    result = runner.invoke(args=["import", "products", str(write_csv(tmp_path / "in.csv", rows))])
    assert result.exit_code == 0, result.output
    stored = {p.sku: (p.vat_class, p.tax_refund_excluded) for p in products(app)}
    assert stored == {
        "GE-WINE-001": ("9", True),
        "GE-WINE-002": ("exempt", False),
        "GE-WINE-003": ("13", False),
    }
    exported = runner.invoke(args=["export", "products", str(tmp_path / "out.csv")])
    assert exported.exit_code == 0
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as handle:
        written = {r["sku"]: (r["vat_class"], r["tax_refund_excluded"]) for r in csv.DictReader(handle)}
    assert written == {
        "GE-WINE-001": ("9", "yes"),
        "GE-WINE-002": ("exempt", "no"),
        "GE-WINE-003": ("13", "no"),
    }
    again = runner.invoke(args=["import", "products", str(tmp_path / "out.csv")])
    assert "3 unchanged" in again.output


def test_an_xlsx_export_carries_the_columns_back_in(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    rows = [{**ROW, "vat_class": "9", "tax_refund_excluded": "yes"}]
    assert (
        runner.invoke(args=["import", "products", str(write_csv(tmp_path / "in.csv", rows))]).exit_code == 0
    )
    assert runner.invoke(args=["export", "products", str(tmp_path / "out.xlsx")]).exit_code == 0
    sheet = load_workbook(tmp_path / "out.xlsx", read_only=True)["products"]
    header, *cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    [written] = [dict(zip(header, row, strict=True)) for row in cells]
    assert (written["vat_class"], written["tax_refund_excluded"]) == ("9", "yes")
    again = runner.invoke(args=["import", "products", str(tmp_path / "out.xlsx")])
    assert "1 unchanged" in again.output, again.output
    assert [(p.vat_class, p.tax_refund_excluded) for p in products(app)] == [("9", True)]


def test_a_changed_vat_class_in_a_sheet_updates_the_product(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    runner.invoke(args=["import", "products", str(write_csv(tmp_path / "a.csv", [ROW]))])
    changed = [{**ROW, "vat_class": "9", "tax_refund_excluded": "yes"}]
    result = runner.invoke(args=["import", "products", str(write_csv(tmp_path / "b.csv", changed))])
    assert "1 updated" in result.output, result.output
    assert [(p.vat_class, p.tax_refund_excluded) for p in products(app)] == [("9", True)]


@pytest.mark.parametrize(
    "database_url", ["sqlite"], indirect=True
)  # refused before any write: one database shows it
@pytest.mark.parametrize(
    ("column", "value"),
    [("vat_class", "5"), ("vat_class", "13%"), ("tax_refund_excluded", "perhaps")],
)
def test_a_bad_cell_is_refused_naming_the_column_and_nothing_is_imported(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, column: str, value: str
) -> None:
    rows = [{**ROW, "sku": "GE-WINE-001"}, {**ROW, "sku": "GE-WINE-002", column: value}]
    result = runner.invoke(args=["import", "products", str(write_csv(tmp_path / "bad.csv", rows))])
    assert result.exit_code != 0
    assert f"line 3 (GE-WINE-002): {column}" in result.output
    assert products(app) == []
