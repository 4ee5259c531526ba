"""Quality checks of one translated field against its source, per locale, each with a severity.

Every check is a pure function of plain text: none raises on odd input (emoji, combining
marks, right-to-left marks, very long words). Errors are what a reader would see as wrong
(another amount, a lost placeholder, a word search cannot find); warnings are conventions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Literal
from typing import get_args

from translations.checks import GlossaryTerm
from translations.checks import placeholder_difference
from translations.quality_glossary import glossary_misses
from translations.quality_numbers import quantity_difference
from translations.quality_scripts import kazakh_lookalike_words
from translations.quality_scripts import mixed_script_words

Severity = Literal["error", "warning"]
#: The checks, by the name a finding carries (the API document lists the same names).
CheckName = Literal[
    "numbers",
    "placeholders",
    "brackets",
    "quotes",
    "spaces",
    "mixed-script",
    "kazakh-letters",
    "glossary",
]
CHECKS: tuple[str, ...] = get_args(CheckName)
#: Quotation marks each locale writes, as (opening, closing) pairs.
QUOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "ru": (("«", "»"), ("„", "“")),
    "kk": (("«", "»"), ("„", "“")),
    "uz": (("“", "”"), ("«", "»"), ("‘", "’")),
    "en": (("“", "”"), ("‘", "’")),
    "zh": (("“", "”"), ("「", "」"), ("『", "』"), ("‘", "’")),
}
#: Double quotation marks of every locale; single ones double as apostrophes, so are left alone.
_ALL_QUOTES = frozenset('«»„“”「」『』"')
#: Brackets that must close in the order they open (quotes are paired by :data:`QUOTES`).
BRACKETS: dict[str, str] = {"(": ")", "[": "]", "{": "}", "（": "）", "【": "】", "《": "》"}
_CLOSERS = {closing: opening for opening, closing in BRACKETS.items()}
_DOUBLE_SPACE = re.compile(r"[ \u00a0]{2,}")


@dataclass(frozen=True)
class Finding:
    """One failed check on one field: which check, how bad, what is wrong, and a fix if known."""

    check: str
    severity: Severity
    message: str
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        return asdict(self)


@dataclass(frozen=True)
class CheckContext:
    """What the checks know beyond the two texts: locales, glossary and the Kazakh dictionary
    (:func:`translations.quality_scripts.kazakh_dictionary` of reviewed Kazakh words)."""

    source_locale: str
    locale: str
    glossary: tuple[GlossaryTerm, ...] = ()
    kazakh_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def check_field(source: str, target: str, context: CheckContext) -> list[Finding]:
    """Run every check on *target*, the translation of *source*; an empty target has none."""
    if not target:
        return []
    findings = spacing_findings(target)
    findings += bracket_findings(target)
    findings += quote_findings(target, context.locale)
    findings += script_findings(target, context)
    if source and context.source_locale != context.locale:
        findings += comparison_findings(source, target, context)
    return findings


def comparison_findings(source: str, target: str, context: CheckContext) -> list[Finding]:
    """Checks of *target* against *source*: amounts, placeholders and glossary terms."""
    findings: list[Finding] = []
    missing, unexpected = quantity_difference(source, context.source_locale, target, context.locale)
    for written in missing:
        findings.append(Finding("numbers", "error", f"{written} of the source is not in the translation"))
    for written in unexpected:
        findings.append(Finding("numbers", "error", f"{written} is not in the source"))
    lost, extra = placeholder_difference(source, target)
    if lost or extra:
        parts = [f"missing: {', '.join(lost)}"] if lost else []
        parts += [f"not in the source: {', '.join(extra)}"] if extra else []
        findings.append(Finding("placeholders", "error", "placeholders differ; " + "; ".join(parts)))
    for term in glossary_misses(source, context.source_locale, target, context.locale, context.glossary):
        if term.target is None:
            findings.append(Finding("glossary", "warning", f"keep {term.source!r} as is", term.source))
        else:
            message = f"translate {term.source!r} as {term.target!r}"
            findings.append(Finding("glossary", "warning", message, term.target))
    return findings


def spacing_findings(text: str) -> list[Finding]:
    """Leading, trailing and doubled spaces, with the text they should leave."""
    findings: list[Finding] = []
    if text != text.lstrip():
        findings.append(Finding("spaces", "warning", "starts with a space", text.lstrip()))
    if text != text.rstrip():
        findings.append(Finding("spaces", "warning", "ends with a space", text.rstrip()))
    if _DOUBLE_SPACE.search(text):
        findings.append(Finding("spaces", "warning", "holds a double space", _DOUBLE_SPACE.sub(" ", text)))
    return findings


def bracket_findings(text: str) -> list[Finding]:
    """Brackets that are never closed, or closed without being opened or out of order."""
    stack: list[str] = []
    for char in text:
        if char in BRACKETS:
            stack.append(char)
        elif char in _CLOSERS:
            if not stack or stack[-1] != _CLOSERS[char]:
                return [Finding("brackets", "error", f"{char!r} closes a bracket that was not opened")]
            stack.pop()
    if stack:
        return [Finding("brackets", "error", f"{stack[-1]!r} is opened but never closed")]
    return []


def quote_findings(text: str, locale: str) -> list[Finding]:
    """Quotation marks not conventional in *locale*, and ones left unclosed."""
    pairs = QUOTES.get(locale, QUOTES["en"])
    allowed = {mark for pair in pairs for mark in pair}
    opening, closing = pairs[0]
    foreign = sorted({char for char in text if char in _ALL_QUOTES and char not in allowed})
    findings: list[Finding] = []
    if foreign:
        message = f"write quotes as {opening}…{closing} here, not {' '.join(foreign)}"
        findings.append(Finding("quotes", "warning", message, _requote(text, opening, closing)))
    for left, right in pairs:
        if left in _ALL_QUOTES and text.count(left) != text.count(right):
            findings.append(Finding("quotes", "warning", f"{left}…{right} quotes are not paired"))
    return findings


def _requote(text: str, opening: str, closing: str) -> str:
    """*text* with every quotation mark swapped for *opening* and *closing*, alternating."""
    out: list[str] = []
    is_open = False
    for char in text:
        if char in _ALL_QUOTES:
            out.append(closing if is_open else opening)
            is_open = not is_open
        else:
            out.append(char)
    return "".join(out)


def script_findings(text: str, context: CheckContext) -> list[Finding]:
    """Words mixing Latin and Cyrillic letters and, in Kazakh, words typed with Russian letters."""
    findings: list[Finding] = []
    if context.locale == "zh":
        return findings
    for mixed in mixed_script_words(text, context.locale):
        if mixed.fix is None:
            message = f"{mixed.word!r} mixes Latin and Cyrillic letters"
            findings.append(Finding("mixed-script", "warning", message))
        else:
            message = f"{mixed.word!r} mixes Latin and Cyrillic look-alike letters; write {mixed.fix!r}"
            findings.append(Finding("mixed-script", "error", message, mixed.fix))
    if context.locale == "kk":
        for lookalike in kazakh_lookalike_words(text, context.kazakh_words):
            message = f"{lookalike.word!r} is written with Russian letters; reviewed Kazakh text has {lookalike.fix!r}"
            findings.append(Finding("kazakh-letters", "warning", message, lookalike.fix))
    return findings


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity."""
    counts = {"error": 0, "warning": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts
