"""The sign-in lockout counts per name from every address, per address across names, and raises an alert metric."""

from __future__ import annotations

from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from tests.web.conftest import PASSWORD
from tests.web.conftest import sign_in


def _lockouts(by: str) -> float:
    return REGISTRY.get_sample_value("tianshan_signin_lockouts_total", {"by": by}) or 0.0


def test_guesses_from_many_addresses_add_up(client: FlaskClient, editor: str) -> None:
    before = _lockouts("name")
    for n in range(5):
        assert sign_in(client, editor, "guess", ip=f"203.0.113.{n + 1}").status_code == 401
    locked = sign_in(client, editor, PASSWORD, ip="198.51.100.99")
    assert locked.status_code == 429
    assert _lockouts("name") == before + 1


def test_one_address_spraying_many_names_is_stopped(client: FlaskClient, editor: str) -> None:
    before = _lockouts("address")
    for n in range(20):
        assert sign_in(client, f"name-{n}", "guess", ip="203.0.113.50").status_code == 401
    assert sign_in(client, editor, PASSWORD, ip="203.0.113.50").status_code == 429
    assert _lockouts("address") == before + 1
    assert sign_in(client, editor, PASSWORD, ip="203.0.113.51").status_code == 302
