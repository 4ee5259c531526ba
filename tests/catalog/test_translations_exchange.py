"""PO and XLIFF exchange through HTTP: round trips, stale imports, and every kind of bad file."""

from __future__ import annotations

import io
import typing as t
import xml.etree.ElementTree as ET
import zipfile

import polib
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.catalog.test_translations_api import create
from tests.catalog.test_translations_api import etag
from tests.conftest import Tokens
from translations import MAX_IMPORT_BYTES

PO = "text/x-gettext-translation"
XLIFF = "application/x-xliff+xml"
NS = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
SOURCE = {
    "zh": {
        "name": "哈萨克斯坦面粉",
        "description": "满%(qty)s袋包邮 <b>特价</b>",
        "highlights": ["一级面粉", "保质期一年"],
    }
}
KK = {
    "name": "Қазақстан ұны",
    "description": "%(qty)s қап алсаңыз, жеткізу тегін <b>арзан</b>",
    "highlights.0": "Бірінші сорт",
    "highlights.1": "Сақтау мерзімі бір жыл",
}


def export(client: FlaskClient, tokens: Tokens, fmt: str = "po", locale: str = "kk") -> str:
    response = client.get(
        f"/api/v1/translations/export?locale={locale}&format={fmt}", headers=tokens.headers("translator_kk")
    )
    assert response.status_code == 200, response.json
    return response.get_data(as_text=True)


def send(
    client: FlaskClient, tokens: Tokens, data: bytes, content_type: str = PO, locale: str = "kk"
) -> TestResponse:
    return client.post(
        f"/api/v1/translations/import?locale={locale}",
        data=data,
        headers=tokens.headers("translator_kk", **{"Content-Type": content_type}),
    )


def translated_po(text: str, texts: t.Mapping[str, str] = KK, sku: str = "KZ-FLOUR-001") -> polib.POFile:
    """The exported PO with msgstr filled in by polib, as a translator's tool would."""
    catalog = polib.pofile(text)
    for entry in catalog:
        sku_in_file, _, field = entry.msgctxt.partition("|")
        if sku_in_file == sku and field in texts:
            entry.msgstr = texts[field]
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    return catalog


def content(client: FlaskClient, tokens: Tokens, product_id: int, locale: str = "kk") -> t.Any:
    return client.get(
        f"/api/v1/products/{product_id}/content/{locale}", headers=tokens.headers("editor")
    ).json


def test_po_round_trip(client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens, content=SOURCE)
    exported = export(client, tokens)
    assert 'msgctxt "KZ-FLOUR-001|highlights.1"' in exported
    response = send(client, tokens, str(translated_po(exported)).encode())
    assert response.status_code == 200, response.json
    assert response.json == {
        "updated": 1, "unchanged": 0, "untranslated": 0, "errors": [], "stale": [], "warnings": [],
        "conflicts": [],
    }  # fmt: skip
    body = content(client, tokens, made["id"])
    assert body["text"] == {
        "name": KK["name"],
        "description": KK["description"],
        "highlights": [KK["highlights.0"], KK["highlights.1"]],
    }
    assert body["state"] == "draft" and body["author"] == "translator_kk"
    again = send(client, tokens, str(translated_po(export(client, tokens))).encode())
    assert (again.json["updated"], again.json["unchanged"]) == (0, 1)
    history = client.get(
        f"/api/v1/products/{made['id']}/content/kk/history", headers=tokens.headers("editor")
    )
    assert [item["action"] for item in history.json["items"]] == ["import"]


def test_xliff_round_trip_as_multipart(client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens, content=SOURCE)
    root = ET.fromstring(export(client, tokens, "xliff").encode())
    for segment in root.iterfind(".//x:segment", NS):
        target = segment.find("x:target", NS)
        if target is None:
            target = ET.SubElement(segment, f"{{{NS['x']}}}target")
        target.text = KK[segment.get("id", "")]
        segment.set("state", "translated")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    response = client.post(
        "/api/v1/translations/import?locale=kk",
        data={"file": (io.BytesIO(data), "listings-kk.xlf")},
        headers=tokens.headers("translator_kk"),
    )
    assert response.status_code == 200, response.json
    assert response.json["updated"] == 1
    body = content(client, tokens, made["id"])
    assert body["text"]["highlights"] == [KK["highlights.0"], KK["highlights.1"]]
    assert body["state"] == "draft"
    exported = ET.fromstring(export(client, tokens, "xliff").encode())
    assert {s.get("state") for s in exported.iterfind(".//x:segment", NS)} == {"translated"}


def test_a_file_made_against_an_older_source_is_imported_as_stale(
    client: FlaskClient, tokens: Tokens
) -> None:
    made = create(client, tokens, content=SOURCE)
    exported = export(client, tokens)
    new_source = {**SOURCE["zh"], "name": "哈萨克斯坦高筋面粉"}
    patched = client.patch(
        f"/api/v1/products/{made['id']}",
        json={"content": {"zh": new_source}},
        headers=tokens.headers("editor", **{"If-Match": etag(client, made["id"])}),
    )
    assert patched.status_code == 200
    response = send(client, tokens, str(translated_po(exported)).encode())
    assert response.status_code == 200, response.json
    assert response.json["updated"] == 1
    [stale] = response.json["stale"]
    assert stale["field"] == "name" and stale["sku"] == "KZ-FLOUR-001"
    assert stale["source_in_file"] == "哈萨克斯坦面粉" and stale["source_now"] == "哈萨克斯坦高筋面粉"
    assert stale["diff_html"] == "哈萨克斯坦<ins>高筋</ins>面粉"
    body = content(client, tokens, made["id"])
    assert body["text"]["name"] == KK["name"]
    assert (
        body["state"] == "stale"
        and body["fields"]["name"] == "stale"
        and body["fields"]["description"] == "draft"
    )
    assert body["source_diff"]["name"]["html"] == "哈萨克斯坦<ins>高筋</ins>面粉"
    reexported = polib.pofile(export(client, tokens))
    name = next(e for e in reexported if e.msgctxt == "KZ-FLOUR-001|name")
    assert "fuzzy" in name.flags and name.msgstr == KK["name"]


def _po(text: str) -> bytes:
    return str(translated_po(text)).encode()


def _po_with(text: str, **texts: str) -> bytes:
    return str(translated_po(text, {**KK, **texts})).encode()


def _po_extra(text: str, msgctxt: str) -> bytes:
    catalog = translated_po(text)
    catalog.append(polib.POEntry(msgctxt=msgctxt, msgid="面粉", msgstr="Ұн"))
    return str(catalog).encode()


def _xliff(text: str, replace: tuple[str, str] = ("", "")) -> bytes:
    return text.replace(*replace).encode()


BOMB = """<?xml version="1.0"?>
<!DOCTYPE xliff [
 <!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="kk">
<file id="f"><unit id="KZ-FLOUR-001"><segment id="name"><source>&e;</source><target>&e;</target></segment></unit></file>
</xliff>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="kk">
<file id="f"><unit id="KZ-FLOUR-001"><segment id="name" state="translated"><source>x</source><target>&secret;</target></segment></unit></file>
</xliff>"""

Case = tuple[t.Callable[[str, str], bytes], str, int, str]
CASES: dict[str, Case] = {
    "malformed PO": (
        lambda po, _: po.replace('msgstr ""', 'msgstr "unclosed', 2).encode(),
        PO,
        422,
        "malformed PO file at line",
    ),
    "malformed XLIFF": (lambda _, xl: xl[: len(xl) // 2].encode(), XLIFF, 422, "malformed XML at line"),
    "wrong encoding": (
        lambda po, _: str(translated_po(po)).encode("cp1251", errors="replace"),
        PO,
        422,
        "the file is not UTF-8: undecodable byte",
    ),
    "declared encoding": (
        lambda _, xl: xl.replace('encoding="UTF-8"', 'encoding="windows-1251"').encode(),
        XLIFF,
        422,
        "only UTF-8 files are accepted",
    ),
    "PO of another locale": (
        lambda po, _: _po(po.replace("Language: kk", "Language: ru")),
        PO,
        422,
        "this PO file is for locale 'ru', but it is being imported as 'kk'",
    ),
    "XLIFF of another locale": (
        lambda _, xl: _xliff(xl, ('trgLang="kk"', 'trgLang="ru"')),
        XLIFF,
        422,
        "this XLIFF is for trgLang 'ru'",
    ),
    "unknown SKU": (lambda po, _: _po_extra(po, "NO-SUCH-SKU|name"), PO, 422, "unknown SKU 'NO-SUCH-SKU'"),
    "unknown field": (
        lambda po, _: _po_extra(po, "KZ-FLOUR-001|colour"),
        PO,
        422,
        "unknown field 'colour' for KZ-FLOUR-001",
    ),
    "placeholders": (
        lambda po, _: _po_with(po, description="Жеткізу тегін"),
        PO,
        422,
        "missing from the translation: %(qty)s, </b>, <b>",
    ),
    "over the limit": (
        lambda po, _: _po_with(po, name="ұ" * 201),
        PO,
        422,
        "KZ-FLOUR-001|name is 201 characters long; at most 200",
    ),
    "billion laughs": (lambda _, __: BOMB.encode(), XLIFF, 422, "unsafe XML refused"),
    "external entity": (lambda _, __: EXTERNAL.encode(), XLIFF, 422, "unsafe XML refused"),
    "50 MB": (
        lambda _, __: b"#" * (50 * 1024 * 1024),
        PO,
        413,
        "The file is 52,428,800 bytes; at most 10,485,760 bytes",
    ),
    "not a translation file": (
        lambda po, _: po.encode(),
        "application/json",
        415,
        "Send a PO file as text/x-gettext-translation",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_files_are_refused_whole_with_a_message_naming_the_place(
    client: FlaskClient, tokens: Tokens, case: str
) -> None:
    made = create(client, tokens, content=SOURCE)
    build, content_type, status, message = CASES[case]
    po, xliff = export(client, tokens), export(client, tokens, "xliff")
    before = etag(client, made["id"])
    response = send(client, tokens, build(po, xliff), content_type)
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    problem = response.json
    assert message in problem["detail"] or any(message in e["message"] for e in problem.get("errors", []))
    if case in ("unknown SKU", "unknown field", "placeholders", "over the limit"):
        assert problem["errors"][0]["field"].startswith("line ")
        assert "nothing was imported" in problem["detail"]
    assert etag(client, made["id"]) == before
    assert content(client, tokens, made["id"])["text"] is None


def test_xliff_problems_name_the_unit_and_segment(client: FlaskClient, tokens: Tokens) -> None:
    create(client, tokens, content=SOURCE)
    root = ET.fromstring(export(client, tokens, "xliff").encode())
    for segment in root.iterfind(".//x:segment", NS):
        ET.SubElement(segment, f"{{{NS['x']}}}target").text = "Тегін жеткізу"
        segment.set("state", "translated")
    response = send(client, tokens, ET.tostring(root, encoding="utf-8"), XLIFF)
    assert response.status_code == 422
    fields = [e["field"] for e in response.json["errors"]]
    assert "unit 'KZ-FLOUR-001', segment 'description'" in fields


def test_an_import_is_all_or_nothing(client: FlaskClient, tokens: Tokens) -> None:
    first = create(client, tokens, content=SOURCE)
    second = create(client, tokens, content=SOURCE, sku="KZ-FLOUR-002", barcode=None)
    exported = export(client, tokens)
    catalog = translated_po(exported)
    for entry in catalog:
        if entry.msgctxt == "KZ-FLOUR-002|name":
            entry.msgstr = "Ұн {count}"  # a placeholder the source does not have
    response = send(client, tokens, str(catalog).encode())
    assert response.status_code == 422
    assert "KZ-FLOUR-002|name" in response.json["errors"][0]["message"]
    assert response.json["report"]["updated"] == 0
    assert content(client, tokens, first["id"])["text"] is None
    assert content(client, tokens, second["id"])["text"] is None


def test_import_rules_for_people_and_requests(client: FlaskClient, tokens: Tokens) -> None:
    create(client, tokens, content=SOURCE)
    data = _po(export(client, tokens))
    other = client.post(
        "/api/v1/translations/import?locale=kk",
        data=data,
        headers=tokens.headers("translator_ru", **{"Content-Type": PO}),
    )
    assert other.status_code == 403 and "You translate into ru" in other.json["detail"]
    no_field = client.post(
        "/api/v1/translations/import?locale=kk",
        data={"document": (io.BytesIO(data), "kk.po")},
        headers=tokens.headers("translator_kk"),
    )
    assert no_field.status_code == 422 and "multipart field named 'file'" in no_field.json["detail"]
    unnamed = client.post(
        "/api/v1/translations/import?locale=kk",
        data={"file": (io.BytesIO(data), "translations.txt", "text/plain")},
        headers=tokens.headers("translator_kk"),
    )
    assert unnamed.status_code == 422 and "?format=po" in unnamed.json["detail"]
    named = client.post(
        "/api/v1/translations/import?locale=kk&format=po",
        data={"file": (io.BytesIO(data), "translations.txt", "text/plain")},
        headers=tokens.headers("translator_kk"),
    )
    assert named.status_code == 200 and named.json["updated"] == 1
    just_over = b"#" * (MAX_IMPORT_BYTES + 1)  # the form fits the request allowance, the file does not
    big = client.post(
        "/api/v1/translations/import?locale=kk",
        data={"file": (io.BytesIO(just_over), "kk.po")},
        headers=tokens.headers("translator_kk"),
    )
    assert big.status_code == 413 and "The file is 10,485,761 bytes" in big.json["detail"]
    source = client.post(
        "/api/v1/translations/import?locale=zh",
        data=data,
        headers=tokens.headers("editor", **{"Content-Type": PO}),
    )
    assert (
        source.status_code == 422
        and "for locale 'kk', but it is being imported as 'zh'" in source.json["detail"]
    )


def test_a_first_translation_needs_its_name(client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens, content=SOURCE)
    catalog = translated_po(export(client, tokens), {"description": KK["description"]})
    response = send(client, tokens, str(catalog).encode())
    assert response.status_code == 422
    assert "needs the name translated as well" in response.json["errors"][0]["message"]
    assert content(client, tokens, made["id"])["text"] is None


def test_export_filters_by_state(client: FlaskClient, tokens: Tokens) -> None:
    create(client, tokens, content=SOURCE)
    create(client, tokens, content=SOURCE, sku="KZ-FLOUR-002", barcode=None)
    send(client, tokens, _po(export(client, tokens)))
    response = client.get(
        "/api/v1/translations/export?locale=kk&state=missing", headers=tokens.headers("editor")
    )
    assert response.headers["Content-Disposition"] == 'attachment; filename="listings-kk.po"'
    contexts = {entry.msgctxt.split("|")[0] for entry in polib.pofile(response.get_data(as_text=True))}
    assert contexts == {"KZ-FLOUR-002"}
    bad = client.get("/api/v1/translations/export?locale=kk&format=docx", headers=tokens.headers("editor"))
    assert bad.status_code == 422


def test_products_that_take_no_such_translation_are_named(client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens, content=SOURCE)
    exported = export(client, tokens)
    create(
        client, tokens, sku="KZ-HONEY-001", barcode=None, source_locale="kk", content={"kk": {"name": "Бал"}}
    )
    client.delete(
        f"/api/v1/products/{made['id']}",
        headers=tokens.headers("editor", **{"If-Match": etag(client, made["id"])}),
    )
    catalog = translated_po(exported)
    catalog.append(polib.POEntry(msgctxt="KZ-HONEY-001|name", msgid="Бал", msgstr="Бал"))
    response = send(client, tokens, str(catalog).encode())
    assert response.status_code == 422
    messages = {e["message"] for e in response.json["errors"]}
    assert "KZ-FLOUR-001 is archived; its texts are no longer translated" in messages
    assert "KZ-HONEY-001 is written in kk (its source text); it takes no kk translation" in messages


def test_an_import_can_keep_its_texts_hidden_until_reviewed(client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens, content=SOURCE)
    data = _po(export(client, tokens))
    response = client.post(
        "/api/v1/translations/import?locale=kk&hidden_until_reviewed=true",
        data=data,
        headers=tokens.headers("translator_kk", **{"Content-Type": PO}),
    )
    assert response.status_code == 200
    assert content(client, tokens, made["id"])["hidden_until_reviewed"] is True
    assert client.get(f"/api/v1/products/{made['id']}?locale=kk").json["localized"]["fallback_from"] == "zh"


def test_highlights_left_fuzzy_are_kept_not_dropped(client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens, content=SOURCE)
    send(client, tokens, _po(export(client, tokens)))
    new_source = {**SOURCE["zh"], "highlights": ["特级面粉", "保质期两年"]}
    client.patch(
        f"/api/v1/products/{made['id']}",
        json={"content": {"zh": new_source}},
        headers=tokens.headers("editor", **{"If-Match": etag(client, made["id"])}),
    )
    catalog = polib.pofile(export(client, tokens))
    fuzzy = [e.msgctxt for e in catalog if "fuzzy" in e.flags]
    assert fuzzy == ["KZ-FLOUR-001|highlights.0", "KZ-FLOUR-001|highlights.1"]
    first = next(e for e in catalog if e.msgctxt == "KZ-FLOUR-001|highlights.0")
    first.msgstr, first.flags = "Жоғары сорт", []  # the translator fixes one and leaves the other fuzzy
    response = send(client, tokens, str(catalog).encode())
    assert response.status_code == 200, response.json
    body = content(client, tokens, made["id"])
    assert body["text"]["highlights"] == ["Жоғары сорт", KK["highlights.1"]]
    assert body["fields"]["highlights"] == "stale"


def test_each_source_language_gets_its_own_file(client: FlaskClient, tokens: Tokens) -> None:
    create(client, tokens, content=SOURCE)
    create(client, tokens, sku="RU-HONEY-002", source_locale="ru", content={"ru": {"name": "Мёд гречишный"}})
    response = client.get(
        "/api/v1/translations/export?locale=kk&format=xliff", headers=tokens.headers("translator_kk")
    )
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        files = {name: ET.fromstring(archive.read(name)) for name in archive.namelist()}
    assert sorted(files) == ["listings-kk-from-ru.xlf", "listings-kk-from-zh.xlf"]
    for name, root in files.items():
        source = name.removesuffix(".xlf").rpartition("-")[2]
        assert root.get("srcLang") == source
        units = [unit.get("id") for unit in root.iter(f"{{{NS['x']}}}unit")]
        assert units == (["RU-HONEY-002"] if source == "ru" else ["KZ-FLOUR-001"])
    one = client.get(
        "/api/v1/translations/export?locale=kk&format=po&source_locale=ru",
        headers=tokens.headers("translator_kk"),
    )
    assert one.mimetype == "text/x-gettext-translation"
    catalog = polib.pofile(one.get_data(as_text=True))
    assert catalog.metadata["X-Source-Language"] == "ru"
    assert [entry.msgctxt for entry in catalog] == ["RU-HONEY-002|name"]
