"""Viewers' "show me this" requests: counted per product over five minutes for the host, limited per
client, refused for unknown or off-air shows and products, and "show next" on the run-sheet."""

from __future__ import annotations

import datetime as dt
import typing as t

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import StreamEvent
from catalog.models import ViewerRequest
from tests.catalog.test_streams_helpers import add_product
from tests.catalog.test_streams_helpers import live_stream
from tests.catalog.test_streams_helpers import move
from tests.catalog.test_streams_helpers import schedule
from tests.conftest import Tokens

PER_MINUTE = 6  # the default of LIVE_REQUESTS_PER_MINUTE


def ask(client: FlaskClient, stream_id: int, body: t.Any, address: str = "198.51.100.7") -> t.Any:
    return client.post(
        f"/api/v1/streams/{stream_id}/requests", json=body, environ_base={"REMOTE_ADDR": address}
    )


def queue(client: FlaskClient, tokens: Tokens, stream_id: int, locale: str = "ru") -> t.Any:
    response = client.get(
        f"/api/v1/streams/{stream_id}/requests?locale={locale}", headers=tokens.headers("host")
    )
    assert response.status_code == 200, response.json
    return response.json


def stored(app: Flask) -> tuple[int, int]:
    """How many requests and ``requests`` events the database holds."""
    with app.app_context():
        session = get_session()
        rows = session.scalar(sa.select(sa.func.count()).select_from(ViewerRequest))
        events = session.scalar(
            sa.select(sa.func.count()).select_from(StreamEvent).where(StreamEvent.kind == "requests")
        )
        return int(rows or 0), int(events or 0)


def test_the_host_sees_what_viewers_asked_for_most_asked_first(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, ids = live_stream(client, tokens, 2)
    wanted = add_product(client, tokens, "ASKED-001")
    for address in ("198.51.100.1", "198.51.100.2", "2001:db8::3"):
        response = ask(client, stream_id, {"product_id": wanted}, address)
        assert response.status_code == 202, response.json
        assert response.json == {"stream_id": stream_id, "product_id": wanted, "counted": True}
    assert ask(client, stream_id, {"product_id": ids[1]}, "198.51.100.1").status_code == 202
    found = queue(client, tokens, stream_id)
    assert found["window_seconds"] == 300
    assert [(i["product_id"], i["count"], i["on_run_sheet"]) for i in found["items"]] == [
        (wanted, 3, False),
        (ids[1], 1, True),
    ]
    assert found["items"][0]["sku"] == "ASKED-001"
    assert found["items"][0]["name"] == "Мука пшеничная высший сорт"
    assert stored(app) == (4, 4)  # one event per counted request, for the console to redraw


def test_the_same_client_asking_again_is_counted_once(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, ids = live_stream(client, tokens, 1)
    first = ask(client, stream_id, {"product_id": ids[0]})
    again = ask(client, stream_id, {"product_id": ids[0]})
    assert (first.json["counted"], again.status_code, again.json["counted"]) == (True, 202, False)
    assert [i["count"] for i in queue(client, tokens, stream_id)["items"]] == [1]
    assert stored(app) == (1, 1)


def test_requests_older_than_five_minutes_leave_the_queue(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, ids = live_stream(client, tokens, 2)
    now = dt.datetime.now(dt.UTC)
    with app.app_context():
        session = get_session()
        session.add(ViewerRequest(stream_id=stream_id, product_id=ids[0], at=now - dt.timedelta(minutes=6)))
        session.add(ViewerRequest(stream_id=stream_id, product_id=ids[1], at=now - dt.timedelta(minutes=4)))
        session.commit()
    assert [i["product_id"] for i in queue(client, tokens, stream_id)["items"]] == [ids[1]]


def test_a_request_is_pushed_to_the_streams_listeners(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, ids = live_stream(client, tokens, 1)
    assert ask(client, stream_id, {"product_id": ids[0]}).status_code == 202
    response = client.get(
        f"/api/v1/streams/{stream_id}/events", headers={"Last-Event-ID": "0"}, buffered=False
    )
    text = b""
    for chunk in response.response:  # type: ignore[attr-defined]
        text += chunk
        if b"event: requests" in text:
            break
    response.close()
    assert f'"product_id":{ids[0]}'.encode() in text.split(b"event: requests", 1)[1]


MALFORMED: list[tuple[t.Any, str]] = [
    ({}, "product_id"),
    ({"product_id": "1"}, "product_id"),
    ({"product_id": True}, "product_id"),
    ({"product_id": 0}, "product_id"),
    ({"product_id": 1, "name": "Aigerim"}, "name"),  # nothing about the viewer is taken
]


def test_malformed_requests_and_unknown_products_or_streams_are_refused(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, _ids = live_stream(client, tokens, 1)
    for body, field in MALFORMED:
        response = ask(client, stream_id, body)
        assert (response.status_code, response.mimetype) == (422, "application/problem+json"), body
        assert field in [e["field"] for e in response.json["errors"]], body
    draft = add_product(client, tokens, "DRAFT-ASK-1", status="draft")
    for product_id in (draft, 999_999):
        response = ask(client, stream_id, {"product_id": product_id}, "198.51.100.50")
        assert response.status_code == 422, response.json
        assert [e["field"] for e in response.json["errors"]] == ["product_id"]
        assert str(product_id) in response.json["detail"]
    missing = ask(client, 999_999, {"product_id": draft})
    assert (missing.status_code, missing.mimetype) == (404, "application/problem+json")
    assert stored(app) == (0, 0)


def test_a_show_that_is_not_on_air_takes_no_requests(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    product_id = add_product(client, tokens, "OFF-AIR-01")
    scheduled = schedule(client, tokens).json["id"]
    ended, _ids = live_stream(client, tokens, 1)
    assert client.post(f"/api/v1/streams/{ended}/end", headers=tokens.headers("host")).status_code == 200
    for stream_id in (scheduled, ended):
        response = ask(client, stream_id, {"product_id": product_id})
        assert response.status_code == 422, response.json
        assert [e["field"] for e in response.json["errors"]] == ["stream_id"]
    assert stored(app) == (0, 0)


def test_a_flood_from_one_client_gets_429_without_touching_the_database(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, ids = live_stream(client, tokens, 2)
    flooder = "203.0.113.9"
    answers = [ask(client, stream_id, {"product_id": ids[0]}, flooder).status_code for _ in range(PER_MINUTE)]
    assert answers == [202] * PER_MINUTE
    statements: list[str] = []

    def note(_conn: t.Any, _cursor: t.Any, statement: str, *_rest: t.Any) -> None:
        statements.append(statement)

    engine = app.extensions["db"].engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        refused = ask(client, stream_id, {"product_id": ids[1]}, flooder)
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert statements == []  # refused before any database work: the cursor's lock is never waited on
    assert ask(client, stream_id, {"product_id": ids[1]}, "203.0.113.10").status_code == 202  # others go on
    assert move(client, tokens, stream_id, "next").status_code == 200
    assert stored(app) == (2, 2)


def up_next(
    client: FlaskClient, tokens: Tokens, stream_id: int, body: t.Any, etag: str | None = None
) -> t.Any:
    etag = etag or client.get(f"/api/v1/streams/{stream_id}").headers["ETag"]
    return client.post(
        f"/api/v1/streams/{stream_id}/lineup/up-next",
        json=body,
        headers=tokens.headers("host", **{"If-Match": etag}),
    )


def test_show_next_puts_a_requested_product_after_the_card_on_air(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, ids = live_stream(client, tokens, 3)
    wanted = add_product(client, tokens, "ASKED-NEXT")
    assert ask(client, stream_id, {"product_id": wanted}).status_code == 202
    move(client, tokens, stream_id, "next")
    move(client, tokens, stream_id, "next")  # the second card is on air
    response = up_next(client, tokens, stream_id, {"product_id": wanted})
    assert response.status_code == 201, response.json
    assert [item["product_id"] for item in response.json["lineup"]] == [ids[0], ids[1], wanted, ids[2]]
    card = client.get(f"/api/v1/streams/{stream_id}/card").json
    assert (card["position"], card["card"]["product"]["id"]) == (2, ids[1])  # what is on air stays
    assert queue(client, tokens, stream_id)["items"][0]["on_run_sheet"] is True
    assert move(client, tokens, stream_id, "next").json["card"]["product"]["id"] == wanted


def test_show_next_before_the_first_card_goes_first(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, ids = live_stream(client, tokens, 2)
    wanted = add_product(client, tokens, "ASKED-FIRST")
    response = up_next(client, tokens, stream_id, {"product_id": wanted})
    assert [item["product_id"] for item in response.json["lineup"]] == [wanted, *ids]


def test_show_next_refuses_stale_or_missing_etags_and_unknown_products(
    client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, ids = live_stream(client, tokens, 1)
    url = f"/api/v1/streams/{stream_id}/lineup/up-next"
    assert client.post(url, json={"product_id": ids[0]}, headers=tokens.headers("host")).status_code == 428
    assert up_next(client, tokens, stream_id, {"product_id": ids[0]}, etag='"stale"').status_code == 412
    unknown = up_next(client, tokens, stream_id, {"product_id": 999_999})
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json["errors"]] == ["product_id"]
    assert [i["product_id"] for i in client.get(f"/api/v1/streams/{stream_id}").json["lineup"]] == ids


def test_a_request_stores_nothing_about_the_viewer() -> None:
    assert {column.name for column in ViewerRequest.__table__.columns} == {
        "id",
        "stream_id",
        "product_id",
        "at",
    }
