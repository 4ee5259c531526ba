"""The API root, ``/healthz`` and the OpenAPI document."""

from __future__ import annotations

from flask.testing import FlaskClient
from openapi_spec_validator import validate

from tests.conftest import Tokens


def test_openapi_document_is_valid_3_1(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"] == "3.1.0"
    validate(document)
    for path in (
        "/api/v1/products",
        "/api/v1/products/{product_id}",
        "/api/v1/rates/{currency}",
        "/api/v1/search",
        "/api/v1/search/suggest",
        "/api/v1/categories",
    ):
        assert path in document["paths"], path
    create = document["paths"]["/api/v1/products"]["post"]
    assert create["security"] == [{"bearer": []}]
    assert {"201", "401", "403", "409", "413", "415", "422"} <= set(create["responses"])
    schema = document["components"]["schemas"]["ProductCreate"]
    assert schema["additionalProperties"] is False
    assert "sku" in schema["required"]


def test_healthz_reports_database_and_search(client: FlaskClient, tokens: Tokens) -> None:
    assert client.get("/healthz").json == {"status": "ok"}  # details are for staff
    response = client.get("/healthz", headers=tokens.headers("admin"))
    assert response.status_code == 200
    body = response.json
    assert body["database"]["ok"] is True
    assert body["database"]["backend"] in ("sqlite", "postgresql")
    assert body["search"]["ok"] is True
    assert body["status"] == "ok"


def test_api_root_lists_its_links(client: FlaskClient) -> None:
    links = client.get("/api/v1").json["links"]
    for link in links.values():
        assert link.startswith("/")
    assert client.get(links["openapi"]).status_code == 200
