"""No English UI text on Russian pages: every msgid of the pages must render translated.

This check can only pass once the Russian UI catalog exists (``translations/ru/LC_MESSAGES/
messages.po``, compiled by ``make messages``). Until then it is marked as an expected failure
(strict: it must fail), so the day the catalog lands it starts guarding the pages by itself.
"""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from tests.web.conftest import PageProblems
from tests.web.live import LiveServer

REPO = Path(__file__).resolve().parents[2]
RU_CATALOG = REPO / "translations" / "ru" / "LC_MESSAGES" / "messages.mo"
PAGES = ("/", "/search?q=мёд", "/search?q=zzzzzz", "/signin")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")

pytestmark = pytest.mark.browser


def page_msgids() -> set[str]:
    """The English messages the pages can show, extracted as ``pybabel extract`` would."""
    found: set[str] = set()
    sources = [
        (REPO / "catalog" / "templates", [("**.html", "jinja2")]),
        (REPO / "catalog" / "web", [("**.py", "python")]),
    ]
    for folder, method_map in sources:
        for _name, _line, message, _comments, _context in extract_from_dir(
            str(folder), method_map=method_map, keywords={"_": None, "gettext": None, "ngettext": (1, 2)}
        ):
            for text in message if isinstance(message, tuple) else (message,):
                found.add(text)
    return found


def fragments(msgid: str) -> list[str]:
    """Pieces of *msgid* that show verbatim on a page: the text between placeholders, two words or more."""
    return [part.strip() for part in _PLACEHOLDER.split(msgid) if len(part.strip().split()) >= 2]


def test_msgids_are_extracted_from_the_pages() -> None:
    msgids = page_msgids()
    assert "Staff sign-in" in msgids and "Country booths" in msgids
    assert fragments("Price: %(price)s.") == []
    assert fragments("Listed at %(price)s.") == ["Listed at"]
    assert fragments("Edit %(sku)s, now in two words") == [", now in two words"]


@pytest.mark.xfail(
    not RU_CATALOG.exists(),
    reason="the Russian UI catalog is not written yet (translations/ru/LC_MESSAGES/messages.po)",
    strict=True,
)
def test_russian_pages_show_no_untranslated_english(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    checks = {fragment: msgid for msgid in page_msgids() for fragment in fragments(msgid)}
    page = new_page(locale="ru-RU")
    untranslated: dict[str, set[str]] = {}
    for path in PAGES:
        separator = "&" if "?" in path else "?"
        page.goto(f"{live_server.url}{path}{separator}locale=ru")
        text = page.inner_text("body")
        for fragment, msgid in checks.items():
            if fragment in text:
                untranslated.setdefault(msgid, set()).add(path)
    assert not untranslated, f"untranslated on Russian pages (catalog {RU_CATALOG.name}):\n" + "\n".join(
        f"{msgid!r} on {', '.join(sorted(paths))}" for msgid, paths in sorted(untranslated.items())
    )
    problems.assert_none()
