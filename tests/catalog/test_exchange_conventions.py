"""Conventions clients rely on: the answer's language, problem types that resolve, a complete document."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.catalog.payloads import product
from tests.conftest import Tokens


@pytest.mark.parametrize(
    ("path", "headers", "language"),
    [
        ("/api/v1/products/{id}", {"Accept-Language": "ru-RU,ru;q=0.9"}, "ru"),
        ("/api/v1/products/{id}?locale=kk-Latn", {"Accept-Language": "ru"}, "kk-Latn"),
        ("/api/v1/products?limit=1", {"Accept-Language": "kk"}, "kk"),
        ("/api/v1/search?q=flour", {"Accept-Language": "en"}, "en"),
        ("/api/v1/streams", {"Accept-Language": "zh-CN"}, "zh-Hans"),
        ("/", {"Accept-Language": "kk"}, "kk"),
        ("/products/{id}", {"Accept-Language": "ru"}, "ru"),
    ],
)
def test_negotiated_answers_name_their_language_and_vary_by_it(
    client: FlaskClient, tokens: Tokens, path: str, headers: dict[str, str], language: str
) -> None:
    made = client.post("/api/v1/products", json=product(), headers=tokens.headers("editor"))
    response = client.get(path.format(id=made.json["id"]), headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    assert "Accept-Language" in response.vary


def test_an_answer_in_every_language_at_once_names_none(client: FlaskClient) -> None:
    response = client.get("/api/v1/rates", headers={"Accept-Language": "ru"})
    assert "Content-Language" not in response.headers


def test_every_problem_type_resolves_to_a_page_describing_it(client: FlaskClient, tokens: Tokens) -> None:
    problems = [
        client.get("/api/v1/products/999"),
        client.post("/api/v1/products", json=product()),
        client.post("/api/v1/products", json={}, headers=tokens.headers("editor")),
        client.post("/api/v1/products", json=product(), headers=tokens.headers("host")),
    ]
    kinds = {response.json["type"] for response in problems}
    assert len(kinds) == 4
    for kind in kinds:
        page = client.get(kind)
        assert page.status_code == 200, kind
        assert page.mimetype == "text/html"
        assert kind in page.get_data(as_text=True)
    from catalog.api.problems import WHAT_TO_DO
    from catalog.api.problems import problem_kinds

    for slug, kind_class in problem_kinds().items():
        page = client.get(f"/problems/{slug}")
        assert page.status_code == 200
        assert f"HTTP status {kind_class.status}" in page.get_data(as_text=True)
        assert WHAT_TO_DO[slug].split(" ")[0] in page.get_data(as_text=True), slug
    assert client.get("/problems/no-such-thing").status_code == 404


@pytest.fixture
def document(app: Flask) -> dict[str, t.Any]:
    return t.cast(dict[str, t.Any], app.test_client().get("/api/v1/openapi.json").json)


def test_the_document_describes_raw_imports_export_media_types_and_accept_language(
    document: dict[str, t.Any],
) -> None:
    body = document["paths"]["/api/v1/translations/import"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "text/x-gettext-translation", "application/x-xliff+xml"} <= set(body)
    answer = document["paths"]["/api/v1/translations/export"]["get"]["responses"]["200"]["content"]
    assert "*/*" not in answer
    assert {kind.split(";")[0] for kind in answer} == {
        "text/x-gettext-translation",
        "application/x-xliff+xml",
        "application/zip",
    }
    read = document["paths"]["/api/v1/products/{product_id}"]["get"]
    assert any(p["name"] == "Accept-Language" and p["in"] == "header" for p in read["parameters"])
    assert "Content-Language" in read["responses"]["200"]["headers"]
    export = document["paths"]["/api/v1/translations/export"]["get"]
    assert not any(p["name"] == "Accept-Language" for p in export["parameters"])
