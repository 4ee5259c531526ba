"""A translator reaches only their own locales: the export and the review form refuse the others."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from catalog.models import Role
from tests.conftest import Tokens
from tests.web.conftest import add_product
from tests.web.conftest import add_staff
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in


def test_a_kk_translator_cannot_export_ru(client: FlaskClient, tokens: Tokens) -> None:
    refused = client.get(
        "/api/v1/translations/export?locale=ru&format=po", headers=tokens.headers("translator_kk")
    )
    assert refused.status_code == 403, refused.status_code
    assert refused.mimetype == "application/problem+json"
    mine = client.get(
        "/api/v1/translations/export?locale=kk&format=po", headers=tokens.headers("translator_kk")
    )
    assert mine.status_code == 200
    assert (
        client.get(
            "/api/v1/translations/export?locale=ru&format=po", headers=tokens.headers("editor")
        ).status_code
        == 200
    )


def test_a_stale_review_of_another_locale_shows_no_editor(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app)
    add_staff(app, "dana", Role.TRANSLATOR, locales=["kk"])
    sign_in(client, "dana")
    token = csrf_token(client.get(f"/translate/{product_id}/kk").get_data(as_text=True))
    answer = client.post(f"/translate/{product_id}/ru/review", data={"csrf_token": token, "etag": '"stale"'})
    assert answer.status_code == 403
    page = answer.get_data(as_text=True)
    assert 'name="name"' not in page and "Мука пшеничная" not in page
