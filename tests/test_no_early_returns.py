"""The suite's own rule: a test never passes by returning early or skipping itself.

A case that does not apply to a parameter (a database, an engine) is not generated for it; a
test that returned before its assertions would count as a pass while proving nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def early_exits(source: str) -> list[str]:
    """``name:line`` of each bare ``return`` under an ``if``, or ``pytest.skip``, in a test function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test"):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.If) and any(
                isinstance(s, ast.Return) and s.value is None for s in ast.walk(inner)
            ):
                found.append(f"{node.name}:{inner.lineno}")
            if isinstance(inner, ast.Call) and ast.unparse(inner.func) in ("pytest.skip", "pytest.xfail"):
                found.append(f"{node.name}:{inner.lineno}")
    return found


def test_the_check_finds_an_early_return() -> None:
    sample = "def test_x(db):\n    if db == 'postgresql':\n        return\n    assert db\n"
    assert early_exits(sample) == ["test_x:2"]
    assert early_exits("def test_y():\n    pytest.skip('later')\n") == ["test_y:2"]
    assert early_exits("def helper():\n    if x:\n        return\n") == []


def test_no_test_returns_early_or_skips_itself() -> None:
    offenders = {
        str(path.relative_to(TESTS)): exits
        for path in sorted(TESTS.rglob("test_*.py"))
        if (exits := early_exits(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
