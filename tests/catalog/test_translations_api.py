"""Listing translations through HTTP: saving, states, review, history, glossary, queue, progress."""

from __future__ import annotations

import threading
import typing as t

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import AuditEntry
from catalog.models import ContentRevision
from catalog.models import OutboxEntry
from catalog.models import ProductContent
from catalog.models import Role
from catalog.models import Stream
from catalog.models import StreamMove
from catalog.models import utcnow
from catalog.services.translating import pack_hashes
from catalog.services.users import add_user
from tests.catalog.payloads import product
from tests.conftest import Tokens
from translations import ListingText
from translations import source_hashes

KK = {
    "name": "Қазақстан ұны",
    "description": "Нан пісіруге арналған жоғары сортты ұн.",
    "highlights": ["Бірінші сорт"],
}


def create(client: FlaskClient, tokens: Tokens, **changes: t.Any) -> dict[str, t.Any]:
    response = client.post("/api/v1/products", json=product(**changes), headers=tokens.headers("editor"))
    assert response.status_code == 201, response.json
    return t.cast(dict[str, t.Any], response.json)


def etag(client: FlaskClient, product_id: int) -> str:
    return client.get(f"/api/v1/products/{product_id}").headers["ETag"]


def put_text(
    client: FlaskClient,
    tokens: Tokens,
    product_id: int,
    locale: str = "kk",
    role: str = "translator_kk",
    **text: t.Any,
) -> t.Any:
    body = {**KK, **text}
    headers = tokens.headers(role, **{"If-Match": etag(client, product_id)})
    return client.put(f"/api/v1/products/{product_id}/content/{locale}", json=body, headers=headers)


def add_translator(app: Flask, name: str, locale: str) -> str:
    with app.app_context():
        session = get_session()
        _, token = add_user(session, name, Role.TRANSLATOR, [locale])
        session.commit()
    return token


def test_translator_saves_a_draft_made_from_the_current_source(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    made = create(client, tokens)
    response = put_text(client, tokens, made["id"])
    assert response.status_code == 200, response.json
    body = response.json
    assert response.headers["ETag"] == f'"product-{made["id"]}-v2"'
    assert body["translation"]["state"] == "draft"
    assert body["translation"]["fields"] == {"name": "draft", "description": "draft", "highlights": "draft"}
    assert body["translation"]["revision"] == 1
    assert body["translation"]["author"] == "translator_kk"
    assert body["product"]["content"]["kk"]["name"] == KK["name"]
    assert body["product"]["localized"]["name"] == KK["name"]
    assert body["warnings"] == []
    source = made["content"]["zh"]
    expected = source_hashes(ListingText(source["name"], source["description"], tuple(source["highlights"])))
    with app.app_context():
        session = get_session()
        row = session.scalar(sa.select(ProductContent).where(ProductContent.locale == "kk"))
        assert row is not None and row.source_hash == pack_hashes(expected) and row.state == "draft"
        actions = session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_type == "translation"))
        assert list(actions) == ["translation.save"]
    search = client.get("/api/v1/search?q=ұны&locale=kk").json
    assert [item["id"] for item in search["items"]] == [made["id"]]


def test_every_save_writes_an_outbox_entry(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    app.config["SEARCH_SYNC_AFTER_REQUEST"] = False
    made = create(client, tokens)
    put_text(client, tokens, made["id"])
    with app.app_context():
        entries = get_session().scalars(sa.select(OutboxEntry.product_id)).all()
    assert entries.count(made["id"]) == 2  # the creation and the translation


def test_translators_write_their_own_locales_only(client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens)
    response = put_text(client, tokens, made["id"], role="translator_ru")
    assert response.status_code == 403
    assert "You translate into ru" in response.json["detail"]
    assert put_text(client, tokens, made["id"], role="host").status_code == 403
    assert put_text(client, tokens, made["id"], role="editor").status_code == 200
    missing = client.put(
        f"/api/v1/products/{made['id']}/content/kk", json=KK, headers=tokens.headers("translator_kk")
    )
    assert missing.status_code == 428
    unknown = put_text(client, tokens, made["id"], locale="de", role="editor")
    assert unknown.status_code == 422 and "Unknown locale 'de'" in unknown.json["detail"]


def test_limits_and_placeholders_are_refused_field_by_field(client: FlaskClient, tokens: Tokens) -> None:
    made = create(
        client, tokens, content={"zh": {"name": "面粉 <b>特价</b>", "description": "满%(qty)s袋包邮"}}
    )
    response = put_text(client, tokens, made["id"], name="Ұн " * 80, description="Тегін жеткізу")
    assert response.status_code == 422
    errors = [(e["field"], e["message"]) for e in response.json["errors"]]
    assert ("name", "is 239 characters long; at most 200 are allowed") in errors
    assert (
        "name",
        "placeholders or markup differ from the source; missing from the translation: </b>, <b>",
    ) in errors
    assert (
        "description",
        "placeholders or markup differ from the source; missing from the translation: %(qty)s",
    ) in errors
    unknown = put_text(client, tokens, made["id"], colour="red")
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "colour"


def test_second_translator_gets_412_with_the_current_text(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    made = create(client, tokens)
    second = add_translator(app, "dana", "kk")
    stale_tag = etag(client, made["id"])
    url = f"/api/v1/products/{made['id']}/content/kk"
    first = client.put(url, json=KK, headers=tokens.headers("translator_kk", **{"If-Match": stale_tag}))
    assert first.status_code == 200
    theirs = {**KK, "name": "Ұн (Қазақстан)"}
    headers = {"Authorization": f"Bearer {second}", "If-Match": stale_tag}
    conflict = client.put(url, json=theirs, headers=headers)
    assert conflict.status_code == 412
    assert conflict.json["current"]["text"]["name"] == KK["name"]
    assert conflict.json["current"]["author"] == "translator_kk"
    assert conflict.json["current_etag"] == first.headers["ETag"]
    retry = client.put(url, json=theirs, headers={**headers, "If-Match": conflict.json["current_etag"]})
    assert retry.status_code == 200
    history = client.get(url + "/history", headers=tokens.headers("editor")).json["items"]
    assert [(h["revision"], h["author"], h["name"]) for h in history] == [
        (2, "dana", "Ұн (Қазақстан)"),
        (1, "translator_kk", KK["name"]),
    ]


def test_source_change_makes_a_translation_stale_but_visible(client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens)
    put_text(client, tokens, made["id"])
    new_zh = {**made["content"]["zh"], "description": "高筋小麦粉，适合做面包和面条。"}
    patched = client.patch(
        f"/api/v1/products/{made['id']}",
        json={"content": {"zh": new_zh}},
        headers=tokens.headers("editor", **{"If-Match": etag(client, made["id"])}),
    )
    assert patched.status_code == 200, patched.json
    body = client.get(
        f"/api/v1/products/{made['id']}/content/kk", headers=tokens.headers("translator_kk")
    ).json
    assert body["state"] == "stale"
    assert body["fields"] == {"name": "draft", "description": "stale", "highlights": "draft"}
    assert body["source_diff"]["description"]["html"] == "高筋小麦粉，适合做面包<ins>和面条</ins>。"
    assert body["text"]["name"] == KK["name"]
    viewer = client.get(f"/api/v1/products/{made['id']}?locale=kk").json
    assert viewer["localized"]["name"] == KK["name"] and viewer["localized"]["fallback_from"] is None
    queue = client.get("/api/v1/translations/queue?locale=kk", headers=tokens.headers("translator_kk")).json
    assert queue["items"][0]["state"] == "stale"
    assert "<ins>和面条</ins>" in queue["items"][0]["source_diff"]["description"]["html"]
    saved = put_text(client, tokens, made["id"])
    assert saved.json["translation"]["state"] == "draft"


def test_review_by_another_person_only(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens)
    put_text(client, tokens, made["id"])
    url = f"/api/v1/products/{made['id']}/content/kk/review"
    own = client.post(url, headers=tokens.headers("translator_kk"))
    assert own.status_code == 403
    assert "You wrote revision 1 of this text, so you cannot review it" in own.json["detail"]
    assert client.post(url, headers=tokens.headers("translator_ru")).status_code == 403
    wrong = client.post(url, json={"revision": 7}, headers=tokens.headers("editor"))
    assert wrong.status_code == 409 and wrong.json["current_revision"] == 1
    colleague = add_translator(app, "dana", "kk")
    reviewed = client.post(
        url, json={"revision": 1, "note": "Жақсы"}, headers={"Authorization": f"Bearer {colleague}"}
    )
    assert reviewed.status_code == 200, reviewed.json
    assert reviewed.json["state"] == "reviewed" and reviewed.json["reviewed_by"] == "dana"
    again = client.post(url, headers=tokens.headers("editor"))
    assert again.status_code == 409 and "reviewed already" in again.json["detail"]
    source = client.post(f"/api/v1/products/{made['id']}/content/zh/review", headers=tokens.headers("editor"))
    assert source.status_code == 409


def test_a_locale_can_stay_hidden_until_reviewed(client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens)
    response = put_text(client, tokens, made["id"], hidden_until_reviewed=True)
    assert response.json["translation"]["hidden_until_reviewed"] is True
    viewer = client.get(f"/api/v1/products/{made['id']}?locale=kk").json
    assert viewer["status"] == "published"
    assert viewer["localized"]["fallback_from"] == "ru"
    assert client.get("/api/v1/search?q=ұны&locale=kk").json["items"] == []
    reviewed = client.post(
        f"/api/v1/products/{made['id']}/content/kk/review", headers=tokens.headers("editor")
    )
    assert reviewed.json["hidden_until_reviewed"] is False
    viewer = client.get(f"/api/v1/products/{made['id']}?locale=kk").json
    assert viewer["localized"]["name"] == KK["name"]
    refused = put_text(client, tokens, made["id"], locale="zh", role="editor", hidden_until_reviewed=True)
    assert refused.status_code == 422


def test_history_and_revert(client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens)
    for name in ("Ұн 1", "Ұн 2", "Ұн 3"):
        assert put_text(client, tokens, made["id"], name=name).status_code == 200
    url = f"/api/v1/products/{made['id']}/content/kk"
    page = client.get(url + "/history?limit=2", headers=tokens.headers("translator_ru")).json
    assert [item["name"] for item in page["items"]] == ["Ұн 3", "Ұн 2"]
    rest = client.get(
        url + f"/history?limit=2&cursor={page['next_cursor']}", headers=tokens.headers("editor")
    ).json
    assert [item["name"] for item in rest["items"]] == ["Ұн 1"] and rest["next_cursor"] is None
    assert (
        client.post(url + "/revert", json={"revision": 1}, headers=tokens.headers("editor")).status_code
        == 428
    )
    headers = tokens.headers("editor", **{"If-Match": etag(client, made["id"])})
    reverted = client.post(url + "/revert", json={"revision": 1}, headers=headers)
    assert reverted.status_code == 200, reverted.json
    assert reverted.json["translation"]["text"]["name"] == "Ұн 1"
    assert reverted.json["translation"]["revision"] == 4
    assert reverted.json["translation"]["author"] == "editor"
    own = client.post(url + "/review", headers=tokens.headers("translator_kk"))
    assert own.status_code == 403  # the restored text is still theirs
    latest = client.get(url + "/history", headers=tokens.headers("editor")).json["items"][0]
    assert (latest["action"], latest["reverted_from"]) == ("revert", 1)
    headers = tokens.headers("translator_kk", **{"If-Match": etag(client, made["id"])})
    assert client.post(url + "/revert", json={"revision": 9}, headers=headers).status_code == 404


def test_glossary_warns_and_never_blocks(client: FlaskClient, tokens: Tokens) -> None:
    made = create(
        client, tokens, brand="Tianshan", content={"zh": {"name": "Tianshan 保税区 面粉", "description": ""}}
    )
    url = "/api/v1/translations/glossary/kk"
    current = client.get(url, headers=tokens.headers("translator_kk"))
    assert current.json == {"locale": "kk", "version": 0, "terms": []}
    terms = {"terms": [{"source": "保税区", "target": "кеден аймағы", "note": "fixed term"}]}
    assert client.put(url, json=terms, headers=tokens.headers("translator_kk")).status_code == 403
    saved = client.put(
        url, json=terms, headers=tokens.headers("editor", **{"If-Match": current.headers["ETag"]})
    )
    assert saved.status_code == 200 and saved.json["version"] == 1
    stale = client.put(
        url, json=terms, headers=tokens.headers("editor", **{"If-Match": current.headers["ETag"]})
    )
    assert stale.status_code == 412
    twice = {"terms": [{"source": "Tea"}, {"source": "tea"}]}
    duplicate = client.put(
        url, json=twice, headers=tokens.headers("editor", **{"If-Match": saved.headers["ETag"]})
    )
    assert duplicate.status_code == 422 and duplicate.json["errors"][0]["field"] == "terms.1.source"
    response = put_text(client, tokens, made["id"], name="Тяньшань ұны", description="", highlights=[])
    assert response.status_code == 200
    messages = sorted(w["message"] for w in response.json["warnings"])
    assert messages == ["keep 'Tianshan' as is in the translation", "translate '保税区' as 'кеден аймағы'"]
    good = put_text(
        client, tokens, made["id"], name="Tianshan кеден аймағындағы ұн", description="", highlights=[]
    )
    assert good.json["warnings"] == []


def _put_on_air(app: Flask, product_id: int, times: int) -> None:
    with app.app_context():
        session = get_session()
        stream = Stream(
            title={"zh": "直播"}, starts_at=utcnow(), duration_minutes=60, time_zone="Asia/Almaty"
        )
        session.add(stream)
        session.flush()
        for position in range(times):
            session.add(
                StreamMove(stream_id=stream.id, action="goto", position=position, product_id=product_id)
            )
        session.commit()


def test_queue_puts_stale_and_missing_first_then_what_is_on_air(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    ids = {}
    for sku, category in (
        ("A-STALE", "food.flour"),
        ("B-MISS", "food.tea"),
        ("C-MISS", "food.tea"),
        ("D-DRAFT", "food.tea"),
    ):
        ids[sku] = create(client, tokens, sku=sku, category=category, barcode=None)["id"]
    put_text(client, tokens, ids["A-STALE"])
    put_text(client, tokens, ids["D-DRAFT"])
    client.patch(
        f"/api/v1/products/{ids['A-STALE']}",
        json={"content": {"zh": {"name": "哈萨克斯坦面粉 2 kg"}}},
        headers=tokens.headers("editor", **{"If-Match": etag(client, ids["A-STALE"])}),
    )
    _put_on_air(app, ids["C-MISS"], 3)
    headers = tokens.headers("translator_kk")
    order = [
        i["sku"] for i in client.get("/api/v1/translations/queue?locale=kk", headers=headers).json["items"]
    ]
    assert order == ["A-STALE", "C-MISS", "B-MISS", "D-DRAFT"]
    walked, cursor = [], None
    while True:
        url = "/api/v1/translations/queue?locale=kk&limit=1" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=headers).json
        walked += [i["sku"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == order
    drafts = client.get("/api/v1/translations/queue?locale=kk&state=draft", headers=headers).json["items"]
    assert [i["sku"] for i in drafts] == ["D-DRAFT"]
    tea = client.get("/api/v1/translations/queue?locale=kk&category=food.tea", headers=headers).json["items"]
    assert [i["sku"] for i in tea] == ["C-MISS", "B-MISS", "D-DRAFT"]
    assert [i["shown_on_air"] for i in tea] == [3, 0, 0]
    bad = client.get("/api/v1/translations/queue?locale=kk&state=done", headers=headers)
    assert bad.status_code == 422 and "Unknown state 'done'" in bad.json["errors"][0]["message"]
    first = client.get("/api/v1/translations/queue?locale=kk&limit=1", headers=headers).json["next_cursor"]
    foreign = client.get(f"/api/v1/translations/queue?locale=ru&cursor={first}", headers=headers)
    assert foreign.status_code == 400 and "other filters" in foreign.json["detail"]


def test_progress_counts_per_locale_and_category(client: FlaskClient, tokens: Tokens) -> None:
    first = create(client, tokens, sku="P-ONE", barcode=None)
    create(client, tokens, sku="P-TWO", barcode=None, category="food.tea")
    put_text(client, tokens, first["id"])
    client.post(f"/api/v1/products/{first['id']}/content/kk/review", headers=tokens.headers("editor"))
    body = client.get("/api/v1/translations/progress", headers=tokens.headers("translator_kk")).json
    assert body["locales"]["kk"] == {
        "missing": 1, "stale": 0, "draft": 0, "reviewed": 1, "total": 2, "translated_share": 0.5,
    }  # fmt: skip
    assert body["locales"]["ru"]["missing"] == 2  # their Russian texts lack the highlights
    assert body["locales"]["zh"]["total"] == 0  # the source locale needs no translation
    tea = next(c for c in body["categories"] if c["category"] == "food.tea")
    assert tea["locales"]["kk"]["missing"] == 1
    assert client.get("/api/v1/translations/progress").status_code == 401


def test_editing_the_source_through_this_api_makes_translations_stale(
    client: FlaskClient, tokens: Tokens
) -> None:
    made = create(client, tokens)
    put_text(client, tokens, made["id"])
    source = {
        "name": "哈萨克斯坦面粉 1 kg",
        "description": made["content"]["zh"]["description"],
        "highlights": ["一级面粉"],
    }
    assert (
        put_text(client, tokens, made["id"], locale="zh", role="translator_kk", **source).status_code == 403
    )
    response = put_text(client, tokens, made["id"], locale="zh", role="editor", **source)
    assert response.status_code == 200, response.json
    assert response.json["translation"]["state"] == "source"
    kk = client.get(f"/api/v1/products/{made['id']}/content/kk", headers=tokens.headers("editor")).json
    assert kk["fields"]["name"] == "stale"
    assert kk["source_diff"]["name"]["html"] == "哈萨克斯坦面粉<ins> 1 kg</ins>"


def test_every_change_leaves_an_audit_entry(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    made = create(client, tokens)
    put_text(client, tokens, made["id"])
    put_text(client, tokens, made["id"], name="Ұн")
    client.post(f"/api/v1/products/{made['id']}/content/kk/review", headers=tokens.headers("editor"))
    client.post(
        f"/api/v1/products/{made['id']}/content/kk/revert",
        json={"revision": 1},
        headers=tokens.headers("editor", **{"If-Match": etag(client, made["id"])}),
    )
    glossary = client.get("/api/v1/translations/glossary/kk", headers=tokens.headers("editor"))
    client.put(
        "/api/v1/translations/glossary/kk",
        json={"terms": [{"source": "保税区", "target": "кеден аймағы"}]},
        headers=tokens.headers("editor", **{"If-Match": glossary.headers["ETag"]}),
    )
    with app.app_context():
        rows = (
            get_session()
            .execute(
                sa.select(AuditEntry.action, AuditEntry.entity_id, AuditEntry.changes)
                .where(AuditEntry.entity_type.in_(["translation", "glossary"]))
                .order_by(AuditEntry.id)
            )
            .all()
        )
    assert [(action, entity) for action, entity, _ in rows] == [
        ("translation.save", f"{made['id']}/kk"),
        ("translation.save", f"{made['id']}/kk"),
        ("translation.review", f"{made['id']}/kk"),
        ("translation.revert", f"{made['id']}/kk"),
        ("glossary.update", "kk"),
    ]
    assert rows[1][2]["name"] == [KK["name"], "Ұн"]
    assert rows[4][2] == {"保税区": [None, "кеден аймағы"]}


def test_texts_from_before_revisions_stay_stale_until_a_translator_confirms(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    made = create(client, tokens)
    assert (
        client.get(f"/api/v1/products/{made['id']}/content/ru", headers=tokens.headers("editor")).json[
            "fields"
        ]["name"]
        == "draft"
    )
    with app.app_context():  # as a database migrated from before revisions were kept holds it
        session = get_session()
        session.execute(sa.delete(ContentRevision).where(ContentRevision.locale == "ru"))
        session.execute(
            sa.update(ProductContent).where(ProductContent.locale == "ru").values(source_hash=None)
        )
        session.commit()
    resent = {"content": {"ru": made["content"]["ru"]}}
    headers = tokens.headers("editor", **{"If-Match": etag(client, made["id"])})
    assert client.patch(f"/api/v1/products/{made['id']}", json=resent, headers=headers).status_code == 200
    ru = client.get(f"/api/v1/products/{made['id']}/content/ru", headers=tokens.headers("editor")).json
    assert ru["state"] == "stale" and ru["source_diff"] is None
    with app.app_context():  # and one never touched since has no revision at all
        session = get_session()
        session.execute(sa.delete(ContentRevision).where(ContentRevision.locale == "ru"))
        session.commit()
    review = client.post(f"/api/v1/products/{made['id']}/content/ru/review", headers=tokens.headers("admin"))
    assert review.status_code == 409 and "save it once" in review.json["detail"]
    changed = {"content": {"ru": {**made["content"]["ru"], "name": "Мука казахстанская"}}}
    headers = tokens.headers("editor", **{"If-Match": etag(client, made["id"])})
    assert client.patch(f"/api/v1/products/{made['id']}", json=changed, headers=headers).status_code == 200
    ru = client.get(f"/api/v1/products/{made['id']}/content/ru", headers=tokens.headers("editor")).json
    assert ru["fields"]["name"] == "draft"


def test_two_translators_saving_at_once_never_lose_a_text(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    made = create(client, tokens)
    second = add_translator(app, "dana", "kk")
    tag = etag(client, made["id"])
    url = f"/api/v1/products/{made['id']}/content/kk"
    writers = {"translator_kk": f"Bearer {tokens['translator_kk']}", "dana": f"Bearer {second}"}
    start = threading.Barrier(len(writers))
    answers: dict[str, t.Any] = {}

    def save(name: str) -> None:
        own_client = app.test_client()
        start.wait()
        response = own_client.put(
            url,
            json={**KK, "name": f"Ұн ({name})"},
            headers={"Authorization": writers[name], "If-Match": tag},
        )
        answers[name] = (response.status_code, response.json)

    threads = [threading.Thread(target=save, args=(name,)) for name in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [200, 412]
    winner = next(name for name, (status, _) in answers.items() if status == 200)
    loser = next(name for name, (status, _) in answers.items() if status == 412)
    assert answers[loser][1]["current"]["text"]["name"] == f"Ұн ({winner})"
    history = client.get(url + "/history", headers=tokens.headers("editor")).json["items"]
    assert [(h["author"], h["name"]) for h in history] == [(winner, f"Ұн ({winner})")]
