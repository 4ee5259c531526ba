"""Accessibility: labels, headings, focus order and colour contrast of the pages."""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

import pytest

from tests.web.conftest import PageProblems
from tests.web.live import STAFF_PASSWORD
from tests.web.live import LiveServer

STYLES = Path(__file__).resolve().parents[2] / "catalog" / "static" / "css" / "site.css"
#: (text, background) pairs the stylesheet puts together; AA asks 4.5:1 for body text.
PAIRS = [
    ("--ink", "--paper"),
    ("--muted", "--paper"),
    ("--muted", "--wash"),
    ("--accent", "--paper"),
    ("--accent-ink", "--accent"),
    ("--danger", "--paper"),
    ("--danger", "#fdecec"),
    ("--ok", "#e6f4ea"),
    ("#ffffff", "--live"),
    ("#ffffff", "#08434d"),
    ("#6b5200", "#fff3cd"),
]
AUDIT = """() => {
  const problems = [];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    const named = (el.labels && el.labels.length) || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (!named) problems.push("no label: " + el.outerHTML.slice(0, 80));
  }
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push("no alt: " + img.outerHTML.slice(0, 80));
  }
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(h1 + " h1 elements");
  const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length) problems.push("repeated ids: " + repeated.join(", "));
  for (const button of document.querySelectorAll("button, a[href]")) {
    if (!button.textContent.trim() && !button.getAttribute("aria-label")) problems.push("nameless: " + button.outerHTML.slice(0, 80));
  }
  if (!document.documentElement.lang) problems.push("no lang attribute");
  return problems;
}"""


def _colour(value: str, variables: dict[str, str]) -> tuple[float, float, float]:
    value = variables.get(value, value)
    found = re.fullmatch(r"#([0-9a-fA-F]{6})", value)
    assert found, f"not a #rrggbb colour: {value}"
    raw = found.group(1)
    return tuple(int(raw[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: tuple[float, float, float], background: tuple[float, float, float]) -> float:
    """The WCAG 2 contrast ratio of two colours."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_known_values() -> None:
    assert round(contrast((0, 0, 0), (1, 1, 1)), 1) == 21.0
    assert round(contrast((0.4666, 0.4666, 0.4666), (1, 1, 1)), 1) == 4.5  # #777 on white, the AA edge


@pytest.mark.parametrize(("foreground", "background"), PAIRS)
def test_text_colours_meet_aa_contrast(foreground: str, background: str) -> None:
    variables = dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-fA-F]{6})", STYLES.read_text()))
    ratio = contrast(_colour(foreground, variables), _colour(background, variables))
    assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}:1"


@pytest.mark.browser
def test_pages_label_their_controls_and_start_with_a_skip_link(
    live_server: LiveServer, new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    page = new_page(locale="en-US")
    found: dict[str, list[str]] = {}
    for path in ("/", "/search?q=honey", "/signin", "/search?q=zzzz"):
        page.goto(live_server.url + path)
        found[path] = page.evaluate(AUDIT)
    page.goto(live_server.url + "/search?q=honey")
    page.locator(".result-link").first.click()
    found["product"] = page.evaluate(AUDIT)
    page.goto(live_server.url + "/signin")
    page.locator("#name").fill("olga")
    page.locator("#password").fill(STAFF_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(re.compile(r"/staff/products"))
    found["staff list"] = page.evaluate(AUDIT)
    page.locator("table.list a").first.click()
    found["product form"] = page.evaluate(AUDIT)
    page.goto(live_server.url + "/staff/rates")
    found["rates"] = page.evaluate(AUDIT)
    page.goto(live_server.url + "/staff/import")
    found["import"] = page.evaluate(AUDIT)
    assert {path: issues for path, issues in found.items() if issues} == {}

    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    problems.assert_none()


@pytest.mark.browser
def test_the_audit_finds_what_it_looks_for(browser: t.Any) -> None:
    page = browser.new_page()
    page.set_content(
        '<html><body><h1>a</h1><h1>b</h1><input id="x"><img src="data:,"><span id="x"></span><a href="/"></a></body></html>'
    )
    issues = page.evaluate(AUDIT)
    page.close()
    assert any(i.startswith("no label") for i in issues)
    assert any(i.startswith("no alt") for i in issues)
    assert "2 h1 elements" in issues
    assert "repeated ids: x" in issues
    assert any(i.startswith("nameless") for i in issues)
    assert "no lang attribute" in issues
