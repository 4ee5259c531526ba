"""Odd input that used to answer 500 now gets a clear 4xx (or a safe redirect)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.models import Role
from tests.catalog.test_streams_helpers import schedule
from tests.conftest import Tokens
from tests.web.conftest import add_product
from tests.web.conftest import add_staff
from tests.web.conftest import sign_in
from tests.web.live import make_show


@pytest.mark.parametrize(
    "target", ["/%0d%0aSet-Cookie:x=1", "/%0aLocation:%20http://evil.example", "/products%09/1", "/%7f"]
)
def test_a_next_address_with_control_characters_goes_home(client: FlaskClient, target: str) -> None:
    response = client.get(f"/locale/ru?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "x=1" not in str(response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("value", ["-99999999999999999999", "99999999999999999999", "-1"])
def test_an_absurd_last_event_id_is_a_400(client: FlaskClient, tokens: Tokens, value: str) -> None:
    stream = schedule(client, tokens)
    response = client.get(f"/api/v1/streams/{stream.json['id']}/events?last_event_id={value}")  # type: ignore[index]
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("after", ["99999999999999999999", "-99999999999999999999"])
def test_an_absurd_page_position_is_a_400(client: FlaskClient, editor: str, after: str) -> None:
    sign_in(client, editor)
    assert client.get(f"/staff/products?after={after}").status_code == 400


@pytest.mark.parametrize("ids", [["a"], ["a", 1], [True], [None], "1,2"])
def test_the_console_order_refuses_ids_that_are_not_numbers(
    app: Flask, client: FlaskClient, ids: object
) -> None:
    add_product(app)
    add_staff(app, "aigerim", Role.HOST)
    stream_id = make_show(app, products=1, live=False)
    sign_in(client, "aigerim")
    page = client.get(f"/host/streams/{stream_id}").get_data(as_text=True)
    found = re.search(r'data-csrf="([^"]+)"', page)
    assert found
    response = client.post(
        f"/host/streams/{stream_id}/order",
        json={"item_ids": ids, "version": 2},
        headers={"X-CSRFToken": found.group(1)},
    )
    assert response.status_code == 422, response.status_code
    assert response.mimetype == "application/problem+json"
