"""The strict PO reader: what it accepts and the line it blames."""

from __future__ import annotations

import pytest

from translations.po_parser import PoSyntaxError
from translations.po_parser import parse_po
from translations.po_parser import unquote

HEADER = 'msgid ""\nmsgstr ""\n"Language: kk\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def test_entries_with_comments_flags_context_and_continuations() -> None:
    document = parse_po(
        HEADER + "# translator note\n"
        "#. source-hash: abc\n"
        "#: catalog/views.py:12\n"
        "#, fuzzy, python-format\n"
        'msgctxt "KZ-1|name"\n'
        'msgid "Мука "\n'
        '"пшеничная"\n'
        'msgstr "Бидай ұны"\n'
    )
    assert document.header == {"Language": "kk", "Content-Type": "text/plain; charset=UTF-8"}
    (entry,) = document.entries
    assert entry.line == 10
    assert entry.msgctxt == "KZ-1|name"
    assert entry.msgid == "Мука пшеничная"
    assert entry.msgstr == "Бидай ұны"
    assert entry.flags == ["fuzzy", "python-format"]
    assert entry.fuzzy
    assert entry.extracted_comments == ["source-hash: abc"]
    assert entry.translator_comments == ["translator note"]


def test_plural_entries_obsolete_entries_and_crlf() -> None:
    text = (
        HEADER + 'msgid "%d item"\nmsgid_plural "%d items"\nmsgstr[0] "%d зат"\nmsgstr[1] "%d зат"\n\n'
        '#~ msgid "old"\n#~ msgstr "ескі"\n'
    ).replace("\n", "\r\n")
    document = parse_po(text)
    (entry,) = document.entries
    assert entry.msgid_plural == "%d items"
    assert entry.msgstr_plural == {0: "%d зат", 1: "%d зат"}


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ('"a\\nb"', "a\nb"),
        ('"tab\\there"', "tab\there"),
        ('"q\\"uote\\\\"', 'q"uote\\'),
        ('"\\101\\x42"', "AB"),
        ('"\\a\\b\\f\\v\\r"', "\a\b\f\v\r"),
        ('"line\u2028sep"', "line\u2028sep"),
    ],
)
def test_unquote_escapes(literal: str, value: str) -> None:
    assert unquote(literal, 1) == value


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (HEADER + 'msgid "a"b"\nmsgstr ""\n', 6, "unescaped double quote inside a string"),
        (HEADER + 'msgid "a"\nmsgstr "\\q"\n', 7, "unknown escape sequence \\q"),
        (HEADER + 'msgid "a"\nmsgstr x\n', 7, "expected a quoted string, got 'x'"),
        (HEADER + 'msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 8, "msgid where a msgstr was expected"),
        (HEADER + 'msgid "a"\n', 6, "msgid without a msgstr"),
        (HEADER + 'msgstr "a"\n', 6, "msgstr without a preceding msgid"),
        (HEADER + 'msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 8, "second msgstr in one entry"),
        (HEADER + 'msgid "a"\nmsgstr[0] "b"\n', 7, "msgstr[N] in an entry without msgid_plural"),
        (HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', 8, "a plural entry needs msgstr[N]"),
        (HEADER + 'hello "a"\n', 6, "unknown keyword or stray text: 'hello \"a\"'"),
        ('"orphan"\n', 1, "string continuation outside an entry"),
        (HEADER + 'msgid "a"\n# note\nmsgstr "b"\n', 7, "comment inside an entry, before its msgstr"),
        (HEADER + 'msgctxt "x"\n\n#. c\n', 6, "msgctxt without a following msgid"),
    ],
)
def test_syntax_errors_name_the_line(text: str, line: int, reason: str) -> None:
    with pytest.raises(PoSyntaxError) as raised:
        parse_po(text)
    assert raised.value.line == line
    assert raised.value.reason.startswith(reason)
    assert str(raised.value).startswith(f"line {line}: ")
