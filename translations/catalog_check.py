"""Checks of UI message catalogs (.po): completeness, placeholders and plural forms.

Tests call :func:`assert_catalog_complete` on each shipped catalog; it fails
with every problem listed by line, so a translator knows what to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Literal

from babel.messages.plurals import get_plural

from translations.checks import PlaceholderStyle
from translations.checks import extract_placeholders
from translations.locales import CONTENT_LOCALES
from translations.po_parser import PoEntry
from translations.po_parser import PoSyntaxError
from translations.po_parser import parse_po

IssueKind = Literal["syntax", "header", "untranslated", "fuzzy", "placeholders", "plural-forms"]
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


@dataclass(frozen=True)
class CatalogIssue:
    """One problem in a catalog, at *line* (1-based; 0 for the file as a whole)."""

    line: int
    kind: IssueKind
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: [{self.kind}] {self.message}"


@dataclass
class CatalogReport:
    """Everything wrong with one catalog."""

    locale: str
    issues: list[CatalogIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the catalog has no problems at all."""
        return not self.issues

    def of_kind(self, kind: IssueKind) -> list[CatalogIssue]:
        """Return the issues of one kind."""
        return [issue for issue in self.issues if issue.kind == kind]

    def __str__(self) -> str:
        if self.ok:
            return f"{self.locale}: catalog is complete"
        lines = [f"{self.locale}: {len(self.issues)} problem(s)"]
        return "\n".join(lines + [f"  {issue}" for issue in self.issues])


def expected_plural_count(locale: str) -> int:
    """Return gettext's number of plural forms for *locale* (ru 3, kk 2, zh 1, en 2)."""
    return int(get_plural(locale).num_plurals)


def _styles(entry: PoEntry) -> list[PlaceholderStyle]:
    styles: list[PlaceholderStyle] = ["markup"]
    for style in ("python-format", "brace-format"):
        if style in entry.flags:
            styles.append(style)
    return styles


def _check_placeholders(entry: PoEntry) -> list[str]:
    styles = _styles(entry)
    if entry.msgid_plural is None:
        wanted = sorted(extract_placeholders(entry.msgid, styles))
        got = sorted(extract_placeholders(entry.msgstr, styles))
        if not entry.msgstr or wanted == got:
            return []
        return [f"placeholders {got} in msgstr do not match {wanted} in msgid"]
    # A plural form may leave out the count ("одна" for one), but never invent one.
    allowed = set(extract_placeholders(entry.msgid, styles))
    allowed |= set(extract_placeholders(entry.msgid_plural, styles))
    problems = []
    for index, text in sorted(entry.msgstr_plural.items()):
        unexpected = sorted(set(extract_placeholders(text, styles)) - allowed)
        if unexpected:
            problems.append(f"msgstr[{index}] uses {unexpected}, not in msgid or msgid_plural")
    return problems


def _check_header(header: dict[str, str], locale: str, line: int) -> list[CatalogIssue]:
    issues = []
    language = header.get("Language", "")
    if language.replace("-", "_").lower() != locale.replace("-", "_").lower():
        message = f"Language header is {language!r}, expected {locale!r}"
        issues.append(CatalogIssue(line, "header", message))
    expected = expected_plural_count(locale)
    found = _NPLURALS.search(header.get("Plural-Forms", ""))
    if found is None:
        message = f"no Plural-Forms header; {locale} needs nplurals={expected}"
        issues.append(CatalogIssue(line, "plural-forms", message))
    elif int(found.group(1)) != expected:
        message = f"Plural-Forms says nplurals={found.group(1)}; {locale} has {expected}"
        issues.append(CatalogIssue(line, "plural-forms", message))
    return issues


def check_catalog_text(text: str, locale: str) -> CatalogReport:
    """Check the PO *text* of a UI catalog for *locale*."""
    report = CatalogReport(locale)
    try:
        document = parse_po(text)
    except PoSyntaxError as exc:
        report.issues.append(CatalogIssue(exc.line, "syntax", exc.reason))
        return report
    report.issues += _check_header(document.header, locale, 1)
    expected = expected_plural_count(locale)
    for entry in document.entries:
        label = repr(entry.msgid if len(entry.msgid) <= 50 else entry.msgid[:47] + "...")
        if entry.msgid_plural is not None:
            indexes = sorted(entry.msgstr_plural)
            if indexes != list(range(expected)):
                message = f"{label} has msgstr{indexes} forms; {locale} needs 0..{expected - 1}"
                report.issues.append(CatalogIssue(entry.line, "plural-forms", message))
            translated = any(entry.msgstr_plural.values())
            complete = all(entry.msgstr_plural.get(i) for i in range(expected))
        else:
            translated = complete = bool(entry.msgstr)
        if not translated or not complete:
            what = "is not translated" if not translated else "misses some plural forms"
            report.issues.append(CatalogIssue(entry.line, "untranslated", f"{label} {what}"))
        if entry.fuzzy:
            message = f"{label} is marked fuzzy (needs review)"
            report.issues.append(CatalogIssue(entry.line, "fuzzy", message))
        for problem in _check_placeholders(entry):
            report.issues.append(CatalogIssue(entry.line, "placeholders", f"{label}: {problem}"))
    return report


def check_catalog(path: Path, locale: str | None = None) -> CatalogReport:
    """Check a catalog file; *locale* defaults to the ``LC_MESSAGES`` parent folder name."""
    if locale is None:
        locale = path.parent.parent.name if path.parent.name == "LC_MESSAGES" else ""
    if locale.replace("-", "_").split("_")[0] not in CONTENT_LOCALES:
        raise ValueError(f"cannot tell the locale of {path}; pass one of {CONTENT_LOCALES}")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        report = CatalogReport(locale)
        report.issues.append(CatalogIssue(0, "syntax", f"not UTF-8 at byte {exc.start}"))
        return report
    return check_catalog_text(text, locale)


def assert_catalog_complete(path: Path, locale: str | None = None) -> None:
    """Fail (``AssertionError``) with every problem listed unless the catalog is clean."""
    report = check_catalog(path, locale)
    if not report.ok:
        raise AssertionError(f"{path}:\n{report}")
