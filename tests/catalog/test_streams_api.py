"""Scheduling streams and building run-sheets, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.catalog.test_streams_helpers import STREAM
from tests.catalog.test_streams_helpers import add_product
from tests.catalog.test_streams_helpers import in_hours
from tests.catalog.test_streams_helpers import put_lineup
from tests.catalog.test_streams_helpers import schedule
from tests.catalog.test_streams_helpers import set_rate
from tests.conftest import Tokens


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "SEARCH_SYNC_AFTER_REQUEST": False}


def test_create_answers_201_with_location_etag_and_utc_start(client: FlaskClient, tokens: Tokens) -> None:
    response = schedule(client, tokens)
    body = response.json
    assert response.headers["Location"] == f"/api/v1/streams/{body['id']}"
    assert response.headers["ETag"] == f'"stream-{body["id"]}-v1"'
    assert body["starts_at"] == "2036-12-01T13:00:00+00:00"
    assert body["ends_at"] == "2036-12-01T16:00:00+00:00"
    assert body["status"] == "scheduled"
    assert body["host"] == "host"
    assert body["time_zone"] == "Asia/Urumqi"
    assert body["lineup"] == [] and body["cursor"]["position"] == 0
    assert client.get(response.headers["Location"]).headers["ETag"] == response.headers["ETag"]


def test_a_plain_title_belongs_to_the_first_locale(client: FlaskClient, tokens: Tokens) -> None:
    body = schedule(client, tokens, title="Вечер", locales=["kk", "ru"]).json
    assert body["title"] == {"kk": "Вечер"}


def test_editors_translators_and_strangers_cannot_schedule(client: FlaskClient, tokens: Tokens) -> None:
    assert client.post("/api/v1/streams", json=STREAM).status_code == 401
    forbidden = client.post("/api/v1/streams", json=STREAM, headers=tokens.headers("translator_kk"))
    assert forbidden.status_code == 403
    assert "host" in forbidden.json["detail"]


def test_starts_at_without_an_offset_is_refused(client: FlaskClient, tokens: Tokens) -> None:
    response = client.post(
        "/api/v1/streams", json={**STREAM, "starts_at": "2036-12-01T19:00:00"}, headers=tokens.headers("host")
    )
    assert response.status_code == 422
    error = response.json["errors"][0]
    assert error["field"] == "starts_at"
    assert "no UTC offset" in error["message"] and "+06:00" in error["message"]


def test_an_unknown_time_zone_is_refused_with_a_hint(client: FlaskClient, tokens: Tokens) -> None:
    response = client.post(
        "/api/v1/streams", json={**STREAM, "time_zone": "asia/almaty"}, headers=tokens.headers("host")
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "time_zone"
    assert "did you mean 'Asia/Almaty'" in response.json["errors"][0]["message"]


def test_unknown_locales_and_repeated_currencies_are_refused(client: FlaskClient, tokens: Tokens) -> None:
    response = client.post(
        "/api/v1/streams",
        json={**STREAM, "locales": ["fr"], "currencies": ["KZT", "KZT"]},
        headers=tokens.headers("host"),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert "locales.0" in fields and "currencies" in fields


def test_lineup_needs_if_match_and_refuses_a_stale_etag(client: FlaskClient, tokens: Tokens) -> None:
    product_id = add_product(client, tokens, "KZ-TEA-001")
    created = schedule(client, tokens)
    url, etag = created.headers["Location"] + "/lineup", created.headers["ETag"]
    missing = client.put(url, json={"product_ids": [product_id]}, headers=tokens.headers("host"))
    assert missing.status_code == 428
    ok = client.put(
        url, json={"product_ids": [product_id]}, headers=tokens.headers("host", **{"If-Match": etag})
    )
    assert ok.status_code == 200
    assert ok.headers["ETag"] != etag
    stale = client.put(url, json={"product_ids": []}, headers=tokens.headers("host", **{"If-Match": etag}))
    assert stale.status_code == 412


def test_lineup_of_unknown_draft_and_archived_products_names_the_ids(
    client: FlaskClient, tokens: Tokens
) -> None:
    good = add_product(client, tokens, "KZ-GOOD-01")
    draft = add_product(client, tokens, "KZ-DRAFT-01", status="draft")
    archived = add_product(client, tokens, "KZ-OLD-01", status="archived")
    stream_id = schedule(client, tokens).json["id"]
    response = put_lineup(client, tokens, stream_id, {"product_ids": [good, 9999, draft, archived]})
    assert response.status_code == 422
    assert response.json["product_ids"] == [9999, draft, archived]
    assert f"9999, {draft}, {archived}" in response.json["detail"]
    messages = {e["field"]: e["message"] for e in response.json["errors"]}
    assert messages["product_ids.1"] == "Product 9999 does not exist."
    assert "draft" in messages["product_ids.2"] and "archived" in messages["product_ids.3"]


def test_items_carry_numbers_notes_and_flash_prices(client: FlaskClient, tokens: Tokens) -> None:
    first = add_product(client, tokens, "KZ-FLOUR-01")
    second = add_product(client, tokens, "KZ-HONEY-01")
    stream_id = schedule(client, tokens).json["id"]
    flash = {"amount": "19.90", "starts_at": in_hours(-1), "ends_at": in_hours(1), "per_viewer_limit": 2}
    response = put_lineup(
        client,
        tokens,
        stream_id,
        {
            "items": [
                {"product_id": first, "number": 7, "notes": "Say: first grade"},
                {"product_id": second, "flash": flash},
            ]
        },
    )
    assert response.status_code == 200, response.json
    lineup = response.json["lineup"]
    assert [(i["position"], i["number"]) for i in lineup] == [(1, 7), (2, 2)]
    assert lineup[0]["notes"] == "Say: first grade"
    assert lineup[1]["flash"]["amount"] == "19.90" and lineup[1]["flash"]["phase"] == "running"
    assert lineup[1]["flash"]["per_viewer_limit"] == 2
    assert "notes" not in client.get(f"/api/v1/streams/{stream_id}").json["lineup"][0]


def test_a_flash_price_above_the_price_or_ending_before_it_starts_is_refused(
    client: FlaskClient, tokens: Tokens
) -> None:
    product_id = add_product(client, tokens, "KZ-FLOUR-02")
    stream_id = schedule(client, tokens).json["id"]
    flash = {"amount": "30.00", "starts_at": in_hours(2), "ends_at": in_hours(1)}
    response = put_lineup(client, tokens, stream_id, {"items": [{"product_id": product_id, "flash": flash}]})
    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json["errors"]}
    assert messages["items.0.flash.amount"] == (
        "The flash price 30.00 CNY must be below the regular price 25.00 CNY."
    )
    assert "before it starts" in messages["items.0.flash.ends_at"]


def test_repeated_numbers_and_both_shapes_at_once_are_refused(client: FlaskClient, tokens: Tokens) -> None:
    a = add_product(client, tokens, "KZ-A-001")
    b = add_product(client, tokens, "KZ-B-001")
    stream_id = schedule(client, tokens).json["id"]
    twice = put_lineup(
        client, tokens, stream_id, {"items": [{"product_id": a, "number": 3}, {"product_id": b, "number": 3}]}
    )
    assert twice.status_code == 422
    assert twice.json["errors"] == [{"field": "items.1.number", "message": "Number 3 is used twice."}]
    both = put_lineup(client, tokens, stream_id, {"product_ids": [a], "items": [{"product_id": b}]})
    assert both.status_code == 422
    assert both.json["errors"][0]["message"] == "Send either product_ids or items (not both)."


def test_insert_and_remove_items_with_if_match(client: FlaskClient, tokens: Tokens) -> None:
    a, b, c = (add_product(client, tokens, f"KZ-IN-{i}") for i in range(3))
    stream_id = schedule(client, tokens).json["id"]
    put_lineup(client, tokens, stream_id, {"product_ids": [a, c]})
    etag = client.get(f"/api/v1/streams/{stream_id}").headers["ETag"]
    url = f"/api/v1/streams/{stream_id}/lineup/items"
    inserted = client.post(
        url, json={"product_id": b, "at": 2}, headers=tokens.headers("host", **{"If-Match": etag})
    )
    assert inserted.status_code == 201, inserted.json
    assert [i["product_id"] for i in inserted.json["lineup"]] == [a, b, c]
    assert [i["number"] for i in inserted.json["lineup"]] == [1, 3, 2]
    out_of_range = client.post(
        url,
        json={"product_id": b, "at": 9},
        headers=tokens.headers("host", **{"If-Match": inserted.headers["ETag"]}),
    )
    assert out_of_range.status_code == 422 and out_of_range.json["errors"][0]["field"] == "at"
    item_id = inserted.json["lineup"][0]["id"]
    removed = client.delete(
        f"{url}/{item_id}", headers=tokens.headers("host", **{"If-Match": inserted.headers["ETag"]})
    )
    assert removed.status_code == 200
    assert [i["product_id"] for i in removed.json["lineup"]] == [b, c]
    assert [i["position"] for i in removed.json["lineup"]] == [1, 2]
    stale = client.delete(f"{url}/{item_id}", headers=tokens.headers("host", **{"If-Match": etag}))
    assert stale.status_code == 412


def test_an_archived_product_stays_on_the_run_sheet_marked(
    client: FlaskClient, tokens: Tokens, app: Flask
) -> None:
    a = add_product(client, tokens, "KZ-KEEP-01")
    b = add_product(client, tokens, "KZ-GONE-01")
    stream_id = schedule(client, tokens).json["id"]
    put_lineup(client, tokens, stream_id, {"product_ids": [a, b]})
    etag = client.get(f"/api/v1/products/{b}").headers["ETag"]
    client.delete(f"/api/v1/products/{b}", headers=tokens.headers("editor", **{"If-Match": etag}))
    lineup = client.get(f"/api/v1/streams/{stream_id}").json["lineup"]
    assert [(i["sku"], i["available"], i["product_status"]) for i in lineup] == [
        ("KZ-KEEP-01", True, "published"),
        ("KZ-GONE-01", False, "archived"),
    ]
    # reordering keeps it, although an archived product could not be added anew
    reordered = put_lineup(client, tokens, stream_id, {"product_ids": [b, a]})
    assert reordered.status_code == 200
    assert [i["sku"] for i in reordered.json["lineup"]] == ["KZ-GONE-01", "KZ-KEEP-01"]


def test_start_and_end_change_the_status_once(client: FlaskClient, tokens: Tokens) -> None:
    stream_id = schedule(client, tokens).json["id"]
    host = tokens.headers("host")
    assert client.post(f"/api/v1/streams/{stream_id}/end", headers=host).status_code == 409
    started = client.post(f"/api/v1/streams/{stream_id}/start", headers=host)
    assert started.status_code == 200 and started.json["status"] == "live" and started.json["started_at"]
    again = client.post(f"/api/v1/streams/{stream_id}/start", headers=host)
    assert again.status_code == 409
    assert again.json["detail"] == f"Stream {stream_id} is live; only a scheduled stream can start."
    ended = client.post(f"/api/v1/streams/{stream_id}/end", headers=host)
    assert ended.status_code == 200 and ended.json["status"] == "ended"
    assert (
        client.post(f"/api/v1/streams/{stream_id}/start", headers=tokens.headers("editor")).status_code == 403
    )


def test_patch_changes_the_display_delay(client: FlaskClient, tokens: Tokens) -> None:
    created = schedule(client, tokens)
    url = created.headers["Location"]
    response = client.patch(
        url,
        json={"display_delay_seconds": 8},
        headers=tokens.headers("host", **{"If-Match": created.headers["ETag"]}),
    )
    assert response.status_code == 200
    assert response.json["display_delay_seconds"] == 8
    assert response.json["cursor"]["display_delay_seconds"] == 8


def test_missing_streams_are_404(client: FlaskClient, tokens: Tokens) -> None:
    assert client.get("/api/v1/streams/999").status_code == 404
    assert client.get("/api/v1/streams/999/card").status_code == 404
    response = client.post(
        "/api/v1/streams/999/cursor", json={"action": "next"}, headers=tokens.headers("host")
    )
    assert response.status_code == 404


def test_reorder_keeps_numbers_and_refuses_a_partial_order(client: FlaskClient, tokens: Tokens) -> None:
    first = add_product(client, tokens, "KZ-FLOUR-01")
    second = add_product(client, tokens, "KZ-HONEY-01")
    stream_id = schedule(client, tokens).json["id"]
    lineup = put_lineup(
        client, tokens, stream_id, {"items": [{"product_id": first, "number": 7}, {"product_id": second}]}
    )
    item_ids = [i["id"] for i in lineup.json["lineup"]]
    url = f"/api/v1/streams/{stream_id}/lineup/order"
    no_etag = client.post(url, json={"item_ids": item_ids[::-1]}, headers=tokens.headers("host"))
    assert no_etag.status_code == 428
    host = tokens.headers("host", **{"If-Match": lineup.headers["ETag"]})
    partial = client.post(url, json={"item_ids": item_ids[:1]}, headers=host)
    assert partial.status_code == 422
    assert partial.json["errors"] == [
        {"field": "item_ids", "message": "Send every item of the run-sheet once, in the new order."}
    ]
    reordered = client.post(url, json={"item_ids": item_ids[::-1]}, headers=host)
    assert reordered.status_code == 200, reordered.json
    assert [(i["id"], i["position"], i["number"]) for i in reordered.json["lineup"]] == [
        (item_ids[1], 1, 2),
        (item_ids[0], 2, 7),
    ]
    stale = client.post(url, json={"item_ids": item_ids}, headers=host)
    assert stale.status_code == 412
    assert client.post(url, json={"item_ids": item_ids}, headers=tokens.headers("editor")).status_code == 403


def test_the_flash_switch_starts_and_ends_the_sale_of_the_card_on_air(
    client: FlaskClient, tokens: Tokens
) -> None:
    set_rate(client, tokens)
    first = add_product(client, tokens, "KZ-FLOUR-01")
    second = add_product(client, tokens, "KZ-HONEY-01")
    stream_id = schedule(client, tokens).json["id"]
    later = {"amount": "19.90", "starts_at": in_hours(2), "ends_at": in_hours(3)}
    put_lineup(
        client, tokens, stream_id, {"items": [{"product_id": first}, {"product_id": second, "flash": later}]}
    )
    host = tokens.headers("host")
    url = f"/api/v1/streams/{stream_id}/flash"
    assert client.post(f"/api/v1/streams/{stream_id}/start", headers=host).status_code == 200
    client.post(f"/api/v1/streams/{stream_id}/cursor", json={"action": "next"}, headers=host)
    without = client.post(url, json={"on": True}, headers=host)
    assert without.status_code == 409
    assert without.json["detail"] == "The card on air has no flash price in the run-sheet."
    client.post(f"/api/v1/streams/{stream_id}/cursor", json={"action": "next"}, headers=host)
    on = client.post(url, json={"on": True}, headers=host)
    assert on.status_code == 200, on.json
    assert on.json["lineup"][1]["flash"]["phase"] == "running"
    planned = dt.datetime.fromisoformat(later["ends_at"])
    assert abs(dt.datetime.fromisoformat(on.json["lineup"][1]["flash"]["ends_at"]) - planned) < dt.timedelta(
        seconds=1
    )
    off = client.post(url, json={"on": False}, headers=host)
    assert off.status_code == 200 and off.json["lineup"][1]["flash"]["phase"] == "over"
    assert client.post(url, json={"on": "yes please"}, headers=host).status_code == 422
