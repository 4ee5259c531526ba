"""A stream's host, its co-hosts and admins control it; any other host only reads it.

Every control (title, run-sheet, start, cursor, end) is tried by a second host through the API
and through the host console, and refused with 403, leaving the stream as it was.
"""

from __future__ import annotations

import re
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import Role
from catalog.services.users import add_user
from tests.catalog.test_streams_helpers import add_product
from tests.catalog.test_streams_helpers import schedule
from tests.conftest import Tokens


@pytest.fixture
def second_host(app: Flask, tokens: Tokens) -> str:
    with app.app_context():
        session = get_session()
        _user, token = add_user(session, "bolat", Role.HOST)
        session.commit()
    tokens["bolat"] = token
    return "bolat"


def _etag(client: FlaskClient, stream_id: int) -> str:
    return client.get(f"/api/v1/streams/{stream_id}").headers["ETag"]


def _controls(
    client: FlaskClient, tokens: Tokens, who: str, stream_id: int, product_id: int
) -> dict[str, int]:
    """Status of each control of *stream_id* tried by *who*."""
    out: dict[str, int] = {}

    def send(name: str, method: str, path: str, body: t.Any = None, if_match: bool = False) -> None:
        headers = tokens.headers(who, **({"If-Match": _etag(client, stream_id)} if if_match else {}))
        out[name] = client.open(path, method=method, json=body, headers=headers).status_code

    base = f"/api/v1/streams/{stream_id}"
    send("title", "PATCH", base, {"title": "Taken over"}, if_match=True)
    send("lineup", "PUT", f"{base}/lineup", {"product_ids": [product_id]}, if_match=True)
    send("start", "POST", f"{base}/start?force=true")
    send("cursor", "POST", f"{base}/cursor", {"action": "next"})
    send("end", "POST", f"{base}/end")
    return out


def test_another_host_reads_but_does_not_control(
    client: FlaskClient, tokens: Tokens, second_host: str
) -> None:
    product_id = add_product(client, tokens, "OWN-001")
    stream_id = schedule(client, tokens).json["id"]
    before = client.get(f"/api/v1/streams/{stream_id}").json
    refused = _controls(client, tokens, second_host, stream_id, product_id)
    assert refused == dict.fromkeys(refused, 403), refused
    after = client.get(f"/api/v1/streams/{stream_id}", headers=tokens.headers(second_host))
    assert after.status_code == 200
    assert after.json == before
    problem = client.post(f"/api/v1/streams/{stream_id}/end", headers=tokens.headers(second_host)).json
    assert problem is not None and "co-host" in problem["detail"]


@pytest.mark.parametrize("who", ["host", "admin"])
def test_the_host_and_admins_control(client: FlaskClient, tokens: Tokens, who: str) -> None:
    product_id = add_product(client, tokens, "OWN-002")
    stream_id = schedule(client, tokens).json["id"]
    done = _controls(client, tokens, who, stream_id, product_id)
    assert done == dict.fromkeys(done, 200), done


def test_co_hosts_are_added_by_the_host_or_an_admin(
    client: FlaskClient, tokens: Tokens, second_host: str
) -> None:
    product_id = add_product(client, tokens, "OWN-003")
    stream_id = schedule(client, tokens).json["id"]
    path = f"/api/v1/streams/{stream_id}/hosts"
    by_other = client.put(
        path,
        json={"co_hosts": [second_host]},
        headers=tokens.headers(second_host, **{"If-Match": _etag(client, stream_id)}),
    )
    assert by_other.status_code == 403
    unknown = client.put(
        path,
        json={"co_hosts": ["nobody", "editor"]},
        headers=tokens.headers("host", **{"If-Match": _etag(client, stream_id)}),
    )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json["errors"]] == ["co_hosts.0", "co_hosts.1"]  # type: ignore[index]
    assert (
        client.put(path, json={"co_hosts": [second_host]}, headers=tokens.headers("host")).status_code == 428
    )
    added = client.put(
        path,
        json={"co_hosts": [second_host]},
        headers=tokens.headers("host", **{"If-Match": _etag(client, stream_id)}),
    )
    assert added.status_code == 200 and added.json["co_hosts"] == [second_host]  # type: ignore[index]
    done = _controls(client, tokens, second_host, stream_id, product_id)
    assert done == dict.fromkeys(done, 200), done
    # a co-host does not choose co-hosts; an admin may remove them
    again = client.put(
        path,
        json={"co_hosts": []},
        headers=tokens.headers(second_host, **{"If-Match": _etag(client, stream_id)}),
    )
    assert again.status_code == 403
    removed = client.put(
        path, json={"co_hosts": []}, headers=tokens.headers("admin", **{"If-Match": _etag(client, stream_id)})
    )
    assert removed.status_code == 200 and removed.json["co_hosts"] == []  # type: ignore[index]


def test_the_console_of_another_hosts_stream_reads_but_does_not_control(app: Flask) -> None:
    from tests.web.conftest import add_product as add_indexed_product
    from tests.web.conftest import add_staff
    from tests.web.conftest import sign_in
    from tests.web.live import make_show

    add_indexed_product(app)
    add_staff(app, "aigerim", Role.HOST)
    add_staff(app, "bolat", Role.HOST)
    stream_id = make_show(app, products=1, live=False, host="aigerim")
    client = app.test_client()
    assert sign_in(client, "bolat").status_code == 302
    page = client.get(f"/host/streams/{stream_id}")
    assert page.status_code == 200
    found = re.search(r'data-csrf="([^"]+)"', page.get_data(as_text=True))
    assert found
    headers = {"X-CSRFToken": found.group(1)}
    base = f"/host/streams/{stream_id}"
    for path, body in (
        (f"{base}/status", {"action": "start"}),
        (f"{base}/cursor", {"action": "next"}),
        (f"{base}/insert", {"product_id": 1}),
        (f"{base}/order", {"item_ids": [], "version": 1}),
        (f"{base}/flash", {"on": True}),
    ):
        refused = client.post(path, json=body, headers=headers)
        assert refused.status_code == 403, (path, refused.status_code)
        assert refused.mimetype == "application/problem+json"
    assert client.get(f"/api/v1/streams/{stream_id}").json["status"] == "scheduled"  # type: ignore[index]


def test_another_host_cannot_reorder_insert_remove_or_flash(
    client: FlaskClient, tokens: Tokens, second_host: str
) -> None:
    first, second = add_product(client, tokens, "OWN-010"), add_product(client, tokens, "OWN-011")
    stream_id = schedule(client, tokens).json["id"]
    base = f"/api/v1/streams/{stream_id}"
    put = client.put(
        f"{base}/lineup",
        json={"product_ids": [first, second]},
        headers=tokens.headers("host", **{"If-Match": _etag(client, stream_id)}),
    )
    assert put.status_code == 200, put.json
    items = [item["id"] for item in put.json["lineup"]]
    before = client.get(base).json
    tried = {
        "order": client.post(
            f"{base}/lineup/order",
            json={"item_ids": items[::-1]},
            headers=tokens.headers(second_host, **{"If-Match": _etag(client, stream_id)}),
        ),
        "insert": client.post(
            f"{base}/lineup/items", json={"product_id": first}, headers=tokens.headers(second_host)
        ),
        "remove": client.delete(f"{base}/lineup/items/{items[0]}", headers=tokens.headers(second_host)),
        "flash": client.post(f"{base}/flash", json={"on": True}, headers=tokens.headers(second_host)),
    }
    assert {name: r.status_code for name, r in tried.items()} == dict.fromkeys(tried, 403)
    assert client.get(base).json == before
    # the stream's own host may reorder it
    mine = client.post(
        f"{base}/lineup/order",
        json={"item_ids": items[::-1]},
        headers=tokens.headers("host", **{"If-Match": _etag(client, stream_id)}),
    )
    assert mine.status_code == 200, mine.json
    assert [item["id"] for item in mine.json["lineup"]] == items[::-1]
