"""The bulk review page: drafts with their checks, the author's own texts, stale pages and the fit calls."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from catalog.models import Role
from tests.web.conftest import add_product
from tests.web.conftest import add_staff
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in
from tests.web.test_translator_pages import _etag


def _draft(client: FlaskClient, product_id: int, name: str) -> None:
    url = f"/translate/{product_id}/kk"
    page = client.get(url).get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page),
        "etag": _etag(page),
        "name": name,
        "description": "Ұн.",
        "highlights": "Бірінші сорт",
    }
    assert client.post(url, data={**form, "then": "stay"}).status_code == 302


def _entry_etag(page: str, product_id: int) -> str:
    found = re.search(rf'id="entry-{product_id}"[^>]*data-etag="([^"]+)"', page, re.S)
    assert found, f"no entry for product {product_id}"
    return found.group(1).replace("&#34;", '"')


def test_reviewers_see_checks_and_authors_cannot_approve_their_own_text(
    app: Flask, client: FlaskClient
) -> None:
    first, second = (
        add_product(app, sku="REV-001", barcode=None),
        add_product(app, sku="REV-002", barcode=None),
    )
    add_staff(app, "dana", Role.TRANSLATOR, locales=["kk"])
    add_staff(app, "aruzhan", Role.TRANSLATOR, locales=["kk"])
    sign_in(client, "dana")
    _draft(client, first, "Қазaқстан ұны")  # a Latin "a"
    colleague = app.test_client()
    sign_in(colleague, "aruzhan")
    _draft(colleague, second, "Қазақстан ұны")

    page = client.get("/translate/review?locale=kk").get_data(as_text=True)
    assert page.count('class="review-entry"') == 2
    own = page[page.index(f'id="entry-{first}"') : page.index(f'id="entry-{second}"')]
    assert 'data-own="true"' in own and 'data-action="approve"' not in own
    assert 'data-check="mixed-script"' in own and 'data-errors="1"' in own
    token = csrf_token(page)
    headers = {"X-CSRFToken": token}
    url = f"/translate/review/{first}/kk/approve"
    refused = client.post(url, json={"etag": _entry_etag(page, first)}, headers=headers)
    assert refused.status_code == 403 and "cannot review" in refused.json["detail"]
    stale = client.post(f"/translate/review/{second}/kk/approve", json={"etag": '"old"'}, headers=headers)
    assert stale.status_code == 412 and "reload the page" in stale.json["detail"]
    sent_back = client.post(
        f"/translate/review/{second}/kk/reject",
        json={"etag": _entry_etag(page, second), "note": "Тексеріңіз"},
        headers=headers,
    )
    assert sent_back.status_code == 200 and sent_back.json["state"] == "draft"
    editor = colleague.get(f"/translate/{second}/kk").get_data(as_text=True)
    assert 'id="sent-back"' in editor and "Тексеріңіз" in editor
    no_note = client.post(
        f"/translate/review/{second}/kk/reject",
        json={"etag": _entry_etag(page, second), "note": ""},
        headers=headers,
    )
    assert no_note.status_code == 422
    approved = client.post(
        f"/translate/review/{second}/kk/approve", json={"etag": _entry_etag(page, second)}, headers=headers
    )
    assert approved.status_code == 200 and approved.json["state"] == "reviewed"
    again = client.post(
        f"/translate/review/{second}/kk/approve", json={"etag": _entry_etag(page, second)}, headers=headers
    )
    assert again.status_code == 412  # the page is older than the approval
    after = client.get("/translate/review?locale=kk").get_data(as_text=True)
    assert f'id="entry-{second}"' not in after and f'id="entry-{first}"' in after


def test_the_editor_asks_whether_the_draft_fits_the_card(app: Flask, client: FlaskClient) -> None:
    product_id = add_product(app, barcode=None)
    add_staff(app, "dana", Role.TRANSLATOR, locales=["kk"])
    sign_in(client, "dana")
    page = client.get(f"/translate/{product_id}/kk").get_data(as_text=True)
    headers = {"X-CSRFToken": csrf_token(page)}
    fits = client.post(f"/translate/{product_id}/kk/fit", json={"name": "Ұн"}, headers=headers)
    assert fits.status_code == 200 and fits.json["fits"] is True
    long_name = "Шығыс Қазақстан облысының таулы аймақтарында жиналған табиғи таза ақ бал " * 2
    cut = client.post(f"/translate/{product_id}/kk/fit", json={"name": long_name}, headers=headers)
    assert cut.json["fits"] is False and {w["field"] for w in cut.json["warnings"]} == {"name"}
    preview = client.post(
        f"/translate/{product_id}/kk/fit.png?layout=portrait", json={"name": long_name}, headers=headers
    )
    assert preview.status_code == 200 and preview.data[:8] == b"\x89PNG\r\n\x1a\n"
    without_token = client.post(f"/translate/{product_id}/kk/fit", json={"name": "Ұн"})
    assert without_token.status_code == 400
    unknown = client.post("/translate/999/kk/fit", json={"name": "Ұн"}, headers=headers)
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
    other_language = client.post(f"/translate/{product_id}/ru/fit", json={"name": "Мука"}, headers=headers)
    assert other_language.status_code == 403


def test_the_queue_page_filters_by_booth_show_and_failing_check(app: Flask, client: FlaskClient) -> None:
    mixed = add_product(app, sku="Q-MIXED", barcode=None)
    clean = add_product(app, sku="Q-CLEAN", barcode=None, booth=None)
    add_staff(app, "dana", Role.TRANSLATOR, locales=["kk"])
    sign_in(client, "dana")
    _draft(client, mixed, "Қазaқстан ұны")
    _draft(client, clean, "Қазақстан ұны")

    def listed(query: str) -> list[str]:
        page = client.get(f"/translate?locale=kk&{query}").get_data(as_text=True)
        return re.findall(r'<a href="/translate/\d+/kk">([\w-]+)</a>', page)

    assert listed("state=draft") == ["Q-MIXED", "Q-CLEAN"]
    assert listed("state=draft&check=mixed-script") == ["Q-MIXED"]
    assert listed("state=draft&booth=kazakhstan") == ["Q-MIXED"]
    assert listed("state=draft&stream=42") == []
    page = client.get("/translate?locale=kk&check=mixed-script&booth=kazakhstan").get_data(as_text=True)
    assert '<option value="mixed-script" selected>' in page and '<option value="kazakhstan" selected>' in page
    assert "check=mixed-script" in page[page.index('id="bulk-review-link"') - 300 :][:400]
