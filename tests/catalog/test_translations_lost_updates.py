"""No lost updates in translation exchange: two translators, interleaved exports and imports."""

from __future__ import annotations

import typing as t
import xml.etree.ElementTree as ET

import polib
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from catalog.db import get_session
from catalog.models import Role
from catalog.services.users import add_user
from tests.catalog.test_translations_api import create
from tests.catalog.test_translations_api import put_text
from tests.catalog.test_translations_exchange import KK
from tests.catalog.test_translations_exchange import SOURCE
from tests.conftest import Tokens

PO = "text/x-gettext-translation"
XLIFF = "application/x-xliff+xml"
NS = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
SKU = "KZ-FLOUR-001"
ALIYA_NAME = "Қазақстанның бидай ұны"
DANA_DESCRIPTION = "%(qty)s қап алсаңыз, жеткізу тегін <b>жеңілдік</b>"


@pytest.fixture
def translators(app: Flask, tokens: Tokens) -> Tokens:
    """Two translators of Kazakh: aliya (the suite's translator_kk) and dana."""
    with app.app_context():
        session = get_session()
        _, token = add_user(session, "dana", Role.TRANSLATOR, ["kk"])
        session.commit()
    return Tokens({**tokens, "aliya": tokens["translator_kk"], "dana": token})


def export(client: FlaskClient, tokens: Tokens, who: str, fmt: str = "po") -> str:
    response = client.get(f"/api/v1/translations/export?locale=kk&format={fmt}", headers=tokens.headers(who))
    assert response.status_code == 200, response.json
    return response.get_data(as_text=True)


def send(
    client: FlaskClient, tokens: Tokens, who: str, data: str, content_type: str = PO, query: str = ""
) -> TestResponse:
    return client.post(
        f"/api/v1/translations/import?locale=kk{query}",
        data=data.encode(),
        headers=tokens.headers(who, **{"Content-Type": content_type}),
    )


def po_with(text: str, changes: t.Mapping[str, str]) -> str:
    """The exported PO with some msgstr changed, as a PO editor saves it."""
    catalog = polib.pofile(text)
    for entry in catalog:
        field = entry.msgctxt.partition("|")[2]
        if field in changes:
            entry.msgstr = changes[field]
    return str(catalog)


def xliff_with(text: str, changes: t.Mapping[str, str]) -> str:
    """The exported XLIFF with some targets changed and marked translated."""
    # ElementTree's prefixes are global to the process: register them for this call only
    saved = dict(ET._namespace_map)  # type: ignore[attr-defined]
    ET.register_namespace("", NS["x"])
    ET.register_namespace("mda", "urn:oasis:names:tc:xliff:metadata:2.0")
    try:
        return _changed(ET.fromstring(text), changes)
    finally:
        ET._namespace_map.clear()  # type: ignore[attr-defined]
        ET._namespace_map.update(saved)  # type: ignore[attr-defined]


def _changed(root: ET.Element, changes: t.Mapping[str, str]) -> str:
    for segment in root.iter(f"{{{NS['x']}}}segment"):
        if segment.get("id") in changes:
            target = segment.find("x:target", NS)
            if target is None:
                target = ET.SubElement(segment, f"{{{NS['x']}}}target")
            target.text = changes[segment.get("id", "")]
            segment.set("state", "translated")
    return ET.tostring(root, encoding="unicode")


def kk_text(client: FlaskClient, tokens: Tokens, product_id: int) -> dict[str, t.Any]:
    response = client.get(f"/api/v1/products/{product_id}/content/kk", headers=tokens.headers("editor"))
    return t.cast(dict[str, t.Any], response.json["text"])


def history(client: FlaskClient, tokens: Tokens, product_id: int) -> list[tuple[str, str]]:
    response = client.get(
        f"/api/v1/products/{product_id}/content/kk/history", headers=tokens.headers("editor")
    )
    return [(item["author"], item["name"]) for item in response.json["items"]]


def translated(client: FlaskClient, tokens: Tokens) -> int:
    """A product with a complete Kazakh text, imported by aliya (revision 1)."""
    made = create(client, tokens, content=SOURCE)
    response = send(client, tokens, "aliya", po_with(export(client, tokens, "aliya"), KK))
    assert response.status_code == 200, response.json
    return t.cast(int, made["id"])


@pytest.mark.parametrize("fmt", ["po", "xliff"])
def test_an_import_made_before_anothers_edit_is_refused_with_every_conflict(
    client: FlaskClient, translators: Tokens, fmt: str
) -> None:
    product_id = translated(client, translators)
    dana_file = export(client, translators, "dana", fmt)  # revision 1
    edited = put_text(client, translators, product_id, role="aliya", name=ALIYA_NAME,
                      description=KK["description"], highlights=[KK["highlights.0"], KK["highlights.1"]])  # fmt: skip
    assert edited.status_code == 200, edited.json
    before = kk_text(client, translators, product_id)
    changes = {"description": DANA_DESCRIPTION}
    data = po_with(dana_file, changes) if fmt == "po" else xliff_with(dana_file, changes)
    response = send(client, translators, "dana", data, PO if fmt == "po" else XLIFF)
    assert response.status_code == 409, response.json
    assert response.mimetype == "application/problem+json"
    assert "?on_conflict=skip" in response.json["detail"]
    assert response.json["conflicts"] == [
        {
            "sku": SKU, "product_id": product_id, "field": "name", "base_revision": 1,
            "current_revision": 2, "base": KK["name"], "current": ALIYA_NAME, "incoming": KK["name"],
        }
    ]  # fmt: skip
    assert response.json["report"]["updated"] == 0
    assert kk_text(client, translators, product_id) == before
    assert history(client, translators, product_id)[0] == ("translator_kk", ALIYA_NAME)


def test_skipping_conflicts_applies_the_rest_and_keeps_the_other_translators_text(
    client: FlaskClient, translators: Tokens
) -> None:
    product_id = translated(client, translators)
    aliya_file = export(client, translators, "aliya")
    dana_file = export(client, translators, "dana")
    first = send(client, translators, "aliya", po_with(aliya_file, {"name": ALIYA_NAME}))
    assert first.status_code == 200, first.json
    assert first.json["conflicts"] == []
    second = send(
        client,
        translators,
        "dana",
        po_with(dana_file, {"description": DANA_DESCRIPTION}),
        query="&on_conflict=skip",
    )
    assert second.status_code == 200, second.json
    assert second.json["updated"] == 1
    assert [(c["field"], c["base"], c["current"], c["incoming"]) for c in second.json["conflicts"]] == [
        ("name", KK["name"], ALIYA_NAME, KK["name"])
    ]
    text = kk_text(client, translators, product_id)
    assert (text["name"], text["description"]) == (ALIYA_NAME, DANA_DESCRIPTION)
    authors = [author for author, _ in history(client, translators, product_id)]
    assert authors == ["dana", "translator_kk", "translator_kk"]


def test_interleaved_exports_of_different_texts_both_land(client: FlaskClient, translators: Tokens) -> None:
    product_id = translated(client, translators)
    aliya_file = export(client, translators, "aliya")
    dana_file = export(client, translators, "dana")
    first = send(client, translators, "aliya", po_with(aliya_file, {"highlights.1": "Бір жыл сақталады"}))
    assert first.status_code == 200, first.json
    # dana's file still shows aliya's old highlight: that entry is a conflict, and refused by default
    refused = send(client, translators, "dana", po_with(dana_file, {"highlights.0": "Жоғары сорт"}))
    assert refused.status_code == 409
    assert [c["field"] for c in refused.json["conflicts"]] == ["highlights.1"]
    # exported again, after aliya's import, dana's change goes in with no conflict
    again = send(
        client,
        translators,
        "dana",
        po_with(export(client, translators, "dana"), {"highlights.0": "Жоғары сорт"}),
    )
    assert again.status_code == 200, again.json
    assert again.json["conflicts"] == []
    assert kk_text(client, translators, product_id)["highlights"] == ["Жоғары сорт", "Бір жыл сақталады"]


def test_the_same_text_sent_by_both_is_no_conflict(client: FlaskClient, translators: Tokens) -> None:
    product_id = translated(client, translators)
    aliya_file = export(client, translators, "aliya")
    dana_file = export(client, translators, "dana")
    assert send(client, translators, "aliya", po_with(aliya_file, {"name": ALIYA_NAME})).status_code == 200
    both = send(client, translators, "dana", po_with(dana_file, {"name": ALIYA_NAME}))
    assert both.status_code == 200, both.json
    assert (both.json["conflicts"], both.json["unchanged"]) == ([], 1)
    assert kk_text(client, translators, product_id)["name"] == ALIYA_NAME


def test_a_first_translation_made_meanwhile_is_not_overwritten(
    client: FlaskClient, translators: Tokens
) -> None:
    made = create(client, translators, content=SOURCE)
    dana_file = export(client, translators, "dana")  # no Kazakh text yet: revision 0
    assert (
        send(client, translators, "aliya", po_with(export(client, translators, "aliya"), KK)).status_code
        == 200
    )
    response = send(client, translators, "dana", po_with(dana_file, {**KK, "name": "Басқа атау"}))
    assert response.status_code == 409
    name = next(c for c in response.json["conflicts"] if c["field"] == "name")
    assert (name["base_revision"], name["base"], name["current"]) == (0, "", KK["name"])
    assert kk_text(client, translators, made["id"])["name"] == KK["name"]


def test_a_file_that_names_no_revision_never_overwrites_a_different_text(
    client: FlaskClient, translators: Tokens
) -> None:
    product_id = translated(client, translators)
    stripped = "\n".join(
        line
        for line in export(client, translators, "dana").splitlines()
        if not line.startswith("#. revision:")
    )
    response = send(client, translators, "dana", po_with(stripped, {"name": "Басқа атау"}))
    assert response.status_code == 409
    assert [(c["field"], c["base_revision"], c["base"]) for c in response.json["conflicts"]] == [
        ("name", None, None)
    ]
    assert kk_text(client, translators, product_id)["name"] == KK["name"]
