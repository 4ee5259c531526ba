"""Every setting lives in catalog/config.py, the README's table mirrors it, and nothing overrides it."""

from __future__ import annotations

import json
import re
import typing as t
from pathlib import Path

import pytest

from catalog.app import create_app
from catalog.config import SETTINGS

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("catalog", "search", "media", "translations")
_ROW = re.compile(r"^\| `TIANSHAN_([A-Z0-9_]+)` \| (.+?) \| (.+?) \|$")
#: A key read from a Flask config (``config["KEY"]``, ``config.get("KEY"``, ``config.setdefault(``).
_READ = re.compile(r"config(?:\[|\.get\(|\.setdefault\()\s*\"([A-Z][A-Z0-9_]+)\"")


def default_cell(default: t.Any) -> str:
    """How the README writes a default: unset (the meaning says what applies), a string, or JSON."""
    if default is None:
        return "unset"
    if isinstance(default, str):
        return f"`{default}`"
    return f"`{json.dumps(default)}`"


def readme_table() -> dict[str, tuple[str, str]]:
    """The rows of the README's configuration table: key -> (default cell, meaning)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        found = _ROW.match(line)
        if found:
            key, default, meaning = found.groups()
            assert key not in rows, f"TIANSHAN_{key} is listed twice"
            rows[key] = (default, meaning)
    return rows


def test_readme_table_lists_every_setting_with_its_default_and_meaning() -> None:
    rows = readme_table()
    assert sorted(rows) == sorted(SETTINGS), "the README's configuration table and catalog/config.py differ"
    for key, setting in SETTINGS.items():
        assert rows[key] == (default_cell(setting.default), setting.meaning), key


def test_every_key_the_code_reads_is_a_setting() -> None:
    read: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            for key in _READ.findall(path.read_text(encoding="utf-8")):
                read.setdefault(key, str(path.relative_to(REPO)))
    unknown = {key: where for key, where in read.items() if key not in SETTINGS}
    assert unknown == {}, "read but not declared in catalog/config.py SETTINGS"
    assert {"LIVE_LOW_STOCK", "SIGNIN_MAX_FAILURES", "LOG_JSON", "WEB_SECURE_COOKIES"} <= set(read)


def test_no_module_sets_a_default_of_its_own() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for package in PACKAGES
        for path in sorted((REPO / package).rglob("*.py"))
        if re.search(r"config\.setdefault\(|config\.get\(\s*\"[A-Z_]+\",", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_meaning_is_one_line() -> None:
    for key, setting in SETTINGS.items():
        assert setting.meaning.strip() and "\n" not in setting.meaning, key


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"WEB_SECURE_COOKIES": False, "SESSION_COOKIE_SECURE": True}, (True, False)),
        ({"WEB_SECURE_COOKIES": True, "SESSION_COOKIE_SECURE": False}, (False, True)),
        ({"WEB_SECURE_COOKIES": False}, (False, False)),
        ({"WEB_SECURE_COOKIES": True}, (True, True)),
    ],
)
def test_a_deployments_cookie_settings_are_kept(
    app_config: dict[str, t.Any], tmp_path: Path, given: dict[str, bool], expected: tuple[bool, bool]
) -> None:
    app = create_app({**app_config, **given}, instance_path=str(tmp_path))
    assert (app.config["SESSION_COOKIE_SECURE"], app.config["WTF_CSRF_SSL_STRICT"]) == expected


def test_session_cookie_name_and_flags_come_from_the_settings(
    app_config: dict[str, t.Any], tmp_path: Path
) -> None:
    app = create_app(
        {**app_config, "SESSION_COOKIE_NAME": "studio", "SESSION_COOKIE_SAMESITE": "Strict"},
        instance_path=str(tmp_path),
    )
    assert (app.config["SESSION_COOKIE_NAME"], app.config["SESSION_COOKIE_SAMESITE"]) == ("studio", "Strict")
    plain = create_app(app_config, instance_path=str(tmp_path / "plain"))
    assert (plain.config["SESSION_COOKIE_NAME"], plain.config["SESSION_COOKIE_HTTPONLY"]) == (
        "tianshan_session",
        True,
    )


def test_environment_variables_override_defaults(
    app_config: dict[str, t.Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIANSHAN_LIVE_LOW_STOCK", "3")
    monkeypatch.setenv("TIANSHAN_SIGNIN_MAX_FAILURES", "7")
    app = create_app(app_config, instance_path=str(tmp_path))
    assert (app.config["LIVE_LOW_STOCK"], app.config["SIGNIN_MAX_FAILURES"]) == (3, 7)
    assert app.extensions["live"].low_stock == 3
