"""What fuzzing the API found, each kept as a regression test: bad input is a 4xx, the document tells all."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.catalog.test_streams_helpers import STREAM
from tests.catalog.test_streams_helpers import add_product
from tests.catalog.test_streams_helpers import put_lineup
from tests.catalog.test_streams_helpers import schedule
from tests.conftest import Tokens

NOT_A_LIST_OF_CODES: list[t.Any] = [None, 5, True, [{}], [[1]], "ru"]


@pytest.mark.parametrize("value", NOT_A_LIST_OF_CODES, ids=repr)
@pytest.mark.parametrize("field", ["locales", "currencies"])
def test_a_stream_with_locales_or_currencies_of_the_wrong_type_is_a_422(
    client: FlaskClient, tokens: Tokens, field: str, value: t.Any
) -> None:
    response = client.post("/api/v1/streams", json={**STREAM, field: value}, headers=tokens.headers("host"))
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert any(error["field"].split(".")[0] == field for error in response.json["errors"])


def test_a_lineup_with_items_null_beside_product_ids_takes_the_ids(
    client: FlaskClient, tokens: Tokens
) -> None:
    product_id = add_product(client, tokens, "KZ-TEA-001")
    stream_id = schedule(client, tokens).json["id"]
    response = put_lineup(client, tokens, stream_id, {"items": None, "product_ids": [product_id]})
    assert response.status_code == 200, response.json
    assert [item["product_id"] for item in response.json["lineup"]] == [product_id]
    neither = put_lineup(client, tokens, stream_id, {"items": None, "product_ids": None})
    assert neither.status_code == 422
    assert neither.json["errors"][0]["message"] == "Send either product_ids or items (not both)."


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/products/2147483648/images"),
        ("DELETE", "/api/v1/products/1/images/0"),
        ("PUT", "/api/v1/streams/0/lineup"),
    ],
)
def test_an_id_out_of_range_is_not_found_whatever_the_method(
    client: FlaskClient, method: str, path: str
) -> None:
    response = client.open(path, method=method)
    assert response.status_code == 404, response.json
    assert "Allow" not in response.headers


def test_a_method_a_path_does_not_take_is_still_405(client: FlaskClient) -> None:
    response = client.delete("/api/v1/rates")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}


@pytest.fixture
def document(app: Flask) -> dict[str, t.Any]:
    return t.cast(dict[str, t.Any], app.test_client().get("/api/v1/openapi.json").json)


def test_every_operation_with_a_query_documents_its_422(document: dict[str, t.Any]) -> None:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "422" in operation["responses"], f"{method.upper()} {path}"


def test_replacing_a_rate_documents_if_match(document: dict[str, t.Any]) -> None:
    put = document["paths"]["/api/v1/rates/{currency}"]["put"]
    assert {"412", "428"} <= set(put["responses"])
    assert any(p["name"] == "If-Match" for p in put["parameters"])


def test_pushed_events_are_documented_as_objects(document: dict[str, t.Any]) -> None:
    content = document["paths"]["/api/v1/streams/{stream_id}/events"]["get"]["responses"]["200"]["content"]
    schema = content["text/event-stream"]["schema"]
    assert schema["type"] == "object"
    assert set(schema["properties"]["event"]["enum"]) == {"status", "lineup", "card", "readiness", "requests"}
    assert schema["properties"]["data"]["contentMediaType"] == "application/json"


def test_links_lead_from_what_is_created_to_every_operation_on_it(document: dict[str, t.Any]) -> None:
    linked = {
        link["operationId"]
        for methods in document["paths"].values()
        for operation in methods.values()
        for response in operation["responses"].values()
        for link in response.get("links", {}).values()
    }
    ids = {op["operationId"] for methods in document["paths"].values() for op in methods.values()}
    assert linked <= ids
    # every operation on a product, a stream, an image, a run-sheet item or a webhook
    on_something = {
        op["operationId"]
        for path, methods in document["paths"].items()
        for op in methods.values()
        if any(name in path for name in ("{product_id}", "{stream_id}", "{webhook_id}"))
    }
    assert on_something, "the document has no operation on a created resource"
    assert on_something - linked == set()
    post_product = document["paths"]["/api/v1/products"]["post"]["responses"]["201"]["links"]
    for target in (
        "post_api_v1_products_int_product_id_images",
        "put_api_v1_products_int_product_id_images_order",
        "post_api_v1_products_int_product_id_content_locale_review",
    ):
        assert post_product[target]["parameters"]["product_id"] == "$response.body#/id"
