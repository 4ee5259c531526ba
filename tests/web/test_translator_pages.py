"""The translators' workspace through the test client: queue, editor, conflicts, review."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import ProductContent
from catalog.models import Role
from tests.web.conftest import add_product
from tests.web.conftest import add_staff
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in


def _etag(html: str) -> str:
    found = re.search(r'name="etag" value="([^"]+)"', html)
    assert found
    return found.group(1).replace("&#34;", '"')


def test_translator_works_through_the_queue(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app)
    add_staff(app, "dana", Role.TRANSLATOR, locales=["kk"])
    response = sign_in(client, "dana")
    assert response.headers["Location"] == "/translate"
    queue = client.get("/translate").get_data(as_text=True)
    assert "KZ-FLOUR-001" in queue and 'id="progress-kk"' in queue
    assert 'class="state state-missing"' in queue
    editor_url = f"/translate/{product_id}/kk"
    page = client.get(editor_url).get_data(as_text=True)
    assert "哈萨克斯坦面粉" in page  # the source text beside the form
    form = {
        "csrf_token": csrf_token(page),
        "etag": _etag(page),
        "name": "Қазақстан ұны",
        "description": "Күшті бидай ұны, нанға қолайлы.",
        "highlights": "Бірінші сорт",
    }
    saved = client.post(editor_url, data={**form, "then": "stay"})
    assert saved.status_code == 302
    page = client.get(editor_url).get_data(as_text=True)
    assert 'class="state state-draft"' in page and "Қазақстан ұны" in page
    stale = client.post(editor_url, data={**form, "name": "Басқа атау"})
    assert stale.status_code == 412
    html = stale.get_data(as_text=True)
    assert "Someone saved this product after you opened it." in html
    assert 'value="Басқа атау"' in html  # the translator's text is kept
    assert client.get(f"/translate/{product_id}/ru").status_code == 403


def test_translation_problems_are_shown_next_to_the_field(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app)
    add_staff(app, "dana", Role.TRANSLATOR, locales=["kk"])
    sign_in(client, "dana")
    page = client.get(f"/translate/{product_id}/kk").get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page),
        "etag": _etag(page),
        "name": "",
        "description": "",
        "highlights": "",
    }
    refused = client.post(f"/translate/{product_id}/kk", data=form)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert re.search(r'id="name-error"[^>]*>Give the name; a text without a name cannot be saved.<', html)
    too_long = client.post(f"/translate/{product_id}/kk", data={**form, "name": "ұ" * 300})
    assert too_long.status_code == 422
    assert re.search(r'id="name-error"[^>]*>[^<]*300 characters long', too_long.get_data(as_text=True))


def test_another_person_reviews_a_draft(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app)
    add_staff(app, "dana", Role.TRANSLATOR, locales=["kk"])
    add_staff(app, "olga", Role.EDITOR)
    sign_in(client, "dana")
    page = client.get(f"/translate/{product_id}/kk").get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page),
        "etag": _etag(page),
        "name": "Ұн",
        "description": "Ұн.",
        "highlights": "Сорт",
    }
    assert client.post(f"/translate/{product_id}/kk", data=form).status_code == 302
    editor = client.application.test_client()
    sign_in(editor, "olga")
    page = editor.get(f"/translate/{product_id}/kk").get_data(as_text=True)
    review_form = re.search(r'action="/translate/\d+/kk/review">.*?name="etag" value="([^"]+)"', page, re.S)
    assert review_form
    data = {"csrf_token": csrf_token(page), "etag": review_form.group(1).replace("&#34;", '"')}
    reviewed = editor.post(f"/translate/{product_id}/kk/review", data=data)
    assert reviewed.status_code == 302
    assert 'class="state state-reviewed"' in editor.get(f"/translate/{product_id}/kk").get_data(as_text=True)


def test_highlights_split_only_at_the_line_breaks_a_browser_sends(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app)
    add_staff(app, "dana", Role.TRANSLATOR, locales=["kk"])
    sign_in(client, "dana")
    editor_url = f"/translate/{product_id}/kk"
    page = client.get(editor_url).get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page),
        "etag": _etag(page),
        "name": "Ұн",
        "description": "",
        "highlights": "Бірінші\u2028сорт\r\nЕкінші\u2029жол",
    }
    assert client.post(editor_url, data={**form, "then": "stay"}).status_code == 302
    with app.app_context():
        text = get_session().scalars(sa.select(ProductContent).where(ProductContent.locale == "kk")).one()
        assert text.highlights == ["Бірінші\u2028сорт", "Екінші\u2029жол"]


def test_a_control_character_is_shown_next_to_the_field(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app)
    add_staff(app, "dana", Role.TRANSLATOR, locales=["kk"])
    sign_in(client, "dana")
    page = client.get(f"/translate/{product_id}/kk").get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page),
        "etag": _etag(page),
        "name": "Ұн\x1b",
        "description": "",
        "highlights": "",
    }
    refused = client.post(f"/translate/{product_id}/kk", data=form)
    assert refused.status_code == 422
    assert re.search(r'id="name-error"[^>]*>[^<]*U\+001B', refused.get_data(as_text=True))
