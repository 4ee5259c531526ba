"""XLIFF 2.0 export and import: structure, round trip through ElementTree, unsafe and bad files."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.translations.exchange_data import FLOUR
from tests.translations.exchange_data import SOURCES
from tests.translations.exchange_data import TEA
from tests.translations.exchange_data import export_rows
from translations.exchange import ExchangeError
from translations.exchange import ExportEntry
from translations.exchange import FileTooLarge
from translations.exchange import WrongLocale
from translations.exchange_xliff import METADATA_NS
from translations.exchange_xliff import XLIFF_NS
from translations.exchange_xliff import export_xliff
from translations.exchange_xliff import import_xliff
from translations.exchange_xliff import read_xliff_entries
from translations.workflow import ListingText
from translations.workflow import text_hash

NS = {"x": XLIFF_NS, "mda": METADATA_NS}
Q = f"{{{XLIFF_NS}}}"


def exported() -> bytes:
    return export_xliff("kk", export_rows())


def segment(root: ET.Element, sku: str, field: str) -> ET.Element:
    found = root.find(f".//x:unit[@id='{sku}']/x:segment[@id='{field}']", NS)
    assert found is not None
    return found


def translate(data: bytes, texts: dict[tuple[str, str], str], state: str = "translated") -> bytes:
    """Edit targets with ElementTree, as an XML tool would, and serialize again.

    ElementTree writes the namespace with an ``ns0:`` prefix: the same document to a reader.
    """
    root = ET.fromstring(data)
    for (sku, field), text in texts.items():
        seg = segment(root, sku, field)
        target = seg.find("x:target", NS)
        if target is None:
            target = ET.SubElement(seg, f"{Q}target")
        target.text = text
        seg.set("state", state)
    edited: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    assert edited.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<ns0:xliff")
    return edited


def test_export_structure() -> None:
    root = ET.fromstring(exported())
    assert root.tag == f"{Q}xliff"
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", "zh", "kk")
    units = root.findall(".//x:unit", NS)
    assert [unit.get("id") for unit in units] == [FLOUR, TEA]
    flour = units[0]
    assert [s.get("id") for s in flour.findall("x:segment", NS)] == [
        "name",
        "description",
        "highlights.0",
        "highlights.1",
    ]
    name = segment(root, FLOUR, "name")
    assert name.get("state") == "translated"
    assert name.findtext("x:source", namespaces=NS) == "哈萨克斯坦面粉"
    assert name.findtext("x:target", namespaces=NS) == "Қазақстан ұны"
    missing = segment(root, TEA, "name")
    assert missing.get("state") == "initial"
    assert missing.find("x:target", NS) is None
    note = flour.find("x:notes/x:note[@id='source-hash.name']", NS)
    assert note is not None
    assert (note.get("category"), note.text) == ("source-hash", text_hash("哈萨克斯坦面粉"))
    assert [unit.get("canResegment") for unit in units] == ["no", "no"]
    metadata = "mda:metadata/mda:metaGroup/mda:meta[@type='revision']"
    assert [unit.findtext(metadata, namespaces=NS) for unit in units] == ["2", "0"]
    # Markup in the text is escaped text, not XML elements.
    description = segment(root, FLOUR, "description")
    assert description.findtext("x:source", namespaces=NS) == "优质<b>小麦粉</b>，{weight}公斤装。"
    assert b"&lt;b&gt;" in exported()


def test_the_revision_each_unit_was_exported_from_is_read_back() -> None:
    raw, problems = read_xliff_entries(exported(), "kk")
    assert problems == []
    assert {r.sku: r.revision for r in raw} == {FLOUR: 2, TEA: 0}
    without = re.sub(rb"<mda:metadata>.*?</mda:metadata>", b"", exported(), flags=re.DOTALL)
    raw, _ = read_xliff_entries(without, "kk")
    assert {r.sku: r.revision for r in raw} == {FLOUR: None, TEA: None}


def test_states_for_stale_and_reviewed() -> None:
    rows = [
        ExportEntry(FLOUR, "name", "新名字", "Ескі", "stale"),
        ExportEntry(TEA, "name", "茶", "Шай", "reviewed"),
    ]
    root = ET.fromstring(export_xliff("kk", rows))
    stale = segment(root, FLOUR, "name")
    assert (stale.get("state"), stale.get("subState")) == ("initial", "tianshan:stale")
    assert segment(root, TEA, "name").get("state") == "reviewed"


def test_round_trip_through_elementtree() -> None:
    data = translate(
        exported(),
        {
            (FLOUR, "highlights.1"): "Қоспасыз",
            (TEA, "name"): "Цейлон қара шайы Dilmah",
            (TEA, "description"): "Шри-Ланкадан келген қара шай, 100% түпнұсқа.",
        },
        state="reviewed",
    )
    plan = import_xliff(data, "kk", SOURCES)
    assert plan.ok, plan.errors
    got = {(e.sku, e.field): (e.text, e.reviewed) for e in plan.entries}
    assert got[(TEA, "name")] == ("Цейлон қара шайы Dilmah", True)
    assert got[(FLOUR, "name")] == ("Қазақстан ұны", False)
    assert got[(FLOUR, "description")] == ("Жоғары сортты <b>бидай ұны</b>, {weight} кг.", False)
    assert len(got) == 6
    assert not any(e.stale for e in plan.entries)


def test_initial_segments_are_untranslated_even_with_a_target() -> None:
    data = translate(exported(), {(TEA, "name"): "Шай"}, state="initial")
    plan = import_xliff(data, "kk", SOURCES)
    assert (TEA, "name") in plan.untranslated


def test_file_translated_against_older_source_is_stale_with_diff() -> None:
    data = translate(exported(), {(TEA, "name"): "Цейлон шайы Dilmah"})
    newer = dict(SOURCES)
    newer[TEA] = ListingText("锡兰特级红茶 Dilmah", SOURCES[TEA].description)
    plan = import_xliff(data, "kk", newer)
    assert plan.ok
    (entry,) = [e for e in plan.entries if e.sku == TEA]
    assert entry.stale
    assert entry.source_diff == [("equal", "锡兰"), ("insert", "特级"), ("equal", "红茶 Dilmah")]


def problems(data: bytes) -> list[str]:
    plan = import_xliff(data, "kk", SOURCES)
    assert not plan.ok
    return [str(problem) for problem in plan.errors]


def test_unknown_units_and_segments_are_named() -> None:
    text = exported().decode()
    text = text.replace(f'<unit id="{TEA}" ', '<unit id="XX-NOPE-1" ')
    text = text.replace('<segment id="highlights.1"', '<segment id="colour"')
    found = problems(text.encode())
    assert "unit 'XX-NOPE-1', segment 'name': unknown SKU 'XX-NOPE-1'" in found
    assert (
        f"unit '{FLOUR}', segment 'colour': unknown field 'colour' for {FLOUR} (it has no such source text)"
        in found
    )


def test_placeholders_and_limits_are_checked_per_unit() -> None:
    data = translate(
        exported(),
        {(FLOUR, "description"): "Бидай ұны, {weight} кг.", (TEA, "name"): "ш" * 201},
    )
    assert problems(data) == [
        f"unit '{FLOUR}', segment 'description': {FLOUR}|description: placeholders or markup differ "
        "from the source; missing from the translation: </b>, <b>",
        f"unit '{TEA}', segment 'name': {TEA}|name is 201 characters long; at most 200 are allowed",
    ]


def test_inline_elements_and_unknown_states_are_refused() -> None:
    text = (
        exported()
        .decode()
        .replace(
            '<target xml:space="preserve">Күшті</target>',
            '<target xml:space="preserve"><pc id="1">Күшті</pc></target>',
        )
    )
    text = text.replace('<segment id="name" state="initial">', '<segment id="name" state="done">')
    found = problems(text.encode())
    assert (
        f"unit '{FLOUR}', segment 'highlights.0': target: inline elements such as <pc> are not supported;"
        " keep markup as plain text" in found
    )
    assert f"unit '{TEA}', segment 'name': unknown state 'done'" in found


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="kk">
<file id="f"><unit id="KZ-FLOUR-001"><segment id="name"><source>&lol9;</source></segment></unit></file>
</xliff>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="kk">
<file id="f"><unit id="KZ-FLOUR-001"><segment id="name" state="translated">
<source>x</source><target>&secret;</target></segment></unit></file>
</xliff>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_xml_bombs_and_external_entities_are_refused(data: bytes) -> None:
    with pytest.raises(ExchangeError, match=r"unsafe XML refused .*DTDs, entity declarations"):
        import_xliff(data, "kk", SOURCES)


def test_malformed_xml_names_line_and_column() -> None:
    text = exported().decode().replace("</unit>", "</unt>", 1)
    line = text.split("\n").index("    </unt>") + 1
    with pytest.raises(ExchangeError, match=f"malformed XML at line {line}, column 7: mismatched tag"):
        import_xliff(text.encode(), "kk", SOURCES)


def test_not_utf8_and_declared_encodings_are_refused() -> None:
    latin = (
        exported().decode().replace("哈萨克斯坦面粉", "Mąka").encode("utf-8").replace("ą".encode(), b"\xb1")
    )
    with pytest.raises(ExchangeError, match="not UTF-8: undecodable byte"):
        import_xliff(latin, "kk", SOURCES)
    declared = exported().replace(b'encoding="UTF-8"', b'encoding="ISO-8859-2"')
    with pytest.raises(ExchangeError, match="declares encoding 'ISO-8859-2'; only UTF-8"):
        import_xliff(declared, "kk", SOURCES)


def test_file_for_another_locale_is_refused() -> None:
    with pytest.raises(WrongLocale, match="this XLIFF is for trgLang 'kk', but it is being imported as 'ru'"):
        import_xliff(exported(), "ru", SOURCES)
    without = exported().replace(b' trgLang="kk"', b"")
    with pytest.raises(WrongLocale, match='the XLIFF has no trgLang; expected trgLang="kk"'):
        import_xliff(without, "kk", SOURCES)


def test_other_documents_are_refused() -> None:
    message = "not an XLIFF 2.0 document: the root element is 'html'"
    with pytest.raises(ExchangeError, match=re.escape(message)):
        import_xliff(b"<html><body/></html>", "kk", SOURCES)
    old = exported().replace(b'version="2.0"', b'version="1.2"')
    with pytest.raises(ExchangeError, match=re.escape("XLIFF version '1.2' is not supported; use 2.0")):
        import_xliff(old, "kk", SOURCES)


def test_size_limit_is_checked_before_parsing() -> None:
    huge = b"<" * (50 * 1024 * 1024)
    with pytest.raises(FileTooLarge, match="the file is 52,428,800 bytes"):
        import_xliff(huge, "kk", SOURCES)


def test_texts_that_xml_cannot_carry_are_refused_on_export() -> None:
    rows = [ExportEntry(FLOUR, "name", "bell\x07", "", "missing")]
    message = f"{FLOUR}|name: character U+0007 cannot be put in XML"
    with pytest.raises(ExchangeError, match=re.escape(message)):
        export_xliff("kk", rows)


def test_special_characters_survive_the_round_trip() -> None:
    source = 'A & B <i>"q"</i>\r\nline\ttab ]]> \u2028 \U0001f1f0\U0001f1ff'
    sources = {FLOUR: ListingText(source)}
    rows = [ExportEntry(FLOUR, "name", source, source, "draft")]
    plan = import_xliff(export_xliff("kk", rows), "kk", sources)
    assert plan.ok, plan.errors
    assert [(e.text, e.stale) for e in plan.entries] == [(source, False)]
