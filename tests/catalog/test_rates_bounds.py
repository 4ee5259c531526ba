"""Exchange rates beyond any real currency are refused with a 422, never stored or a server error."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import Tokens


@pytest.mark.parametrize("per_cny", ["839775020808", "1000000000"])
def test_a_rate_too_large_to_be_real_is_422(client: FlaskClient, tokens: Tokens, per_cny: str) -> None:
    headers = tokens.headers("admin", **{"If-Match": "*"})
    response = client.put("/api/v1/rates/KZT", json={"per_cny": per_cny}, headers=headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["per_cny"]
    assert client.get("/api/v1/rates/KZT").status_code == 404


def test_a_large_real_rate_is_kept(client: FlaskClient, tokens: Tokens) -> None:
    response = client.put("/api/v1/rates/IRR", json={"per_cny": "5900"}, headers=tokens.headers("admin"))
    assert response.status_code == 201
