"""Checks on a translated text: field limits, placeholders and markup, glossary terms.

Limit and placeholder problems are errors (the text cannot be saved); glossary
problems are warnings (shown to the translator, never blocking).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

#: Longest text per field, in characters (code points).
NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 5000
HIGHLIGHT_MAX_LENGTH = 200
MAX_HIGHLIGHTS = 10

PlaceholderStyle = Literal["python-format", "brace-format", "markup"]
ALL_STYLES: tuple[PlaceholderStyle, ...] = ("python-format", "brace-format", "markup")

# %s, %d, %.2f, %(name)s; no space flag, so "50% off" is plain text.
_PERCENT = re.compile(
    r"%(?:\((?P<key>[^()]*)\))?[#0+\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa]"
)
# {}, {0}, {name}, {name.attr}, {0[key]}, {x!r:>10}; "{{" and "}}" are literal braces.
_BRACE = re.compile(r"\{(?:[^{}!:\s]*)(?:![rsa])?(?::[^{}]*)?\}")
_TAG = re.compile(r"<(?P<close>/)?(?P<name>[A-Za-z][\w:-]*)(?:\s[^<>]*?)?(?P<empty>/)?>")
_FIELD_KEY = re.compile(r"^(?:name|description|highlights\.(?P<index>\d+))$")


@dataclass(frozen=True)
class FieldError:
    """A problem with one field, shaped like the API's ``errors`` items."""

    field: str
    message: str


class PlaceholderMismatch(ValueError):
    """A translation's placeholders or markup differ from its source."""

    def __init__(self, missing: Sequence[str], unexpected: Sequence[str]) -> None:
        self.missing = tuple(missing)
        self.unexpected = tuple(unexpected)
        super().__init__(describe_mismatch(self.missing, self.unexpected))


@dataclass(frozen=True)
class GlossaryTerm:
    """A source term and the target term it must become (``None``: keep it as is)."""

    source: str
    target: str | None = None


@dataclass(frozen=True)
class GlossaryWarning:
    """A glossary term appears in the source but not as required in the translation."""

    term: GlossaryTerm
    message: str


# -- placeholders and markup ------------------------------------------------------------


def extract_placeholders(text: str, styles: Iterable[PlaceholderStyle] = ALL_STYLES) -> list[str]:
    """Return the placeholders and tags in *text*, in order of appearance.

    Tags are reduced to their name (``<a href="x">`` → ``<a>``), since attribute
    values may be translated.
    """
    found: list[tuple[int, str]] = []
    wanted = set(styles)
    if "python-format" in wanted:
        unescaped = text.replace("%%", "\0\0")
        found += [(m.start(), m.group(0)) for m in _PERCENT.finditer(unescaped)]
    if "brace-format" in wanted:
        unescaped = text.replace("{{", "\0\0").replace("}}", "\0\0")
        found += [(m.start(), m.group(0)) for m in _BRACE.finditer(unescaped)]
    if "markup" in wanted:
        for match in _TAG.finditer(text):
            slash = "/" if match["close"] else ""
            end = "/" if match["empty"] else ""
            found.append((match.start(), f"<{slash}{match['name'].lower()}{end}>"))
    return [token for _, token in sorted(found)]


def describe_mismatch(missing: Sequence[str], unexpected: Sequence[str]) -> str:
    """Say which placeholders or tags are missing from or unexpected in a translation."""
    parts = []
    if missing:
        parts.append(f"missing from the translation: {', '.join(missing)}")
    if unexpected:
        parts.append(f"not in the source: {', '.join(unexpected)}")
    return "placeholders or markup differ from the source; " + "; ".join(parts)


def placeholder_difference(
    source: str, target: str, styles: Iterable[PlaceholderStyle] = ALL_STYLES
) -> tuple[list[str], list[str]]:
    """Return ``(missing, unexpected)`` placeholders of *target* compared with *source*."""
    styles = tuple(styles)
    wanted = Counter(extract_placeholders(source, styles))
    got = Counter(extract_placeholders(target, styles))
    return sorted((wanted - got).elements()), sorted((got - wanted).elements())


def check_placeholders(source: str, target: str, styles: Iterable[PlaceholderStyle] = ALL_STYLES) -> None:
    """Raise :class:`PlaceholderMismatch` unless *target* keeps every placeholder and tag."""
    missing, unexpected = placeholder_difference(source, target, styles)
    if missing or unexpected:
        raise PlaceholderMismatch(missing, unexpected)


# -- field limits -----------------------------------------------------------------------

#: Control characters other than tab and line breaks: they break feeds, XML and terminals.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_problem(text: str) -> str | None:
    """Why *text* cannot be stored (it holds a control character), or ``None``."""
    found = CONTROL_CHARACTER.search(text)
    if found is None:
        return None
    return (
        f"holds the control character U+{ord(found.group()):04X} at position {found.start() + 1}; remove it"
    )


def limit_error(field: str, value: str) -> str | None:
    """Return why *value* is too long for *field* (``name``, ``description``,
    ``highlights.N``), or ``None`` when it fits."""
    match = _FIELD_KEY.match(field)
    if match is None:
        raise ValueError(f"unknown field {field!r}")
    if match["index"] is not None:
        if int(match["index"]) >= MAX_HIGHLIGHTS:
            return f"at most {MAX_HIGHLIGHTS} highlights are allowed"
        limit = HIGHLIGHT_MAX_LENGTH
    else:
        limit = NAME_MAX_LENGTH if field == "name" else DESCRIPTION_MAX_LENGTH
    if len(value) > limit:
        return f"is {len(value)} characters long; at most {limit} are allowed"
    return None


def listing_errors(
    name: str,
    description: str,
    highlights: Sequence[str],
    source: tuple[str, str, Sequence[str]] | None = None,
) -> list[FieldError]:
    """Check a listing's limits and, given its *source* ``(name, description,
    highlights)``, that placeholders and markup match field by field."""
    errors: list[FieldError] = []
    if len(highlights) > MAX_HIGHLIGHTS:
        errors.append(FieldError("highlights", f"has {len(highlights)} items; at most {MAX_HIGHLIGHTS}"))
    values = {"name": name, "description": description}
    values |= {f"highlights.{i}": text for i, text in enumerate(highlights[:MAX_HIGHLIGHTS])}
    sources: dict[str, str] = {}
    if source is not None:
        sources = {"name": source[0], "description": source[1]}
        sources |= {f"highlights.{i}": text for i, text in enumerate(source[2])}
    for field, value in values.items():
        problem = limit_error(field, value) or control_problem(value)
        if problem:
            errors.append(FieldError(field, problem))
        if field in sources and value:
            missing, unexpected = placeholder_difference(sources[field], value)
            if missing or unexpected:
                errors.append(FieldError(field, describe_mismatch(missing, unexpected)))
    return errors


# -- glossary -----------------------------------------------------------------------------


def _term_pattern(term: str, whole_word: bool = True) -> re.Pattern[str]:
    # Word boundaries only where the term starts or ends with a letter of a spaced
    # script: "tea" must not match inside "steam", but "面粉" matches inside "哈萨克斯坦面粉".
    # In the translation the end stays open, for Kazakh and Russian endings ("ұн" → "ұны").
    start = r"(?<!\w)" if re.match(r"[^\W\u3000-\u9fff\uac00-\ud7af]", term) else ""
    end = ""
    if whole_word and re.search(r"[^\W\u3000-\u9fff\uac00-\ud7af]$", term):
        end = r"(?!\w)"
    return re.compile(start + re.escape(term) + end, re.IGNORECASE)


def check_glossary(source: str, target: str, terms: Iterable[GlossaryTerm]) -> list[GlossaryWarning]:
    """Warn about glossary terms found in *source* whose required form is not in *target*.

    Matching ignores case. A required target term may take endings
    ("Цейлон" is found in "Цейлона"); a term with ``target=None`` (a brand)
    must appear unchanged, as a whole word.
    """
    warnings: list[GlossaryWarning] = []
    for term in terms:
        if not term.source.strip() or not _term_pattern(term.source).search(source):
            continue
        required = term.source if term.target is None else term.target
        if _term_pattern(required, whole_word=term.target is None).search(target):
            continue
        if term.target is None:
            message = f"keep {term.source!r} as is in the translation"
        else:
            message = f"translate {term.source!r} as {term.target!r}"
        warnings.append(GlossaryWarning(term, message))
    return warnings
