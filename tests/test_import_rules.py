"""The import rules of docs/ARCHITECTURE.md, read from the source with ``ast``.

Every ``import``, ``from … import`` (relative ones resolved), ``importlib.import_module("…")``
and ``__import__("…")`` with a literal name counts, wherever it stands in a module (inside a
function or under ``TYPE_CHECKING`` as well).
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Loaders that take a module name as their first argument.
LOADERS = {"import_module", "__import__"}


@dataclasses.dataclass(frozen=True)
class Rule:
    """Modules under *package* may not import anything under one of *forbidden*."""

    package: str
    forbidden: tuple[str, ...]
    why: str
    #: Modules the rule does not apply to (the factory wires every blueprint in).
    exempt: tuple[str, ...] = ()


RULES = (
    Rule("search", ("catalog", "flask", "flask_babel", "werkzeug"), "search works without the app"),
    Rule("media", ("catalog", "flask", "flask_babel", "werkzeug"), "media works without the app"),
    Rule(
        "translations", ("catalog", "flask", "flask_babel", "werkzeug"), "translations works without the app"
    ),
    Rule("translations", ("search", "media"), "search and media build on translations, not the reverse"),
    Rule(
        "catalog.services", ("catalog.api", "catalog.web", "flask", "werkzeug"), "services know no requests"
    ),
    Rule(
        "catalog.presenting", ("catalog.api", "catalog.web"), "presenters serve the API and the pages alike"
    ),
    Rule("catalog.web", ("catalog.api",), "the pages and the API are siblings"),
    Rule("catalog.api", ("catalog.web",), "the API and the pages are siblings"),
    Rule(
        "catalog",
        ("catalog.api",),
        "only the factory wires the API in",
        exempt=("catalog.api", "catalog.app"),
    ),
    Rule(
        "catalog",
        ("catalog.web",),
        "only the factory wires the pages in",
        exempt=("catalog.web", "catalog.app"),
    ),
)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _loader_name(call: ast.Call) -> str | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name not in LOADERS or not call.args:
        return None
    first = call.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def imported(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every module *source* imports, with its line (``from a import b`` counts ``a`` and ``a.b``)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call) and (name := _loader_name(node)) is not None:
            found.append((node.lineno, name))
    return found


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations(rule: Rule, root: Path = ROOT) -> list[str]:
    """``path:line imports name`` for every import under *root* that breaks *rule*."""
    folder = root.joinpath(*rule.package.split("."))
    assert folder.is_dir(), f"no package {rule.package} under {root}"
    out = []
    for path in sorted(folder.rglob("*.py")):
        module = _module_name(path, root)
        if any(_under(module, skipped) for skipped in rule.exempt):
            continue
        for line, name in imported(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
            if any(_under(name, banned) for banned in rule.forbidden):
                out.append(f"{path.relative_to(root)}:{line} imports {name}")
    return sorted(set(out))


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.why)
def test_import_rule(rule: Rule) -> None:
    found = violations(rule)
    assert not found, f"{rule.why}:\n" + "\n".join(found)


def test_every_kind_of_import_is_seen() -> None:
    source = """
import flask
import os, werkzeug.exceptions as wx
from catalog.api import presenters
from . import sibling
from ..web.context import page_locale
import importlib
def later():
    importlib.import_module("search.analysis")
    __import__("catalog.web")
    import_module("media.cards")
    importlib.import_module(name_chosen_at_run_time)
"""
    names = [name for _line, name in imported(source, "catalog.services.example")]
    assert "flask" in names and "werkzeug.exceptions" in names
    assert "catalog.api" in names and "catalog.api.presenters" in names
    assert "catalog.services.sibling" in names
    assert "catalog.web.context" in names and "catalog.web.context.page_locale" in names
    assert "search.analysis" in names and "catalog.web" in names and "media.cards" in names
    assert not any("name_chosen_at_run_time" in name for name in names)


def test_relative_imports_resolve_from_a_package_init() -> None:
    names = [name for _line, name in imported("from .engine import SearchEngine", "search", is_package=True)]
    assert names == ["search.engine", "search.engine.SearchEngine"]


def test_a_broken_rule_is_reported_with_its_place(tmp_path: Path) -> None:
    services = tmp_path / "catalog" / "services"
    services.mkdir(parents=True)
    (services / "__init__.py").write_text("")
    (services / "clean.py").write_text("from catalog.domain_errors import NotFound\n")
    (services / "hidden.py").write_text("import importlib\n\nimportlib.import_module('catalog.web.host')\n")
    (services / "plain.py").write_text("from ..web import host\n")
    rule = Rule("catalog.services", ("catalog.web",), "example")
    assert violations(rule, tmp_path) == [
        "catalog/services/hidden.py:3 imports catalog.web.host",
        "catalog/services/plain.py:1 imports catalog.web",
        "catalog/services/plain.py:1 imports catalog.web.host",
    ]
