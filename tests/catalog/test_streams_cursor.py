"""The on-air cursor, the card on air and the recap, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import threading
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.catalog.test_streams_helpers import add_product
from tests.catalog.test_streams_helpers import in_hours
from tests.catalog.test_streams_helpers import live_stream
from tests.catalog.test_streams_helpers import move
from tests.catalog.test_streams_helpers import put_lineup
from tests.catalog.test_streams_helpers import schedule
from tests.catalog.test_streams_helpers import set_rate
from tests.conftest import Tokens


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "SEARCH_SYNC_AFTER_REQUEST": False, "LIVE_LOW_STOCK": 20}


def test_next_prev_goto_answer_position_and_card(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, ids = live_stream(client, tokens, 3)
    first = move(client, tokens, stream_id, "next")
    assert first.status_code == 200
    assert first.json["position"] == 1 and first.json["card"]["product"]["id"] == ids[0]
    assert move(client, tokens, stream_id, "next").json["position"] == 2
    assert move(client, tokens, stream_id, "prev").json["position"] == 1
    jumped = move(client, tokens, stream_id, "goto", 3)
    assert jumped.json["position"] == 3 and jumped.json["card"]["number"] == 3
    last = move(client, tokens, stream_id, "next")
    assert last.status_code == 409
    assert last.json["detail"] == "Position 3 is the last item of the run-sheet that can go on air."


def test_goto_out_of_range_is_422(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, _ = live_stream(client, tokens, 2)
    response = move(client, tokens, stream_id, "goto", 5)
    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "position", "message": "Position 5 is out of range; the run-sheet has positions 1 to 2."}
    ]
    missing = move(client, tokens, stream_id, "goto")
    assert missing.status_code == 422 and missing.json["errors"][0]["message"] == "goto needs a position."


def test_the_cursor_of_a_stream_that_is_not_live_does_not_move(client: FlaskClient, tokens: Tokens) -> None:
    set_rate(client, tokens)
    product_id = add_product(client, tokens, "KZ-IDLE-01")
    stream_id = schedule(client, tokens).json["id"]
    put_lineup(client, tokens, stream_id, {"product_ids": [product_id]})
    response = move(client, tokens, stream_id, "next")
    assert response.status_code == 409
    assert (
        response.json["detail"] == f"Stream {stream_id} is scheduled; the cursor moves only while it is live."
    )
    client.post(f"/api/v1/streams/{stream_id}/start", headers=tokens.headers("host"))
    client.post(f"/api/v1/streams/{stream_id}/end", headers=tokens.headers("host"))
    assert "is ended" in move(client, tokens, stream_id, "next").json["detail"]


def test_pin_holds_the_card_until_unpinned(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, _ = live_stream(client, tokens, 3)
    pinned = move(client, tokens, stream_id, "pin", 2)
    assert pinned.json["position"] == 2 and pinned.json["pinned"] is True
    held = move(client, tokens, stream_id, "next")
    assert held.status_code == 409
    assert held.json["detail"] == "The card at position 2 is pinned; unpin it before moving on."
    assert move(client, tokens, stream_id, "unpin").json["pinned"] is False
    assert move(client, tokens, stream_id, "next").json["position"] == 3


def test_next_skips_a_product_archived_after_it_was_put_on_air(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, ids = live_stream(client, tokens, 3)
    etag = client.get(f"/api/v1/products/{ids[1]}").headers["ETag"]
    client.delete(f"/api/v1/products/{ids[1]}", headers=tokens.headers("editor", **{"If-Match": etag}))
    assert move(client, tokens, stream_id, "next").json["position"] == 1
    assert move(client, tokens, stream_id, "next").json["position"] == 3
    assert move(client, tokens, stream_id, "prev").json["position"] == 1
    refused = move(client, tokens, stream_id, "goto", 2)
    assert refused.status_code == 422
    assert "LIVE-001" in refused.json["detail"] and "archived" in refused.json["detail"]


def test_the_card_has_every_locale_and_currency_flash_price_and_low_stock(
    client: FlaskClient, tokens: Tokens
) -> None:
    set_rate(client, tokens)
    product_id = add_product(client, tokens, "KZ-HONEY-01", stock=12)
    stream_id = schedule(client, tokens).json["id"]
    flash = {"amount": "19.90", "starts_at": in_hours(-1), "ends_at": in_hours(1), "per_viewer_limit": 2}
    put_lineup(
        client, tokens, stream_id, {"items": [{"product_id": product_id, "number": 5, "flash": flash}]}
    )
    client.post(f"/api/v1/streams/{stream_id}/start", headers=tokens.headers("host"))
    moved = move(client, tokens, stream_id, "next").json
    card = client.get(f"/api/v1/streams/{stream_id}/card").json
    assert card == moved
    body = card["card"]
    assert body["number"] == 5
    assert body["stock"] == {"count": 12, "low": True, "sold_out": False}
    assert set(body["locales"]) == {"ru", "kk"}
    ru, kk = body["locales"]["ru"], body["locales"]["kk"]
    assert ru["name"] == "Мука пшеничная высший сорт" and ru["origin"] == "Казахстан"
    assert kk["fallback_from"] == "ru" and kk["origin"] == "Қазақстан"
    assert set(ru["price"]) == {"KZT", "CNY"}
    assert kk["price"]["KZT"]["amount"] == "1850.00" and kk["price"]["KZT"]["formatted"] == "1\xa0850,00\xa0₸"
    assert body["flash"]["phase"] == "running" and body["flash"]["per_viewer_limit"] == 2
    assert kk["flash_price"]["KZT"]["amount"] == "1472.60"
    assert kk["flash_price"]["CNY"]["amount"] == "19.90"


def test_a_flash_price_that_has_not_started_is_not_shown(client: FlaskClient, tokens: Tokens) -> None:
    set_rate(client, tokens)
    product_id = add_product(client, tokens, "KZ-LATER-01")
    stream_id = schedule(client, tokens).json["id"]
    flash = {"amount": "19.90", "starts_at": in_hours(1), "ends_at": in_hours(2)}
    put_lineup(client, tokens, stream_id, {"items": [{"product_id": product_id, "flash": flash}]})
    client.post(f"/api/v1/streams/{stream_id}/start", headers=tokens.headers("host"))
    body = move(client, tokens, stream_id, "next").json["card"]
    assert body["flash"]["phase"] == "before"
    assert body["locales"]["ru"]["flash_price"] is None


def test_pulling_up_the_card_is_a_cache_hit_until_the_product_changes(
    client: FlaskClient, tokens: Tokens, app: Flask
) -> None:
    stream_id, ids = live_stream(client, tokens, 2)
    move(client, tokens, stream_id, "next")
    cache = app.extensions["live"].cards
    before = cache.hits
    for _ in range(3):
        assert client.get(f"/api/v1/streams/{stream_id}/card").status_code == 200
    assert cache.hits == before + 3
    etag = client.get(f"/api/v1/products/{ids[0]}").headers["ETag"]
    client.patch(
        f"/api/v1/products/{ids[0]}",
        json={"stock": 3},
        headers=tokens.headers("editor", **{"If-Match": etag}),
    )
    misses = cache.misses
    card = client.get(f"/api/v1/streams/{stream_id}/card").json["card"]
    assert card["stock"] == {"count": 3, "low": True, "sold_out": False}
    assert cache.misses == misses + 1


def test_removing_the_item_on_air_takes_it_off_air(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, ids = live_stream(client, tokens, 3)
    move(client, tokens, stream_id, "goto", 2)
    response = put_lineup(client, tokens, stream_id, {"product_ids": [ids[0], ids[2]]})
    assert response.json["cursor"]["item_id"] is None and response.json["cursor"]["position"] == 1
    assert client.get(f"/api/v1/streams/{stream_id}/card").json["card"] is None
    assert move(client, tokens, stream_id, "next").json["card"]["product"]["id"] == ids[2]


def test_reordering_keeps_the_item_on_air(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, ids = live_stream(client, tokens, 3)
    move(client, tokens, stream_id, "goto", 1)
    response = put_lineup(client, tokens, stream_id, {"product_ids": [ids[2], ids[1], ids[0]]})
    assert response.json["cursor"]["position"] == 3
    card = client.get(f"/api/v1/streams/{stream_id}/card").json
    assert card["position"] == 3 and card["card"]["product"]["id"] == ids[0]


def test_two_tabs_pressing_next_at_once_advance_by_exactly_two_each_time(
    client: FlaskClient, tokens: Tokens, app: Flask
) -> None:
    presses, tabs = 8, 2
    stream_id, _ = live_stream(client, tokens, presses * tabs + 1)
    barrier = threading.Barrier(tabs)
    answers: list[int] = []
    failures: list[t.Any] = []

    def tab() -> None:
        own = app.test_client()
        for _ in range(presses):
            barrier.wait(timeout=30)
            response = move(own, tokens, stream_id, "next")
            if response.status_code != 200:
                failures.append(response.json)
            else:
                answers.append(response.json["position"])

    threads = [threading.Thread(target=tab) for _ in range(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(answers) == list(range(1, presses * tabs + 1))
    assert client.get(f"/api/v1/streams/{stream_id}").json["cursor"]["position"] == presses * tabs
    recap = client.get(f"/api/v1/streams/{stream_id}/recap", headers=tokens.headers("host")).json
    assert [s["position"] for s in recap["segments"]] == list(range(1, presses * tabs + 1))


def test_the_recap_lists_what_was_on_air_in_the_hosts_zone(client: FlaskClient, tokens: Tokens) -> None:
    stream_id, _ = live_stream(client, tokens, 3, time_zone="Asia/Almaty")
    move(client, tokens, stream_id, "next")
    move(client, tokens, stream_id, "pin")
    move(client, tokens, stream_id, "unpin")
    move(client, tokens, stream_id, "goto", 3)
    client.post(f"/api/v1/streams/{stream_id}/end", headers=tokens.headers("host"))
    recap = client.get(f"/api/v1/streams/{stream_id}/recap", headers=tokens.headers("host")).json
    assert recap["time_zone"] == "Asia/Almaty" and recap["moves"] == 4
    segments = recap["segments"]
    assert [(s["position"], s["sku"]) for s in segments] == [(1, "LIVE-000"), (3, "LIVE-002")]
    assert segments[0]["from_local"].endswith("+05:00")
    assert segments[0]["to"] == segments[1]["from"]
    assert recap["ended_at"].endswith("+05:00")
    assert segments[0]["name"] == "Мука пшеничная высший сорт"
    elsewhere = client.get(
        f"/api/v1/streams/{stream_id}/recap?tz=Europe/Moscow", headers=tokens.headers("host")
    )
    assert elsewhere.json["segments"][0]["from_local"].endswith("+03:00")
    csv_response = client.get(f"/api/v1/streams/{stream_id}/recap.csv", headers=tokens.headers("editor"))
    assert csv_response.mimetype == "text/csv"
    assert csv_response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, so Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(csv_response.data.decode("utf-8-sig"))))
    assert [r["sku"] for r in rows] == ["LIVE-000", "LIVE-002"]
    assert rows[0]["clip_start"].startswith("0:00:")
    assert set(rows[0]) >= {"number", "from_local", "to_local", "clip_start", "clip_end", "duration_seconds"}


def test_the_recap_needs_staff_and_a_known_zone(client: FlaskClient, tokens: Tokens) -> None:
    stream_id = schedule(client, tokens).json["id"]
    assert client.get(f"/api/v1/streams/{stream_id}/recap").status_code == 401
    bad = client.get(f"/api/v1/streams/{stream_id}/recap?tz=Mars/Base", headers=tokens.headers("host"))
    assert bad.status_code == 422 and "Mars/Base" in bad.json["detail"]


def test_a_kazakh_latin_audience_reads_the_card_in_latin(client: FlaskClient, tokens: Tokens) -> None:
    set_rate(client, tokens)
    content = {"zh": {"name": "面粉"}, "kk": {"name": "Бидай ұны", "highlights": ["Жоғары сұрып"]}}
    product_id = add_product(client, tokens, "KZ-LATN-01", content=content)
    stream_id = schedule(client, tokens, locales=["kk-Latn", "zh"], title="Кешкі эфир").json["id"]
    put_lineup(client, tokens, stream_id, {"product_ids": [product_id]})
    client.post(f"/api/v1/streams/{stream_id}/start", headers=tokens.headers("host"))
    card = move(client, tokens, stream_id, "next").json["card"]
    assert card["locales"]["kk-Latn"]["name"] == "Bidai ūny"
    assert card["locales"]["kk-Latn"]["highlights"] == ["Joğary sūryp"]
    assert card["locales"]["zh"]["name"] == "面粉"
    listed = client.get("/api/v1/streams?tz=Asia/Almaty&locale=kk-Latn").json["items"][0]
    assert listed["title"] == "Keşkı efir"
