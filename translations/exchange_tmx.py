"""The translation memory as a TMX 1.4b document, for CAT tools.

One ``<tu tuid="SKU/field">`` per reviewed field, with the source and the translation as
two ``<tuv xml:lang>`` variants. Every text is escaped by the serializer; characters XML
1.0 cannot hold at all (C0 controls other than tab and line breaks, U+FFFE, U+FFFF) are
removed, and the unit says so in a ``<note>``. A carriage return is written as ``&#13;``
so that a reader's line-end normalisation keeps it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET  # builds documents only; nothing is parsed here
from collections.abc import Iterable

from translations.exchange_xliff import NOT_XML_CHAR

DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclasses.dataclass(frozen=True)
class TmxUnit:
    """One remembered field: where it comes from, its source text and its translation."""

    tuid: str
    source: str
    target: str


def xml_safe(text: str) -> tuple[str, list[str]]:
    """*text* without the characters XML cannot hold, and those removed (as ``U+XXXX``)."""
    removed = [f"U+{ord(found.group()):04X}" for found in NOT_XML_CHAR.finditer(text)]
    return (NOT_XML_CHAR.sub("", text), removed) if removed else (text, [])


def _variant(unit: ET.Element, locale: str, text: str) -> None:
    tuv = ET.SubElement(unit, "tuv", {_XML_LANG: locale})
    ET.SubElement(tuv, "seg").text = text


def export_tmx(
    units: Iterable[TmxUnit],
    source_locale: str,
    target_locale: str,
    *,
    tool_version: str,
    created: dt.datetime,
) -> bytes:
    """A UTF-8 TMX 1.4b document of *units*, from *source_locale* into *target_locale*."""
    root = ET.Element("tmx", {"version": "1.4"})
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "Tianshan Catalog",
            "creationtoolversion": tool_version,
            "segtype": "block",
            "o-tmf": "tianshan-catalog",
            "adminlang": "en",
            "srclang": source_locale,
            "datatype": "plaintext",
            "creationdate": created.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ"),
        },
    )
    body = ET.SubElement(root, "body")
    for unit in units:
        source, removed_source = xml_safe(unit.source)
        target, removed_target = xml_safe(unit.target)
        tuid, _ = xml_safe(unit.tuid)
        element = ET.SubElement(body, "tu", {"tuid": tuid})
        removed = removed_source + removed_target
        if removed:
            note = ET.SubElement(element, "note")
            note.text = f"Removed characters XML cannot hold: {', '.join(sorted(set(removed)))}"
        _variant(element, source_locale, source)
        _variant(element, target_locale, target)
    ET.indent(root, space=" ")
    text = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n{text}\n'.encode()
