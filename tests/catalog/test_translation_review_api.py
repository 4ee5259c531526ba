"""Sending a text back with a comment, and the queue filtered by booth, show and failing check."""

from __future__ import annotations

import typing as t

from flask import Flask
from flask.testing import FlaskClient

from tests.catalog.test_streams_helpers import STREAM
from tests.catalog.test_translations_api import add_translator
from tests.catalog.test_translations_api import create
from tests.catalog.test_translations_api import etag
from tests.catalog.test_translations_api import put_text
from tests.conftest import Tokens

CLEAN = {"name": "Қазақстан ұны", "description": "Жоғары сортты ұн.", "highlights": ["Бірінші сорт"]}
MIXED = {**CLEAN, "name": "Қазақстан ұнa"}  # a Latin "a" ends the last word


def _queue(client: FlaskClient, tokens: Tokens, query: str) -> t.Any:
    return client.get(
        f"/api/v1/translations/queue?locale=kk&{query}", headers=tokens.headers("translator_kk")
    )


def _skus(response: t.Any) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["sku"] for item in response.json["items"]]


def _show(client: FlaskClient, tokens: Tokens, product_ids: list[int]) -> int:
    made = client.post("/api/v1/streams", json=STREAM, headers=tokens.headers("host"))
    assert made.status_code == 201, made.json
    stream_id = int(made.json["id"])
    lineup = client.put(
        f"/api/v1/streams/{stream_id}/lineup",
        json={"product_ids": product_ids},
        headers=tokens.headers("host", **{"If-Match": made.headers["ETag"]}),
    )
    assert lineup.status_code == 200, lineup.json
    return stream_id


def test_the_queue_filters_by_booth_show_and_failing_check(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    ids = {
        sku: create(client, tokens, sku=sku, barcode=None, booth=booth)["id"]
        for sku, booth in (
            ("A-KZ", "kazakhstan"),
            ("B-NONE", None),
            ("C-KZ", "kazakhstan"),
            ("D-KZ", "kazakhstan"),
        )
    }
    for sku, text in (("A-KZ", MIXED), ("B-NONE", CLEAN), ("C-KZ", MIXED)):
        assert put_text(client, tokens, ids[sku], **text).status_code == 200
    friday = _show(client, tokens, [ids["A-KZ"], ids["B-NONE"]])

    assert _skus(_queue(client, tokens, "booth=kazakhstan")) == ["D-KZ", "A-KZ", "C-KZ"]
    assert _skus(_queue(client, tokens, f"stream={friday}")) == ["A-KZ", "B-NONE"]
    colleague = add_translator(app, "aigerim", "kk")
    reviewed = client.post(
        f"/api/v1/products/{ids['B-NONE']}/content/kk/review",
        headers={"Authorization": f"Bearer {colleague}"},
    )
    assert reviewed.status_code == 200, reviewed.json
    assert _skus(_queue(client, tokens, f"stream={friday}")) == ["A-KZ"]  # not reviewed in kk
    assert _skus(_queue(client, tokens, f"stream={friday}&state=reviewed")) == ["B-NONE"]
    assert _skus(_queue(client, tokens, "check=mixed-script")) == ["A-KZ", "C-KZ"]
    assert _skus(_queue(client, tokens, "check=mixed-script&booth=kazakhstan&stream=" + str(friday))) == [
        "A-KZ"
    ]
    assert _skus(_queue(client, tokens, "check=numbers")) == []

    walked, cursor = [], None
    while True:
        page = _queue(client, tokens, "check=mixed-script&limit=1" + (f"&cursor={cursor}" if cursor else ""))
        walked += _skus(page)
        cursor = page.json["next_cursor"]
        if cursor is None:
            break
    assert walked == ["A-KZ", "C-KZ"]
    other = _queue(
        client, tokens, f"check=spaces&limit=1&cursor={_queue(client, tokens, 'limit=1').json['next_cursor']}"
    )
    assert other.status_code == 400 and "other filters" in other.json["detail"]


def test_bad_queue_filters_are_problems(client: FlaskClient, tokens: Tokens) -> None:
    unknown_show = _queue(client, tokens, "stream=999")
    assert unknown_show.status_code == 404 and "999" in unknown_show.json["detail"]
    for query, field in (("check=spelling", "check"), ("stream=friday", "stream"), ("stream=0", "stream")):
        response = _queue(client, tokens, query)
        assert response.status_code == 422, (query, response.json)
        assert response.json["errors"][0]["field"] == field


def _reject(client: FlaskClient, headers: dict[str, str], product_id: int, body: t.Any) -> t.Any:
    return client.post(f"/api/v1/products/{product_id}/content/kk/reject", json=body, headers=headers)


def test_a_reviewer_sends_a_draft_back_with_a_comment_and_may_approve_it_later(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    product_id = create(client, tokens)["id"]
    saved = put_text(client, tokens, product_id, **MIXED)
    assert saved.status_code == 200, saved.json
    revision = saved.json["translation"]["revision"]

    own = _reject(client, tokens.headers("translator_kk"), product_id, {"note": "Мен өзім"})
    assert own.status_code == 403 and "cannot review" in own.json["detail"]
    other_locale = _reject(client, tokens.headers("translator_ru"), product_id, {"note": "Нет"})
    assert other_locale.status_code == 403
    empty = _reject(client, tokens.headers("editor"), product_id, {"note": "  "})
    assert empty.status_code == 422 and empty.json["errors"][0]["field"] == "note"
    stale = _reject(
        client, tokens.headers("editor", **{"If-Match": '"old"'}), product_id, {"note": "Латын a"}
    )
    assert stale.status_code == 412
    moved_on = _reject(
        client, tokens.headers("editor"), product_id, {"note": "Латын a", "revision": revision + 1}
    )
    assert moved_on.status_code == 409

    before = etag(client, product_id)
    sent_back = _reject(
        client, tokens.headers("editor", **{"If-Match": before}), product_id, {"note": "«ұнa»: латын a"}
    )
    assert sent_back.status_code == 200, sent_back.json
    assert sent_back.json["translation"]["state"] == "draft"
    rejection = sent_back.json["rejection"]
    assert (rejection["revision"], rejection["note"], rejection["reviewer"]) == (
        revision,
        "«ұнa»: латын a",
        "editor",
    )
    assert sent_back.headers["ETag"] == before  # the text did not change

    approved = client.post(
        f"/api/v1/products/{product_id}/content/kk/review", headers=tokens.headers("editor")
    )
    assert approved.status_code == 200 and approved.json["state"] == "reviewed"
    again = _reject(client, tokens.headers("editor"), product_id, {"note": "Кеш"})
    assert again.status_code == 409 and "reviewed already" in again.json["detail"]
