"""Live product analytics: beacons from viewer pages counted per product, minute and locale."""

from __future__ import annotations

import csv
import datetime as dt
import io
import typing as t

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.catalog.test_streams_helpers import add_product
from tests.catalog.test_streams_helpers import live_stream
from tests.catalog.test_streams_helpers import move
from tests.catalog.test_streams_helpers import put_lineup
from tests.catalog.test_streams_helpers import schedule
from tests.catalog.test_streams_helpers import set_rate
from tests.conftest import Tokens
from tests.support.notices import notices_in


def beacon(client: FlaskClient, stream_id: int, kind: str, product_id: int, locale: str = "ru") -> t.Any:
    body = {"kind": kind, "product_id": product_id, "locale": locale}
    return client.post(f"/api/v1/streams/{stream_id}/beacons", json=body)


def send(client: FlaskClient, stream_id: int, plan: list[tuple[str, int, str, int]]) -> None:
    """Send each (kind, product, locale) beacon the given number of times, each one accepted."""
    for kind, product_id, locale, times in plan:
        for _ in range(times):
            response = beacon(client, stream_id, kind, product_id, locale)
            assert response.status_code == 202, response.json


def test_counts_are_exact_per_product_and_locale(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, (first, second, _third) = live_stream(client, tokens)
    send(
        client,
        stream_id,
        [
            ("seen", first, "ru", 7),
            ("seen", first, "kk", 3),
            ("opened", first, "ru", 2),
            ("want", first, "kk", 4),
            ("seen", second, "zh", 5),
            ("want", second, "zh", 1),
        ],
    )
    answer = client.get(f"/api/v1/streams/{stream_id}/analytics", headers=tokens.headers("host"))
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["totals"] == {"seen": 15, "opened": 2, "wants": 5}
    by_product = {p["product_id"]: p for p in body["products"]}
    assert by_product[first]["by_locale"] == {
        "ru": {"seen": 7, "opened": 2, "wants": 0},
        "kk": {"seen": 3, "opened": 0, "wants": 4},
    }
    assert (by_product[second]["seen"], by_product[second]["wants"]) == (5, 1)
    assert [p["product_id"] for p in body["products"]] == [first, second]  # most wanted first
    assert sum(row["seen"] for row in body["minutes"]) == 15


def test_the_csv_has_one_row_per_minute_product_and_locale(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, (first, second, _third) = live_stream(client, tokens)
    send(client, stream_id, [("seen", first, "ru", 2), ("want", second, "kk", 3)])
    answer = client.get(f"/api/v1/streams/{stream_id}/analytics.csv", headers=tokens.headers("editor"))
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    text = answer.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == ["minute", "product_id", "sku", "locale", "seen", "opened", "wants"]
    found = {(r["product_id"], r["sku"], r["locale"], r["seen"], r["opened"], r["wants"]) for r in rows}
    assert found == {
        (str(first), "LIVE-000", "ru", "2", "0", "0"),
        (str(second), "LIVE-001", "kk", "0", "0", "3"),
    }


def test_only_staff_read_a_shows_analytics(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, _ids = live_stream(client, tokens, count=1)
    for role, status in (("anonymous", 401), ("translator_kk", 403), ("editor", 200), ("admin", 200)):
        headers = tokens.headers(role) if role != "anonymous" else {}
        for path in ("analytics", "analytics.csv"):
            answer = client.get(f"/api/v1/streams/{stream_id}/{path}", headers=headers)
            assert answer.status_code == status, (role, path)


def test_beacons_for_unknown_or_off_air_streams_and_products_are_refused(
    client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, (first, *_rest) = live_stream(client, tokens, count=2)
    elsewhere = add_product(client, tokens, "NOT-ON-SHEET")
    unknown = beacon(client, 999_999, "seen", first)
    assert (unknown.status_code, unknown.mimetype) == (404, "application/problem+json")
    off_sheet = beacon(client, stream_id, "seen", elsewhere)
    assert off_sheet.status_code == 422
    assert off_sheet.json["errors"][0]["field"] == "product_id"
    assert beacon(client, stream_id, "seen", 999_999).status_code == 422
    assert beacon(client, stream_id, "wink", first).status_code == 422
    assert beacon(client, stream_id, "seen", first, locale="xx").status_code == 422
    assert client.post(f"/api/v1/streams/{stream_id}/beacons", json={"kind": "seen"}).status_code == 422
    scheduled = int(schedule(client, tokens).json["id"])
    not_live = beacon(client, scheduled, "seen", first)
    assert not_live.status_code == 422
    assert not_live.json["errors"][0]["field"] == "stream"
    assert client.post(f"/api/v1/streams/{stream_id}/end", headers=tokens.headers("host")).status_code == 200
    assert beacon(client, stream_id, "want", first).status_code == 422
    counts = client.get(f"/api/v1/streams/{stream_id}/analytics", headers=tokens.headers("host")).json
    assert counts["totals"] == {"seen": 0, "opened": 0, "wants": 0}


def test_no_table_of_analytics_holds_a_user_or_an_address(app: Flask) -> None:
    inspector = sa.inspect(app.extensions["db"].engine)
    columns = {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in ("stream_product_counts", "search_counts", "search_click_counts")
    }
    assert columns == {
        "stream_product_counts": {"stream_id", "minute", "product_id", "locale", "seen", "opened", "wants"},
        "search_counts": {
            "hour",
            "locale",
            "query",
            "script",
            "searches",
            "zero_results",
            "results",
            "engine_micros",
        },
        "search_click_counts": {"hour", "locale", "query", "position", "clicks"},
    }


def test_counts_from_two_workers_add_up(
    app: Flask, other_worker: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, (first, *_rest) = live_stream(client, tokens, count=1)
    second = other_worker.test_client()
    send(client, stream_id, [("seen", first, "ru", 3)])
    send(second, stream_id, [("seen", first, "ru", 4)])
    other_worker.extensions["analytics"].writer.flush()
    app.extensions["analytics"].writer.flush()
    send(second, stream_id, [("want", first, "kk", 2)])
    other_worker.extensions["analytics"].writer.close()  # a worker stopping writes what it holds
    counts = client.get(f"/api/v1/streams/{stream_id}/analytics", headers=tokens.headers("host")).json
    assert counts["totals"] == {"seen": 7, "opened": 0, "wants": 2}


def test_the_recap_has_the_funnel_per_product_with_markers_at_moves_and_flash_prices(
    client: FlaskClient, tokens: Tokens
) -> None:
    set_rate(client, tokens)
    flour, honey = add_product(client, tokens, "FUNNEL-01"), add_product(client, tokens, "FUNNEL-02")
    stream_id = schedule(client, tokens).json["id"]
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()
    items = [{"product_id": flour, "flash": {"amount": "1.00", "starts_at": soon, "ends_at": later}}]
    assert (
        put_lineup(client, tokens, stream_id, {"items": [*items, {"product_id": honey}]}).status_code == 200
    )
    host = tokens.headers("host")
    assert client.post(f"/api/v1/streams/{stream_id}/start", headers=host).status_code == 200
    assert move(client, tokens, stream_id, "next").status_code == 200
    send(client, stream_id, [("seen", flour, "ru", 10), ("opened", flour, "ru", 4), ("want", flour, "kk", 2)])
    assert (
        client.post(f"/api/v1/streams/{stream_id}/flash", json={"on": True}, headers=host).status_code == 200
    )
    assert move(client, tokens, stream_id, "next").status_code == 200
    send(client, stream_id, [("seen", honey, "kk", 5)])
    recap = client.get(f"/api/v1/streams/{stream_id}/recap", headers=host).json["analytics"]
    assert recap["funnel"] == {
        "seen": 15,
        "opened": 4,
        "wants": 2,
        "opened_of_seen": round(4 / 15, 4),
        "wants_of_seen": round(2 / 15, 4),
    }
    totals = {p["sku"]: (p["seen"], p["opened"], p["wants"]) for p in recap["products"]}
    assert totals == {"FUNNEL-01": (10, 4, 2), "FUNNEL-02": (5, 0, 0)}
    assert sum(minute["seen"] for minute in recap["minutes"]) == 15
    kinds = [(m["kind"], m["product_id"]) for m in recap["markers"]]
    assert kinds == [("move", flour), ("flash_start", flour), ("move", honey)]
    assert all(m["minute"] <= m["at"] for m in recap["markers"])


def test_a_show_ended_or_a_product_taken_off_its_run_sheet_elsewhere_refuses_the_next_beacon(
    app: Flask, other_worker: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    stream_id, (first, second) = live_stream(client, tokens, count=2)
    other = other_worker.test_client()
    assert beacon(client, stream_id, "seen", first).status_code == 202
    assert beacon(client, stream_id, "seen", second).status_code == 202  # both remembered now

    read = other.get(f"/api/v1/streams/{stream_id}")
    item = next(i for i in read.json["lineup"] if i["product_id"] == second)
    removed = other.delete(
        f"/api/v1/streams/{stream_id}/lineup/items/{item['id']}",
        headers=tokens.headers("host", **{"If-Match": read.headers["ETag"]}),
    )
    assert removed.status_code == 200, removed.json
    notices_in(app)
    off_sheet = beacon(client, stream_id, "want", second)
    assert off_sheet.status_code == 422
    assert off_sheet.json["errors"][0]["field"] == "product_id"
    assert beacon(client, stream_id, "want", first).status_code == 202

    assert other.post(f"/api/v1/streams/{stream_id}/end", headers=tokens.headers("host")).status_code == 200
    notices_in(app)
    ended = beacon(client, stream_id, "want", first)
    assert ended.status_code == 422
    assert ended.json["errors"][0]["field"] == "stream"
    counts = client.get(f"/api/v1/streams/{stream_id}/analytics", headers=tokens.headers("host")).json
    assert counts["totals"] == {"seen": 2, "opened": 0, "wants": 1}


def test_beacons_ask_the_database_nothing_until_it_changes(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    writer = app.extensions["analytics"].writer
    writer.flush_seconds = 3600.0  # no batch is written while the beacons are watched
    stream_id, (first, second, _third) = live_stream(client, tokens)
    assert beacon(client, stream_id, "seen", first).status_code == 202
    statements: list[str] = []
    sa.event.listen(
        app.extensions["db"].engine, "before_cursor_execute", lambda *args: statements.append(str(args[2]))
    )
    send(client, stream_id, [("seen", first, "ru", 10), ("want", second, "kk", 10)])
    assert beacon(client, stream_id, "seen", 999_999).status_code == 422
    assert statements == [], "a beacon is checked against what was read before"

    assert move(client, tokens, stream_id, "next").status_code == 200
    statements.clear()
    send(client, stream_id, [("opened", first, "zh", 1)])
    assert statements == [], "a cursor move changes neither the stream's status nor its run-sheet"

    added = add_product(client, tokens, "LIVE-ADDED")
    assert put_lineup(client, tokens, stream_id, {"product_ids": [first, second, added]}).status_code == 200
    statements.clear()
    assert beacon(client, stream_id, "seen", added).status_code == 202
    assert any("stream_lineup_items" in statement for statement in statements), (
        "a new run-sheet is read again"
    )
    writer.flush()
    counts = client.get(f"/api/v1/streams/{stream_id}/analytics", headers=tokens.headers("host")).json
    assert counts["totals"] == {"seen": 12, "opened": 1, "wants": 10}
