"""PO export and import: format, round trip through polib, and every kind of bad file."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polib
import pytest

from tests.translations.exchange_data import FLOUR
from tests.translations.exchange_data import SOURCES
from tests.translations.exchange_data import TEA
from tests.translations.exchange_data import TRANSLATION_REVISION
from tests.translations.exchange_data import export_rows
from translations.exchange import ExchangeError
from translations.exchange import ExchangeProblem
from translations.exchange import ExportEntry
from translations.exchange import FileTooLarge
from translations.exchange import WrongLocale
from translations.exchange_po import export_po
from translations.exchange_po import import_po
from translations.exchange_po import read_po_entries
from translations.workflow import ListingText
from translations.workflow import text_hash


def exported() -> str:
    return export_po("kk", export_rows()).decode("utf-8")


def edit(text: str, translations: dict[str, str], keep_fuzzy: bool = False) -> bytes:
    """Translate entries with polib, as a translator's tool would, and save."""
    catalog = polib.pofile(text)
    for entry in catalog:
        if entry.msgctxt in translations:
            entry.msgstr = translations[entry.msgctxt]
            if not keep_fuzzy and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    return str(catalog).encode("utf-8")


def test_export_has_context_source_translation_and_hash() -> None:
    catalog = polib.pofile(exported())
    assert catalog.metadata["Language"] == "kk"
    assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    by_context = {entry.msgctxt: entry for entry in catalog}
    assert list(by_context) == [
        f"{FLOUR}|name",
        f"{FLOUR}|description",
        f"{FLOUR}|highlights.0",
        f"{FLOUR}|highlights.1",
        f"{TEA}|name",
        f"{TEA}|description",
    ]
    name = by_context[f"{FLOUR}|name"]
    assert (name.msgid, name.msgstr) == ("哈萨克斯坦面粉", "Қазақстан ұны")
    assert name.comment == f"source-hash: {text_hash('哈萨克斯坦面粉')}\nrevision: 2"
    assert by_context[f"{TEA}|name"].comment.endswith("\nrevision: 0")
    assert by_context[f"{FLOUR}|highlights.1"].msgstr == ""
    assert by_context[f"{TEA}|name"].msgstr == ""


def test_stale_translations_are_exported_fuzzy_with_their_previous_source() -> None:
    rows = [ExportEntry(FLOUR, "name", "新名字", "Ескі аудару", "stale", 4, "旧名字")]
    data = export_po("kk", rows)
    entry = polib.pofile(data.decode())[0]
    assert entry.flags == ["fuzzy"]
    assert entry.previous_msgid == "旧名字"
    assert '#| msgid "旧名字"' in data.decode()


def test_the_revision_each_entry_was_exported_from_is_read_back() -> None:
    raw, problems = read_po_entries(exported().encode(), "kk")
    assert problems == []
    assert {(r.sku, r.field): r.revision for r in raw}[(FLOUR, "name")] == TRANSLATION_REVISION
    assert {(r.sku, r.field): r.revision for r in raw}[(TEA, "name")] == 0
    no_revision = exported().replace("#. revision: 2\n", "").encode()
    raw, _ = read_po_entries(no_revision, "kk")
    assert {(r.sku, r.field): r.revision for r in raw}[(FLOUR, "name")] is None


def test_msgfmt_check_finds_nothing_to_warn_about(tmp_path: Path) -> None:
    rows = [*export_rows(), ExportEntry(FLOUR, "name", "新名字", "Ескі аудару", "stale", 4, "旧名字")]
    path = tmp_path / "listings-kk.po"
    path.write_bytes(export_po("kk", rows))
    header = polib.pofile(str(path)).metadata
    for key in ("PO-Revision-Date", "Last-Translator", "Language-Team", "POT-Creation-Date"):
        assert header.get(key), key
    checked = subprocess.run(
        ["msgfmt", "-c", "-v", "-o", os.devnull, str(path)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    assert "warning" not in checked.stderr.lower()
    assert checked.stderr.strip().startswith("3 translated messages"), checked.stderr


def test_round_trip_through_polib() -> None:
    data = edit(
        exported(),
        {
            f"{FLOUR}|highlights.1": "Қоспасыз",
            f"{TEA}|name": "Цейлон қара шайы Dilmah",
            f"{TEA}|description": "Шри-Ланкадан келген қара шай, 100% түпнұсқа.",
        },
    )
    plan = import_po(data, "kk", SOURCES)
    assert plan.ok, plan.errors
    assert plan.untranslated == []
    got = {(entry.sku, entry.field): entry.text for entry in plan.entries}
    assert got == {
        (FLOUR, "name"): "Қазақстан ұны",
        (FLOUR, "description"): "Жоғары сортты <b>бидай ұны</b>, {weight} кг.",
        (FLOUR, "highlights.0"): "Күшті",
        (FLOUR, "highlights.1"): "Қоспасыз",
        (TEA, "name"): "Цейлон қара шайы Dilmah",
        (TEA, "description"): "Шри-Ланкадан келген қара шай, 100% түпнұсқа.",
    }
    assert not any(entry.stale for entry in plan.entries)
    assert all(entry.source_hash_in_file == text_hash(entry.source_in_file) for entry in plan.entries)
    updates = plan.listing_updates(SOURCES)
    assert updates[FLOUR]["highlights"][0] == ("Күшті", "Қоспасыз")
    assert updates[TEA]["name"] == ("Цейлон қара шайы Dilmah", text_hash("锡兰红茶 Dilmah"))


def test_untouched_export_imports_only_what_was_translated() -> None:
    plan = import_po(exported().encode(), "kk", SOURCES)
    assert plan.ok
    assert len(plan.entries) == 3
    assert plan.untranslated == [(FLOUR, "highlights.1"), (TEA, "name"), (TEA, "description")]


def test_fuzzy_entries_count_as_untranslated() -> None:
    data = edit(exported(), {f"{TEA}|name": "Шай"}, keep_fuzzy=True)
    catalog = polib.pofile(data.decode())
    catalog.find("锡兰红茶 Dilmah", msgctxt=f"{TEA}|name").flags.append("fuzzy")
    plan = import_po(str(catalog).encode(), "kk", SOURCES)
    assert (TEA, "name") in plan.untranslated


def test_file_translated_against_older_source_is_marked_stale_with_diff() -> None:
    data = edit(exported(), {f"{TEA}|name": "Цейлон шайы Dilmah"})
    newer = dict(SOURCES)
    newer[TEA] = ListingText("锡兰特级红茶 Dilmah", SOURCES[TEA].description)
    plan = import_po(data, "kk", newer)
    assert plan.ok
    (entry,) = [e for e in plan.entries if (e.sku, e.field) == (TEA, "name")]
    assert entry.stale
    assert entry.source_hash_in_file == text_hash("锡兰红茶 Dilmah")
    assert entry.source_diff == [("equal", "锡兰"), ("insert", "特级"), ("equal", "红茶 Dilmah")]
    assert not any(e.stale for e in plan.entries if e.sku == FLOUR)
    # The recorded hash keeps the stored translation stale.
    assert plan.listing_updates(newer)[TEA]["name"][1] != text_hash("锡兰特级红茶 Dilmah")


def test_edited_source_text_in_the_file_makes_the_entry_stale() -> None:
    catalog = polib.pofile(exported())
    entry = catalog.find("哈萨克斯坦面粉", msgctxt=f"{FLOUR}|name")
    entry.msgid = "别的东西"
    plan = import_po(str(catalog).encode(), "kk", SOURCES)
    (name,) = [e for e in plan.entries if e.field == "name" and e.sku == FLOUR]
    assert name.stale
    assert name.source_hash_in_file == text_hash("别的东西")


def problems(data: bytes) -> list[str]:
    plan = import_po(data, "kk", SOURCES)
    assert not plan.ok
    return [str(problem) for problem in plan.errors]


def test_unknown_skus_and_fields_are_named_with_their_line() -> None:
    text = exported()
    text = text.replace(f'msgctxt "{TEA}|name"', 'msgctxt "XX-NOPE-1|name"')
    text = text.replace(f'msgctxt "{TEA}|description"', f'msgctxt "{TEA}|title"')
    text = text.replace(f'msgctxt "{FLOUR}|highlights.1"', f'msgctxt "{FLOUR}|highlights.7"')
    lines = text.split("\n")
    line_of = {ctx: lines.index(f'msgctxt "{ctx}"') + 1 for ctx in ("XX-NOPE-1|name", f"{TEA}|title")}
    found = problems(text.encode())
    assert f"line {line_of['XX-NOPE-1|name']}: unknown SKU 'XX-NOPE-1'" in found
    assert (
        f"line {line_of[f'{TEA}|title']}: unknown field 'title' for {TEA} (it has no such source text)"
        in found
    )
    assert any("unknown field 'highlights.7'" in problem for problem in found)


def test_bad_context_and_duplicates() -> None:
    text = exported().replace(f'msgctxt "{TEA}|name"', 'msgctxt "no-separator"')
    assert any("msgctxt must be 'SKU|field', got 'no-separator'" in p for p in problems(text.encode()))
    twice = exported().replace(f'msgctxt "{TEA}|description"', f'msgctxt "{TEA}|name"')
    assert any(f"{TEA}|name appears twice (first at line" in p for p in problems(twice.encode()))


def test_placeholders_and_markup_must_match_the_source() -> None:
    data = edit(exported(), {f"{FLOUR}|description": "Жоғары сортты бидай ұны, {салмақ} кг."})
    (problem,) = problems(data)
    assert problem.startswith("line ")
    assert problem.endswith(
        f"{FLOUR}|description: placeholders or markup differ from the source; "
        "missing from the translation: </b>, <b>, {weight}; not in the source: {салмақ}"
    )


def test_texts_over_the_limits_are_refused() -> None:
    data = edit(exported(), {f"{TEA}|name": "ш" * 201, f"{FLOUR}|highlights.1": "x" * 250})
    found = problems(data)
    assert any(p.endswith(f"{TEA}|name is 201 characters long; at most 200 are allowed") for p in found)
    assert any(
        p.endswith(f"{FLOUR}|highlights.1 is 250 characters long; at most 200 are allowed") for p in found
    )


def test_malformed_po_names_the_line() -> None:
    text = exported().replace('msgid "哈萨克斯坦面粉"', 'msgid "哈萨克斯坦"面粉"')
    line = text.split("\n").index('msgid "哈萨克斯坦"面粉"') + 1
    with pytest.raises(ExchangeError, match=f"malformed PO file at line {line}: unescaped double quote"):
        import_po(text.encode(), "kk", SOURCES)


def test_not_utf8_is_refused_with_the_line() -> None:
    data = ('msgid ""\nmsgstr ""\n"Language: kk\\n"\n\nmsgid "a"\nmsgstr "Мука"\n').encode("cp1251")
    with pytest.raises(ExchangeError, match=r"not UTF-8: undecodable byte at offset \d+ \(line 6\)"):
        import_po(data, "kk", SOURCES)


def test_declared_other_charset_is_refused() -> None:
    data = exported().replace("charset=UTF-8", "charset=CP1251").encode()
    with pytest.raises(ExchangeError, match="declares charset CP1251; only UTF-8 files are accepted"):
        import_po(data, "kk", SOURCES)


def test_file_for_another_locale_is_refused() -> None:
    with pytest.raises(
        WrongLocale, match="this PO file is for locale 'kk', but it is being imported as 'ru'"
    ):
        import_po(exported().encode(), "ru", SOURCES)
    without = exported().replace('"Language: kk\\n"\n', "")
    with pytest.raises(WrongLocale, match="the PO header has no Language field; expected 'Language: kk'"):
        import_po(without.encode(), "kk", SOURCES)


def test_file_without_header_is_refused() -> None:
    data = f'msgctxt "{FLOUR}|name"\nmsgid "哈萨克斯坦面粉"\nmsgstr "Ұн"\n'.encode()
    with pytest.raises(ExchangeError, match="no header entry"):
        import_po(data, "kk", SOURCES)


def test_single_line_input_never_reaches_the_file_system() -> None:
    with pytest.raises(ExchangeError):
        import_po(b"/etc/passwd", "kk", SOURCES)


def test_size_limit_is_checked_before_parsing() -> None:
    huge = bytes(50 * 1024 * 1024)  # 50 MiB of NUL bytes: not even valid PO
    with pytest.raises(FileTooLarge, match="the file is 52,428,800 bytes; at most 10,485,760 bytes"):
        import_po(huge, "kk", SOURCES)
    with pytest.raises(FileTooLarge):
        import_po(exported().encode(), "kk", SOURCES, max_bytes=100)


def test_bom_and_crlf_files_are_accepted() -> None:
    data = "\ufeff".encode() + exported().replace("\n", "\r\n").encode()
    assert import_po(data, "kk", SOURCES).ok


def test_only_content_locales_are_exchanged() -> None:
    with pytest.raises(ValueError, match="not 'kk-Latn'"):
        export_po("kk-Latn", export_rows())
    with pytest.raises(ValueError, match="not 'de'"):
        import_po(exported().encode(), "de", SOURCES)


def test_problem_text_format() -> None:
    assert str(ExchangeProblem("line 4", "unknown SKU 'X'")) == "line 4: unknown SKU 'X'"
