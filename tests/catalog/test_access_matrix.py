"""Every API operation against every role: who may, who gets 401, who gets 403.

The table is read from the operations' own declarations (the same ones that write the
OpenAPI document), so a new endpoint is covered the moment it is declared; the expected
statuses are spelled out below, role by role.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog.api.spec import Operation
from catalog.models import Role
from tests.conftest import Tokens

ROLES: dict[str, Role | None] = {
    "anonymous": None,
    "admin": Role.ADMIN,
    "editor": Role.EDITOR,
    "host": Role.HOST,
    "translator_kk": Role.TRANSLATOR,
    "translator_ru": Role.TRANSLATOR,
}
PARAMS = {"product_id": "1", "locale": "kk", "currency": "KZT", "stream_id": "1", "image_id": "1"}


def operations(app: Flask) -> list[tuple[str, str, Operation]]:
    found = []
    for rule in app.url_map.iter_rules():
        op = getattr(app.view_functions.get(rule.endpoint), "openapi", None)
        if op is None:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: PARAMS.get(m.group(1), "1"), rule.rule)
        if op.locale_bound and "<locale>" not in rule.rule:
            path += "?locale=kk"
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, path, op))
    return found


def expected(op: Operation, role_name: str) -> str:
    """``401``, ``403`` or ``allowed`` (anything but 401/403) for *role_name* calling *op*.

    Paths name the ``kk`` locale, so on locale-bound operations a translator of ``ru`` is refused.
    """
    role = ROLES[role_name]
    if op.roles is None and not op.any_user:
        return "allowed"
    if role is None:
        return "401"
    if op.roles and role not in op.roles:
        return "403"
    if op.locale_bound and role_name == "translator_ru":
        return "403"
    return "allowed"


def _matches(expectation: str, status: int) -> bool:
    if expectation == "allowed":
        return status not in (401, 403)
    return str(status) == expectation


def test_every_operation_against_every_role(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    editor = tokens.headers("editor")
    from tests.catalog.payloads import product

    assert client.post("/api/v1/products", json=product(), headers=editor).status_code == 201
    table: list[tuple[str, str, str, str, int]] = []
    for method, path, op in operations(app):
        if path.endswith("/events"):
            continue  # a stream that never ends; its access is tested with the streams
        for role_name, role in ROLES.items():
            headers = tokens.headers(role_name) if role else {}
            headers["If-Match"] = '"stale"'
            response = client.open(path, method=method, headers=headers, json={})
            table.append((method, path, role_name, expected(op, role_name), response.status_code))
    wrong = [row for row in table if not _matches(row[3], row[4])]
    assert not wrong, "\n".join(f"{m} {p} as {r}: expected {e}, got {s}" for m, p, r, e, s in wrong)
    assert all(status < 500 for *_, status in table), [row for row in table if row[4] >= 500]
    assert len({(m, p) for m, p, *_ in table}) >= 10


@pytest.mark.parametrize(("role", "status"), [("translator_kk", 403), ("host", 403), ("anonymous", 401)])
def test_only_staff_may_set_rates(client: FlaskClient, tokens: Tokens, role: str, status: int) -> None:
    headers = tokens.headers(role) if role != "anonymous" else {}
    response = client.put("/api/v1/rates/KZT", json={"per_cny": "68.5"}, headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_tokens_are_not_accepted_in_the_query_string(client: FlaskClient, tokens: Tokens) -> None:
    from tests.catalog.payloads import product

    response = client.post(f"/api/v1/products?access_token={tokens['editor']}", json=product())
    assert response.status_code == 401
