"""Editors keep search synonyms and query rules on a staff page; bad input is shown on the page."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.models import Role
from tests.web.conftest import add_product
from tests.web.conftest import add_staff
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in
from translations.locales import READING_LOCALES

URL = "/staff/search"


@pytest.fixture
def signed_in(app: Flask, client: FlaskClient) -> FlaskClient:
    add_staff(app, "aigerim", Role.EDITOR)
    assert sign_in(client, "aigerim").status_code in (302, 303)
    return client


def _token(client: FlaskClient) -> str:
    return csrf_token(client.get(URL).get_data(as_text=True))


def _found(client: FlaskClient, q: str) -> list[int]:
    return [
        item["id"]
        for item in client.get("/api/v1/search", query_string={"q": q, "locale": "kk"}).json["items"]
    ]


def test_an_editor_adds_and_removes_a_synonym_and_search_follows(app: Flask, signed_in: FlaskClient) -> None:
    wine = add_product(
        app,
        sku="GE-WINE-001",
        barcode=None,
        content={"ru": {"name": "Вино Саперави"}, "zh": {"name": "萨佩拉维"}},
    )
    assert _found(signed_in, "шарап") == []
    data = {
        "csrf_token": _token(signed_in),
        "locale": "kk",
        "term": "шарап",
        "synonyms": "вино, wine",
        "two_way": "on",
    }
    assert signed_in.post(f"{URL}/synonyms", data=data).status_code in (302, 303)
    page = signed_in.get(URL).get_data(as_text=True)
    assert "The synonyms are saved." in page and "<td>шарап</td>" in page and "⇄ вино, wine" in page
    assert _found(signed_in, "шарап") == [wine]
    action = re.search(r'action="(/staff/search/synonyms/\d+/delete)"', page)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert action and version
    removed = signed_in.post(
        action.group(1), data={"csrf_token": _token(signed_in), "version": version.group(1)}
    )
    assert removed.status_code in (302, 303)
    assert "<td>шарап</td>" not in signed_in.get(URL).get_data(as_text=True)
    assert _found(signed_in, "шарап") == []


def test_a_rule_with_a_draft_product_or_a_backward_window_is_shown_not_saved(
    app: Flask, signed_in: FlaskClient
) -> None:
    draft = add_product(app, sku="KZ-DRAFT-001", barcode=None, status="draft")
    data = {
        "csrf_token": _token(signed_in),
        "target": "query",
        "text": "мёд",
        "pins": f"{draft}@1",
        "starts_at": "2026-12-02T21:00",
        "ends_at": "2026-12-02T19:00",
    }
    response = signed_in.post(f"{URL}/rules", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Product {draft} is draft" in page
    assert "The window ends before it starts" in page
    assert 'value="мёд"' in page  # what was typed is kept
    assert signed_in.get("/api/v1/search/rules", headers={}).status_code == 401
    assert "None yet." in signed_in.get(URL).get_data(as_text=True)


def test_a_rule_for_a_show_is_added_in_the_studios_time(app: Flask, signed_in: FlaskClient) -> None:
    honey = add_product(
        app, sku="KZ-HONEY-001", barcode=None, content={"ru": {"name": "Мёд"}, "zh": {"name": "蜂蜜"}}
    )
    data = {
        "csrf_token": _token(signed_in),
        "target": "query",
        "text": "Мёд",
        "pins": f"{honey}@1",
        "starts_at": "2026-12-02T19:00",
        "ends_at": "2026-12-02T23:00",
    }
    assert signed_in.post(f"{URL}/rules", data=data).status_code in (302, 303)
    page = signed_in.get(URL).get_data(as_text=True)
    assert f"{honey}@1" in page and "2026-12-02T13:00:00+00:00" in page  # 19:00 in Urumqi (UTC+6)


def test_the_page_speaks_every_ui_locale(signed_in: FlaskClient) -> None:
    untranslated = []
    for locale in (code for code in READING_LOCALES if code != "en"):
        page = signed_in.get(URL, query_string={"locale": locale})
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        english = ("Synonyms and rules", "Add the synonyms", "Add the rule", "Boosted booths", "None yet.")
        untranslated += [f"{locale}: {phrase}" for phrase in english if phrase in text]
    assert untranslated == []
