"""Listing translations as XLIFF 2.0 documents.

One ``<unit id="SKU">`` per product, one ``<segment id="field">`` per text
(``name``, ``description``, ``highlights.N``) with its ``state``:
``initial`` (missing, or stale with ``subState="tianshan:stale"``),
``translated`` (draft) or ``reviewed``. The unit's notes carry each field's
source hash (``<note id="source-hash.name" category="source-hash">``), and its
metadata (``<mda:meta type="revision">``) the translation revision the file was
made from. Units may not be re-segmented (``canResegment="no"``): each segment
is one field, and joining two would merge two highlights.

Files are parsed with :mod:`defusedxml` and any DTD is refused, so entity
expansion ("billion laughs") and external entities never happen. On import,
segments left ``initial`` count as untranslated; ``reviewed`` and ``final``
mean reviewed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # builds documents only; parsing goes through defusedxml
from collections.abc import Iterable
from collections.abc import Mapping

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from translations.exchange import MAX_IMPORT_BYTES
from translations.exchange import ExchangeError
from translations.exchange import ExchangeProblem
from translations.exchange import ExportEntry
from translations.exchange import ImportPlan
from translations.exchange import RawImport
from translations.exchange import WrongLocale
from translations.exchange import build_plan
from translations.exchange import decode_utf8
from translations.locales import CONTENT_LOCALES
from translations.workflow import ListingText

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
METADATA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_STATES = {"missing": "initial", "stale": "initial", "draft": "translated", "reviewed": "reviewed"}
#: Characters XML 1.0 cannot hold, escaped or not.
NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([^\"']+)[\"']")
_HASH_NOTE = "source-hash."
_Q = f"{{{XLIFF_NS}}}"  # qualified-name prefix of parsed elements
_MDA = f"{{{METADATA_NS}}}"
_REVISION = re.compile(r"^\s*(\d{1,9})\s*$")


def _xml_text(value: str, where: str) -> str:
    bad = NOT_XML_CHAR.search(value)
    if bad:
        raise ExchangeError(f"{where}: character U+{ord(bad.group(0)):04X} cannot be put in XML")
    return value


def export_xliff(locale: str, entries: Iterable[ExportEntry], source_locale: str = "zh") -> bytes:
    """Write *entries* as a UTF-8 XLIFF 2.0 document for translators into *locale*."""
    if locale not in CONTENT_LOCALES:
        raise ValueError(f"translations are exchanged for {', '.join(CONTENT_LOCALES)}")
    # Unqualified tags plus an xmlns attribute: ElementTree cannot write a default
    # namespace when attributes are unqualified, as XLIFF's are.
    root = ET.Element(
        "xliff",
        {
            "xmlns": XLIFF_NS,
            "xmlns:mda": METADATA_NS,
            "version": "2.0",
            "srcLang": source_locale,
            "trgLang": locale,
        },
    )
    file_element = ET.SubElement(root, "file", {"id": "listings"})
    units: dict[str, tuple[ET.Element, ET.Element]] = {}
    for entry in entries:
        where = f"{entry.sku}|{entry.field}"
        if entry.sku not in units:
            unit = ET.SubElement(file_element, "unit", {"id": entry.sku, "canResegment": "no"})
            group = ET.SubElement(
                ET.SubElement(unit, "mda:metadata"), "mda:metaGroup", {"category": "tianshan"}
            )
            ET.SubElement(group, "mda:meta", {"type": "revision"}).text = str(entry.revision)
            units[entry.sku] = (unit, ET.SubElement(unit, "notes"))
        unit, notes = units[entry.sku]
        note = ET.SubElement(
            notes,
            "note",
            {"id": f"{_HASH_NOTE}{entry.field}", "category": "source-hash"},
        )
        note.text = entry.source_hash
        attributes = {"id": entry.field, "state": _STATES[entry.state]}
        if entry.state == "stale":
            attributes["subState"] = "tianshan:stale"
        segment = ET.SubElement(unit, "segment", attributes)
        preserve = {f"{{{_XML_NS}}}space": "preserve"}
        ET.SubElement(segment, "source", preserve).text = _xml_text(entry.source, where)
        if entry.target:
            target = ET.SubElement(segment, "target", preserve)
            target.text = _xml_text(entry.target, where)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    # XML parsers turn a literal CR into LF; a character reference keeps it.
    body = body.replace("\r", "&#13;")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _parse(data: bytes, max_bytes: int) -> ET.Element:
    decode_utf8(data, max_bytes)  # size first, then encoding
    declared = _DECLARED_ENCODING.match(bytes(data).removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower().replace(b"-", b"") != b"utf8":
        raise ExchangeError(
            f"the XML declares encoding {declared.group(1).decode('ascii', 'replace')!r};"
            " only UTF-8 files are accepted"
        )
    try:
        root: ET.Element = SafeET.fromstring(bytes(data), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ExchangeError(
            f"unsafe XML refused ({type(exc).__name__}): DTDs, entity declarations and"
            " external references are not accepted in XLIFF files"
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise ExchangeError(f"malformed XML at line {line}, column {column + 1}: {exc}") from None
    return root


def _check_root(root: ET.Element, locale: str) -> None:
    if root.tag != f"{_Q}xliff":
        raise ExchangeError(f"not an XLIFF 2.0 document: the root element is {root.tag!r}")
    if not root.get("version", "").startswith("2."):
        raise ExchangeError(f"XLIFF version {root.get('version')!r} is not supported; use 2.0")
    target = (root.get("trgLang") or "").strip()
    if not target:
        raise WrongLocale(f'the XLIFF has no trgLang; expected trgLang="{locale}"')
    if target.replace("_", "-").lower() != locale.lower():
        raise WrongLocale(f"this XLIFF is for trgLang {target!r}, but it is being imported as {locale!r}")


def _plain_text(element: ET.Element | None, where: str) -> str:
    if element is None:
        return ""
    if len(element):
        raise ValueError(
            f"{where}: inline elements such as <{element[0].tag.removeprefix(_Q)}> are not"
            " supported; keep markup as plain text"
        )
    return element.text or ""


def read_xliff_entries(
    data: bytes, locale: str, max_bytes: int = MAX_IMPORT_BYTES
) -> tuple[list[RawImport], list[ExchangeProblem]]:
    """Parse an XLIFF 2.0 file into raw texts and per-unit problems.

    Raise :class:`ExchangeError` when the document as a whole is unusable.
    """
    if locale not in CONTENT_LOCALES:
        raise ValueError(f"translations are exchanged for {', '.join(CONTENT_LOCALES)}")
    root = _parse(data, max_bytes)
    _check_root(root, locale)
    raw_entries: list[RawImport] = []
    problems: list[ExchangeProblem] = []
    for unit in root.iter(f"{_Q}unit"):
        sku = unit.get("id", "")
        location = f"unit {sku!r}" if sku else "unit without id"
        if not sku:
            problems.append(ExchangeProblem(location, "every <unit> needs an id (the SKU)"))
            continue
        hashes = {
            (note.get("id") or "").removeprefix(_HASH_NOTE): (note.text or "").strip()
            for note in unit.iter(f"{_Q}note")
            if (note.get("id") or "").startswith(_HASH_NOTE)
        }
        revision = _unit_revision(unit)
        for segment in unit.iter(f"{_Q}segment"):
            field = segment.get("id", "")
            where = f"{location}, segment {field!r}"
            if not field:
                problems.append(ExchangeProblem(location, "a <segment> has no id (the field)"))
                continue
            try:
                source = _plain_text(segment.find(f"{_Q}source"), "source")
                target = _plain_text(segment.find(f"{_Q}target"), "target")
            except ValueError as exc:
                problems.append(ExchangeProblem(where, str(exc)))
                continue
            state = segment.get("state", "initial")
            if state not in ("initial", "translated", "reviewed", "final"):
                problems.append(ExchangeProblem(where, f"unknown state {state!r}"))
                continue
            if state == "initial":
                target = ""
            raw_entries.append(
                RawImport(
                    where, sku, field, source, target, hashes.get(field) or None,
                    reviewed=state in ("reviewed", "final"), revision=revision,
                )
            )  # fmt: skip
    return raw_entries, problems


def _unit_revision(unit: ET.Element) -> int | None:
    """The translation revision a unit was exported from, when its metadata names one."""
    for meta in unit.iter(f"{_MDA}meta"):
        found = _REVISION.match(meta.text or "") if meta.get("type") == "revision" else None
        if found:
            return int(found.group(1))
    return None


def import_xliff(
    data: bytes,
    locale: str,
    current_sources: Mapping[str, ListingText],
    max_bytes: int = MAX_IMPORT_BYTES,
) -> ImportPlan:
    """Read a translated XLIFF 2.0 file back into an :class:`ImportPlan`."""
    raw_entries, problems = read_xliff_entries(data, locale, max_bytes)
    return build_plan(locale, raw_entries, current_sources, problems)
