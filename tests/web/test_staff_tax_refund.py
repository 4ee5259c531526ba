"""Admins keep the tax refund rules on a staff page; bad input is shown on the page, never lost."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.models import Role
from tests.web.conftest import add_product
from tests.web.conftest import add_staff
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in

URL = "/staff/tax-refund"


def signed_in(app: Flask, client: FlaskClient, role: Role = Role.ADMIN) -> None:
    add_staff(app, "boss", role)
    assert sign_in(client, "boss").status_code in (302, 303)


def form(client: FlaskClient, **changes: t.Any) -> dict[str, t.Any]:
    page = client.get(URL).get_data(as_text=True)
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    data: dict[str, t.Any] = {
        "csrf_token": csrf_token(page),
        "version": version,
        "qualified_booths": ["kazakhstan"],
        "vat_class": ["13", "9", ""],
        "refund_percent": ["11", "8", ""],
        "effective_from": ["2025-04-01", "2025-04-01", ""],
        "min_spend_cny": "200.00",
        "cash_cap_cny": "20000.00",
    }
    data.update(changes)
    return data


def test_an_admin_qualifies_a_booth_and_sees_the_history(app: Flask, client: FlaskClient) -> None:
    add_product(app)
    signed_in(app, client)
    page = client.get(URL).get_data(as_text=True)
    assert 'value="kazakhstan"' in page and "200.00" in page and "No change yet." in page
    saved = client.post(URL, data=form(client, min_spend_cny="150"))
    assert saved.status_code == 303 or saved.status_code == 302
    page = client.get(URL).get_data(as_text=True)
    assert "The tax refund rules are saved." in page
    assert 'value="kazakhstan" checked' in page
    assert 'value="150.00"' in page
    assert "boss" in page and "min_spend_cny 200.00 → 150.00" in page
    assert client.get("/api/v1/tax-refund/rules").json["qualified_booths"] == ["kazakhstan"]


@pytest.mark.parametrize(
    "database_url", ["sqlite"], indirect=True
)  # refused before any write: one database shows it
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"refund_percent": ["25", "8", ""]}, "rates.0.refund_percent"),
        ({"min_spend_cny": "-1"}, "min_spend_cny"),
        ({"cash_cap_cny": "lots"}, "cash_cap_cny"),
        (
            {
                "vat_class": ["13", "9", "13"],
                "refund_percent": ["11", "8", "9"],
                "effective_from": ["2025-04-01", "2025-04-01", "2025-05-01"],
            },
            "rates.2.effective_from",
        ),
        ({"qualified_booths": ["atlantis"]}, "qualified_booths.0"),
    ],
    ids=[
        "rate above 20%",
        "threshold below 0",
        "cap not a number",
        "past rule over another",
        "unknown booth",
    ],
)
def test_bad_input_is_422_with_the_field_named_and_nothing_saved(
    app: Flask, client: FlaskClient, changes: dict[str, t.Any], field: str
) -> None:
    add_product(app)
    signed_in(app, client)
    before = client.get("/api/v1/tax-refund/rules").json
    response = client.post(URL, data=form(client, **changes))
    assert response.status_code == 422
    assert f'data-field="{field}"' in response.get_data(as_text=True)
    assert client.get("/api/v1/tax-refund/rules").json == before


def test_a_stale_form_is_409_and_saves_nothing(app: Flask, client: FlaskClient) -> None:
    add_product(app)
    signed_in(app, client)
    stale = form(client, min_spend_cny="100")
    assert client.post(URL, data=form(client, min_spend_cny="150")).status_code in (302, 303)
    response = client.post(URL, data=stale)
    assert response.status_code == 409
    assert "Someone else changed the rules meanwhile" in response.get_data(as_text=True)
    assert client.get("/api/v1/tax-refund/rules").json["min_spend_cny"] == "150.00"


def test_editors_may_not_change_the_rules(app: Flask, client: FlaskClient) -> None:
    signed_in(app, client, Role.EDITOR)
    assert client.get(URL).status_code == 403
