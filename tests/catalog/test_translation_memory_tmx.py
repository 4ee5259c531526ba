"""The memory exported as TMX 1.4b through HTTP: reviewed fields only, any text, bad requests."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import ProductContent
from tests.catalog.test_translation_memory_api import _honey
from tests.catalog.test_translations_api import add_translator
from tests.catalog.test_translations_api import create
from tests.catalog.test_translations_api import put_text
from tests.conftest import Tokens
from tests.translations.test_exchange_tmx import parse_valid
from tests.translations.test_exchange_tmx import segments

URL = "/api/v1/translations/memory.tmx"
ODD_NAME = 'Бал <b>«Алтай»</b> & "сот" 🍯 \u200fمرحبا\u200e e\u0301'


def _reviewed(app: Flask, client: FlaskClient, tokens: Tokens, product_id: int, name: str) -> None:
    text = {"name": name, "description": "Тау балы.", "highlights": ["Қантсыз"]}
    assert put_text(client, tokens, product_id, **text).status_code == 200
    reviewer = add_translator(app, f"reviewer-{product_id}", "kk")
    url = f"/api/v1/products/{product_id}/content/kk/review"
    assert client.post(url, headers={"Authorization": f"Bearer {reviewer}"}).status_code == 200


def test_the_memory_of_a_pair_is_valid_tmx_with_every_reviewed_field(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    odd = _honey(client, tokens, "TMX-ODD", 'Мёд <b>«Алтай»</b> & "сот"')
    legacy = _honey(client, tokens, "TMX-LEGACY", "Мёд степной")
    draft = _honey(client, tokens, "TMX-DRAFT", "Мёд липовый")
    from_chinese = create(client, tokens, sku="TMX-ZH", barcode=None)["id"]
    _reviewed(app, client, tokens, odd, ODD_NAME)
    _reviewed(app, client, tokens, legacy, "Дала балы")
    _reviewed(app, client, tokens, from_chinese, "Қазақстан ұны")
    assert put_text(client, tokens, draft, name="Жөке балы").status_code == 200
    with app.app_context():  # text stored before control characters were refused
        session = get_session()
        session.execute(
            sa.update(ProductContent)
            .where(ProductContent.product_id == legacy, ProductContent.locale == "kk")
            .values(name="Дала\x0b балы")
        )
        session.commit()

    response = client.get(f"{URL}?source=ru&target=kk", headers=tokens.headers("translator_kk"))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/x-tmx+xml"
    assert response.headers["Content-Disposition"] == 'attachment; filename="memory-ru-kk.tmx"'
    assert response.data.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    )
    root = parse_valid(response.data)
    assert root.find("header").get("srclang") == "ru"
    units = {tuid: (source, target) for tuid, source, target in segments(root)}
    assert units == {
        "TMX-ODD/name": ('Мёд <b>«Алтай»</b> & "сот"', ODD_NAME),
        "TMX-ODD/description": ("Горный мёд с пасеки.", "Тау балы."),
        "TMX-LEGACY/name": ("Мёд степной", "Дала балы"),
        "TMX-LEGACY/description": ("Горный мёд с пасеки.", "Тау балы."),
    }
    notes = {tu.get("tuid"): tu.findtext("note") for tu in root.iter("tu") if tu.find("note") is not None}
    assert list(notes) == ["TMX-LEGACY/name"] and "U+000B" in notes["TMX-LEGACY/name"]
    assert b"&lt;b&gt;" in response.data and b"&amp;" in response.data

    chinese = parse_valid(client.get(f"{URL}?source=zh&target=kk", headers=tokens.headers("editor")).data)
    assert [tuid for tuid, _, _ in segments(chinese)] == [
        "TMX-ZH/name",
        "TMX-ZH/description",
        "TMX-ZH/highlights.0",
    ]
    empty = parse_valid(client.get(f"{URL}?source=en&target=kk", headers=tokens.headers("editor")).data)
    assert segments(empty) == []


def test_bad_memory_requests_are_problems(client: FlaskClient, tokens: Tokens) -> None:
    for query, field in (
        ("source=ru&target=ru", "target"),
        ("source=xx&target=kk", "source"),
        ("source=ru", "target"),
        ("source=ru&target=kk-Latn", "target"),
    ):
        response = client.get(f"{URL}?{query}", headers=tokens.headers("editor"))
        assert response.status_code == 422, (query, response.json)
        assert response.json["errors"][0]["field"] == field
    other_language = client.get(f"{URL}?source=ru&target=kk", headers=tokens.headers("translator_ru"))
    assert other_language.status_code == 403
    assert client.get(f"{URL}?source=ru&target=kk").status_code == 401
