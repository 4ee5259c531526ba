"""Go-live readiness: texts, pictures, card fit, stock and rates per run-sheet item; a blocked start."""

from __future__ import annotations

import datetime as dt
import typing as t

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.models import AuditEntry
from catalog.models import User
from tests.catalog.test_images_api import upload
from tests.catalog.test_streams_helpers import add_product
from tests.catalog.test_streams_helpers import put_lineup
from tests.catalog.test_streams_helpers import schedule
from tests.catalog.test_translations_api import add_translator
from tests.catalog.test_translations_api import put_text
from tests.conftest import CORPUS
from tests.conftest import Tokens


def set_rate(client: FlaskClient, tokens: Tokens, currency: str, days_old: float) -> None:
    as_of = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_old)).isoformat()
    response = client.put(
        f"/api/v1/rates/{currency}", headers=tokens.headers("admin"), json={"per_cny": "74", "as_of": as_of}
    )
    assert response.status_code in (200, 201), response.json


def stream_of(client: FlaskClient, tokens: Tokens, items: list[dict[str, t.Any]], **changes: t.Any) -> int:
    stream_id = int(schedule(client, tokens, **changes).json["id"])
    assert put_lineup(client, tokens, stream_id, {"items": items}).status_code == 200
    return stream_id


def readiness(client: FlaskClient, tokens: Tokens, stream_id: int) -> dict[str, t.Any]:
    response = client.get(f"/api/v1/streams/{stream_id}/readiness", headers=tokens.headers("host"))
    assert response.status_code == 200, response.json
    return t.cast(dict[str, t.Any], response.json)


def codes(report: dict[str, t.Any], position: int = 1) -> dict[str, str]:
    """The reasons of one item as ``{code (locale/currency): level}``."""
    item = report["items"][position - 1]
    return {f"{r['code']}:{r.get('locale') or r.get('currency') or ''}": r["level"] for r in item["reasons"]}


def test_an_empty_run_sheet_has_no_readiness(client: FlaskClient, tokens: Tokens) -> None:
    stream_id = schedule(client, tokens).json["id"]
    response = client.get(f"/api/v1/streams/{stream_id}/readiness", headers=tokens.headers("host"))
    assert response.status_code == 409
    assert "empty run-sheet" in response.json["detail"]
    assert client.get("/api/v1/streams/999/readiness", headers=tokens.headers("host")).status_code == 404


def test_a_sold_out_product_blocks_the_start_until_forced(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    set_rate(client, tokens, "KZT", 0)
    ready = add_product(client, tokens, "READY-001")
    sold_out = add_product(client, tokens, "SOLD-001", stock=0)
    stream_id = stream_of(client, tokens, [{"product_id": ready}, {"product_id": sold_out}])
    report = readiness(client, tokens, stream_id)
    assert report["status"] == "blocked"
    assert [i["status"] for i in report["items"]] == ["warnings", "blocked"]
    assert codes(report, 2)["sold_out:"] == "blocked"
    assert "sold_out:" not in codes(report, 1)
    host = tokens.headers("host")
    refused = client.post(f"/api/v1/streams/{stream_id}/start", headers=host)
    assert refused.status_code == 409
    assert refused.json["readiness"]["items"][1]["sku"] == "SOLD-001"
    assert client.get(f"/api/v1/streams/{stream_id}").json["status"] == "scheduled"
    forced = client.post(f"/api/v1/streams/{stream_id}/start?force=true", headers=host)
    assert forced.status_code == 200, forced.json
    assert forced.json["status"] == "live"
    with app.app_context():
        session = get_session()
        entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "stream.start_forced"))
        assert entry is not None and entry.entity_id == str(stream_id)
        assert entry.changes["blocked"] == [None, ["SOLD-001"]]
        forced_by = session.get(User, entry.user_id)
        assert forced_by is not None and forced_by.name == "host"


def test_a_start_with_only_warnings_goes_live_and_is_not_recorded_as_forced(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    set_rate(client, tokens, "KZT", 0)
    stream_id = stream_of(client, tokens, [{"product_id": add_product(client, tokens, "WARN-001")}])
    assert readiness(client, tokens, stream_id)["status"] == "warnings"
    started = client.post(f"/api/v1/streams/{stream_id}/start", headers=tokens.headers("host"))
    assert started.status_code == 200
    with app.app_context():
        forced = get_session().scalar(sa.select(AuditEntry).where(AuditEntry.action == "stream.start_forced"))
        assert forced is None


def test_force_must_be_a_boolean(client: FlaskClient, tokens: Tokens) -> None:
    stream_id = schedule(client, tokens).json["id"]
    response = client.post(f"/api/v1/streams/{stream_id}/start?force=maybe", headers=tokens.headers("host"))
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "force"


def test_a_currency_without_a_rate_blocks_and_an_old_rate_warns(client: FlaskClient, tokens: Tokens) -> None:
    product_id = add_product(client, tokens, "RATE-001")
    stream_id = stream_of(client, tokens, [{"product_id": product_id}], currencies=["KZT", "USD", "CNY"])
    missing = codes(readiness(client, tokens, stream_id))
    assert missing["rate_missing:KZT"] == "blocked" and missing["rate_missing:USD"] == "blocked"
    set_rate(client, tokens, "KZT", 0)
    set_rate(client, tokens, "USD", 5)
    report = readiness(client, tokens, stream_id)
    found = codes(report)
    assert "rate_missing:KZT" not in found and "rate_old:KZT" not in found
    assert found["rate_old:USD"] == "warnings"
    assert report["status"] == "warnings"


@pytest.fixture
def app_config(app_config: dict[str, t.Any], request: pytest.FixtureRequest) -> dict[str, t.Any]:
    if request.node.name.startswith("test_the_rate_age_is_a_setting"):
        return {**app_config, "READINESS_RATE_MAX_AGE_HOURS": 24 * 30}
    return app_config


def test_the_rate_age_is_a_setting(client: FlaskClient, tokens: Tokens) -> None:
    set_rate(client, tokens, "KZT", 5)
    stream_id = stream_of(client, tokens, [{"product_id": add_product(client, tokens, "AGE-001")}])
    assert "rate_old:KZT" not in codes(readiness(client, tokens, stream_id))


def test_flash_quantity_above_stock_blocks(client: FlaskClient, tokens: Tokens) -> None:
    set_rate(client, tokens, "KZT", 0)
    product_id = add_product(client, tokens, "FLASH-001", stock=5)
    now = dt.datetime.now(dt.UTC)
    flash = {
        "amount": "1.00",
        "starts_at": (now + dt.timedelta(hours=1)).isoformat(),
        "ends_at": (now + dt.timedelta(hours=2)).isoformat(),
        "per_viewer_limit": 6,
    }
    stream_id = stream_of(client, tokens, [{"product_id": product_id, "flash": flash}])
    assert codes(readiness(client, tokens, stream_id))["stock_below_flash:"] == "blocked"


def test_texts_are_checked_in_every_locale_and_a_review_clears_the_warning(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    set_rate(client, tokens, "KZT", 0)
    product_id = add_product(client, tokens, "TEXT-001")
    stream_id = stream_of(client, tokens, [{"product_id": product_id}], locales=["zh", "kk"])
    before = codes(readiness(client, tokens, stream_id))
    assert before["text_missing:kk"] == "warnings"
    assert "text_missing:zh" not in before and "text_unreviewed:zh" not in before
    assert put_text(client, tokens, product_id).status_code == 200
    drafted = codes(readiness(client, tokens, stream_id))
    assert "text_missing:kk" not in drafted
    assert drafted["text_unreviewed:kk"] == "warnings"
    colleague = add_translator(app, "dana", "kk")
    reviewed = client.post(
        f"/api/v1/products/{product_id}/content/kk/review",
        json={"revision": 1},
        headers={"Authorization": f"Bearer {colleague}"},
    )
    assert reviewed.status_code == 200, reviewed.json
    assert "text_unreviewed:kk" not in codes(readiness(client, tokens, stream_id))


def test_a_picture_clears_its_warning(client: FlaskClient, tokens: Tokens) -> None:
    set_rate(client, tokens, "KZT", 0)
    product_id = add_product(client, tokens, "PIC-001")
    stream_id = stream_of(client, tokens, [{"product_id": product_id}], locales=["zh"])
    assert codes(readiness(client, tokens, stream_id))["no_picture:"] == "warnings"
    picture = (CORPUS / "images" / "accept" / "hopper.gif").read_bytes()
    assert upload(client, tokens, f"/api/v1/products/{product_id}", picture, "hopper.gif").status_code == 201
    report = readiness(client, tokens, stream_id)
    assert report["items"][0]["reasons"] == []
    assert report["status"] == "ready"


def test_a_name_too_long_for_the_card_warns_per_layout(client: FlaskClient, tokens: Tokens) -> None:
    set_rate(client, tokens, "KZT", 0)
    long_name = "Высокогорный дикий цветочный мёд с пасек Заилийского Алатау " * 6
    content = {
        "zh": {"name": "面粉", "description": "", "highlights": []},
        "ru": {"name": long_name[:200].strip(), "description": "", "highlights": []},
    }
    product_id = add_product(client, tokens, "LONG-001", content=content)
    stream_id = stream_of(client, tokens, [{"product_id": product_id}], locales=["zh", "ru"])
    item = readiness(client, tokens, stream_id)["items"][0]
    cut = {(r["locale"], r["layout"]) for r in item["reasons"] if r["code"] == "card_overflow"}
    assert cut == {("ru", "portrait"), ("ru", "landscape")}


def test_too_many_long_highlights_warn_and_short_ones_do_not(client: FlaskClient, tokens: Tokens) -> None:
    set_rate(client, tokens, "KZT", 0)
    long_points = [
        f"Пункт {i}: мягкая мука тонкого помола для лепёшек, лагмана и праздничной выпечки" for i in range(8)
    ]
    content = {
        "zh": {"name": "面粉", "description": "", "highlights": ["一级"]},
        "ru": {"name": "Мука", "description": "", "highlights": long_points},
    }
    product_id = add_product(client, tokens, "POINTS-001", content=content)
    stream_id = stream_of(client, tokens, [{"product_id": product_id}], locales=["zh", "ru"])
    item = readiness(client, tokens, stream_id)["items"][0]
    cut = {(r["locale"], r["layout"]) for r in item["reasons"] if r["code"] == "card_overflow"}
    assert ("ru", "landscape") in cut
    assert not any(locale == "zh" for locale, _ in cut)
    assert any("highlights" in r["message"] for r in item["reasons"] if r["code"] == "card_overflow")
