"""The package stays pure: no web framework, no catalog imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import translations

PACKAGE = Path(translations.__file__).parent
FORBIDDEN = {"flask", "flask_babel", "catalog", "werkzeug", "sqlalchemy"}


def imported_roots(source: str) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("module", sorted(PACKAGE.glob("*.py")), ids=lambda path: path.name)
def test_modules_import_no_web_or_catalog_code(module: Path) -> None:
    assert imported_roots(module.read_text(encoding="utf-8")) & FORBIDDEN == set()
