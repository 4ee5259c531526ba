"""The translator page shows the failed quality checks, and reviewers see them before approving."""

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


def test_a_draft_with_problems_is_saved_and_the_reviewer_sees_its_checks(
    app: Flask, client: FlaskClient
) -> None:
    product_id = add_product(app)
    add_staff(app, "dana", Role.TRANSLATOR, locales=["kk"])
    add_staff(app, "olga", Role.EDITOR)
    sign_in(client, "dana")
    url = f"/translate/{product_id}/kk"
    page = client.get(url).get_data(as_text=True)
    assert 'id="checks-pass"' in page  # nothing written, nothing failing
    form = {
        "csrf_token": csrf_token(page),
        "etag": _etag(page),
        "name": "Қазaқстан ұны (жоғары сорт",  # a Latin a, a bracket left open
        "description": "Бидай  ұны.",
        "highlights": "Бірінші сорт",
    }
    assert client.post(url, data={**form, "then": "stay"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'class="state state-draft"' in page
    reviewer = client.application.test_client()
    sign_in(reviewer, "olga")
    page = reviewer.get(url).get_data(as_text=True)
    checks = re.findall(r'<li class="check check-(\w+)" data-field="([\w.]+)" data-check="([\w-]+)">', page)
    assert sorted(checks) == [
        ("error", "name", "brackets"),
        ("error", "name", "mixed-script"),
        ("warning", "description", "spaces"),
    ]
    assert 'data-errors="2" data-warnings="1"' in page
    assert '<q lang="kk" class="check-suggestion">Бидай ұны.</q>' in page
    assert '<q lang="kk" class="check-suggestion">Қазақстан</q>' in page
    notice = page.index('id="review-checks-notice"')
    assert page.index('id="quality-checks"') < notice < page.index('id="review-form"') + 400
    assert "This text fails 2 error checks" in page
