"""TMX export of the memory: valid against the TMX 1.4b structure, whatever the text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from lxml import etree

from translations.exchange_tmx import TmxUnit
from translations.exchange_tmx import export_tmx

TMX_DTD = etree.DTD(str(Path(__file__).with_name("tmx14_structure.dtd")))
NOW = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)


def storable(text: str) -> str:
    """*text* with only the characters of XML 1.0's Char production (W3C XML 1.0, section 2.2)."""
    return "".join(
        c
        for c in text
        if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000"
    )


def parse_valid(document: bytes) -> etree._Element:
    """The document's root, after checking it against the TMX 1.4b structure."""
    root = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
    assert TMX_DTD.validate(root), TMX_DTD.error_log.filter_from_errors()
    return root


def segments(root: etree._Element) -> list[tuple[str, str, str]]:
    """``(tuid, source, target)`` of every unit, as a CAT tool reads them."""
    return [
        (tu.get("tuid"), *(tuv.findtext("seg") or "" for tuv in tu.findall("tuv"))) for tu in root.iter("tu")
    ]


def test_markup_quotes_emoji_and_direction_marks_come_back_as_written() -> None:
    odd = [
        TmxUnit("KZ-1/name", "Мёд <b>«Алтай»</b> & \"сот\" '500 г'", "Бал <b>«Алтай»</b> & 🍯"),
        TmxUnit("KZ-1/description", "Line one\r\nline two\ttab", "\u200fمرحبا\u200e 100 г"),
        TmxUnit("KZ-2/highlights.0", "e\u0301 ]]> &amp; <!-- x -->", "x\u0338 \U0001f1f0\U0001f1ff"),
    ]
    root = parse_valid(export_tmx(odd, "ru", "kk", tool_version="1.0.0", created=NOW))
    header = root.find("header")
    assert (header.get("srclang"), header.get("creationdate"), header.get("segtype")) == (
        "ru",
        "20261202T093000Z",
        "block",
    )
    assert segments(root) == [(u.tuid, u.source, u.target) for u in odd]
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")]
    assert langs == ["ru", "kk"] * 3
    assert root.find("body/tu/note") is None


def test_characters_xml_cannot_hold_are_removed_with_a_note() -> None:
    units = [TmxUnit("KZ-1/name", "Мёд\x07 горный\x00", "Тау\ufffe балы\x1b")]
    root = parse_valid(export_tmx(units, "ru", "kk", tool_version="1.0.0", created=NOW))
    assert segments(root) == [("KZ-1/name", "Мёд горный", "Тау балы")]
    note = root.findtext("body/tu/note")
    assert note is not None and all(code in note for code in ("U+0007", "U+0000", "U+FFFE", "U+001B"))


def test_an_empty_memory_is_a_valid_document() -> None:
    root = parse_valid(export_tmx([], "zh", "en", tool_version="1.0.0", created=NOW))
    assert root.find("body") is not None and len(root.find("body")) == 0


def test_a_document_missing_what_tmx_requires_fails_the_structure() -> None:
    broken = b'<tmx version="1.4"><header srclang="ru"/><body><tu><seg>x</seg></tu></body></tmx>'
    assert not TMX_DTD.validate(etree.fromstring(broken))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=40), st.text(max_size=40)), max_size=4))
def test_any_text_exports_as_valid_tmx_and_reads_back_without_the_unstorable(
    pairs: list[tuple[str, str]],
) -> None:
    units = [TmxUnit(f"P-{i}/name", source, target) for i, (source, target) in enumerate(pairs)]
    root = parse_valid(export_tmx(units, "zh", "kk", tool_version="1.0.0", created=NOW))
    assert segments(root) == [(u.tuid, storable(u.source), storable(u.target)) for u in units]
