"""A strict reader of gettext PO text that reports problems by line number.

It splits lines on ``\\n`` only (so a U+2028 or a vertical tab inside a
message is text, as gettext treats it), never touches the file system and
rejects anything it does not understand instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)$")
_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\",
    "a": "\a", "b": "\b", "f": "\f", "v": "\v",
}  # fmt: skip


class PoSyntaxError(ValueError):
    """The PO text is malformed at *line* (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.reason = message
        super().__init__(f"line {line}: {message}")


@dataclass
class PoEntry:
    """One message of a PO file."""

    line: int
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    translator_comments: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def fuzzy(self) -> bool:
        """Whether the entry carries the ``fuzzy`` flag."""
        return "fuzzy" in self.flags


@dataclass
class PoDocument:
    """A parsed PO file: its header fields and its live (non-obsolete) entries."""

    header: dict[str, str]
    entries: list[PoEntry]
    header_fuzzy: bool = False


def unquote(literal: str, line: int) -> str:
    """Decode one C-style quoted PO string literal such as ``"a\\tb"``."""
    if len(literal) < 2 or literal[0] != '"' or literal[-1] != '"':
        raise PoSyntaxError(line, f"expected a quoted string, got {literal[:40]!r}")
    body = literal[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == '"':
            raise PoSyntaxError(line, "unescaped double quote inside a string")
        if char != "\\":
            out.append(char)
            i += 1
            continue
        if i + 1 >= len(body):
            raise PoSyntaxError(line, "string ends with a lone backslash")
        code = body[i + 1]
        if code in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[code])
            i += 2
        elif code in "01234567":
            digits = re.match(r"[0-7]{1,3}", body[i + 1 :])
            assert digits is not None
            out.append(chr(int(digits.group(0), 8)))
            i += 1 + len(digits.group(0))
        elif code == "x" and re.match(r"[0-9A-Fa-f]{2}", body[i + 2 : i + 4]):
            out.append(chr(int(body[i + 2 : i + 4], 16)))
            i += 4
        else:
            raise PoSyntaxError(line, f"unknown escape sequence \\{code}")
    return "".join(out)


class _Builder:
    def __init__(self) -> None:
        self.entries: list[PoEntry] = []
        self.current: PoEntry | None = None
        self.pending_comments: list[tuple[str, str]] = []
        self.target: tuple[str, int] | None = None  # string continuation goes here
        self.has_msgid = False
        self.has_msgstr = False

    def finish(self, line: int) -> None:
        if self.current is None:
            return
        if not self.has_msgid:
            raise PoSyntaxError(self.current.line, "msgctxt without a following msgid")
        if not self.has_msgstr:
            raise PoSyntaxError(self.current.line, "msgid without a msgstr")
        if self.current.msgid_plural is not None and not self.current.msgstr_plural:
            raise PoSyntaxError(self.current.line, "msgid_plural needs msgstr[0], msgstr[1]…")
        self.entries.append(self.current)
        self.current, self.target = None, None
        self.has_msgid = self.has_msgstr = False

    def start(self, line: int, obsolete: bool) -> PoEntry:
        entry = PoEntry(line=line, obsolete=obsolete)
        for kind, text in self.pending_comments:
            if kind == "#,":
                entry.flags += [f.strip() for f in text.split(",") if f.strip()]
            elif kind == "#.":
                entry.extracted_comments.append(text)
            elif kind == "#":
                entry.translator_comments.append(text)
        self.pending_comments = []
        self.current = entry
        return entry

    def comment(self, line: int, text: str) -> None:
        if self.current is not None and self.has_msgstr:
            self.finish(line)
        elif self.current is not None and not self.has_msgid:
            raise PoSyntaxError(self.current.line, "msgctxt without a following msgid")
        elif self.current is not None:
            raise PoSyntaxError(line, "comment inside an entry, before its msgstr")
        kind = next((k for k in ("#,", "#.", "#:", "#|") if text.startswith(k)), "#")
        self.pending_comments.append((kind, text[len(kind) :].strip()))

    def keyword(self, line: int, text: str, obsolete: bool) -> None:
        match = _KEYWORD.match(text)
        if match is None:
            raise PoSyntaxError(line, f"unknown keyword or stray text: {text[:40]!r}")
        keyword, index, literal = match.group(1), match.group(2), match.group(3).strip()
        value = unquote(literal, line)
        if keyword in ("msgctxt", "msgid"):
            if self.current is not None and self.has_msgstr:
                self.finish(line)
            if self.current is None:
                self.start(line, obsolete)
            elif keyword == "msgctxt" or self.has_msgid:
                raise PoSyntaxError(line, f"{keyword} where a msgstr was expected")
        entry = self.current
        if entry is None or (keyword != "msgctxt" and keyword != "msgid" and not self.has_msgid):
            raise PoSyntaxError(line, f"{keyword.split('[')[0]} without a preceding msgid")
        if keyword == "msgctxt":
            entry.msgctxt = value
        elif keyword == "msgid":
            entry.msgid, self.has_msgid = value, True
        elif keyword == "msgid_plural":
            if self.has_msgstr:
                raise PoSyntaxError(line, "msgid_plural after msgstr")
            entry.msgid_plural = value
        elif index is None:
            if entry.msgid_plural is not None:
                raise PoSyntaxError(line, "a plural entry needs msgstr[N], not msgstr")
            if self.has_msgstr:
                raise PoSyntaxError(line, "second msgstr in one entry")
            entry.msgstr, self.has_msgstr = value, True
        else:
            if entry.msgid_plural is None:
                raise PoSyntaxError(line, "msgstr[N] in an entry without msgid_plural")
            if int(index) in entry.msgstr_plural:
                raise PoSyntaxError(line, f"msgstr[{index}] given twice")
            entry.msgstr_plural[int(index)] = value
            self.has_msgstr = True
        self.target = (keyword, int(index or 0))

    def continuation(self, line: int, text: str) -> None:
        if self.current is None or self.target is None:
            raise PoSyntaxError(line, "string continuation outside an entry")
        value = unquote(text, line)
        keyword, index = self.target
        entry = self.current
        if keyword == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif keyword == "msgid":
            entry.msgid += value
        elif keyword == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif keyword == "msgstr":
            entry.msgstr += value
        else:
            entry.msgstr_plural[index] += value


def parse_header(text: str) -> dict[str, str]:
    """Parse the header entry's ``Key: value`` lines."""
    header: dict[str, str] = {}
    for raw in text.split("\n"):
        key, sep, value = raw.partition(":")
        if sep and key.strip():
            header[key.strip()] = value.strip()
    return header


def parse_po(text: str) -> PoDocument:
    """Parse PO *text*; raise :class:`PoSyntaxError` naming the first bad line."""
    builder = _Builder()
    lines = text.split("\n")
    for number, raw in enumerate(lines, start=1):
        line = raw.removesuffix("\r").strip()
        if line.startswith("#~|"):
            continue  # previous text of an obsolete entry
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line:
                continue
        if not line:
            if builder.current is not None and builder.has_msgstr:
                builder.finish(number)  # a blank line ends a complete entry
            continue
        if line.startswith("#"):
            builder.comment(number, line)
        elif line.startswith('"'):
            builder.continuation(number, line)
        else:
            builder.keyword(number, line, obsolete)
    builder.finish(len(lines))
    header: dict[str, str] = {}
    header_fuzzy = False
    entries: list[PoEntry] = []
    for entry in builder.entries:
        if entry.obsolete:
            continue
        if entry.msgid == "" and entry.msgctxt is None and not header and not entries:
            header, header_fuzzy = parse_header(entry.msgstr), entry.fuzzy
            continue
        entries.append(entry)
    return PoDocument(header=header, entries=entries, header_fuzzy=header_fuzzy)
