"""Sessions that end: a 12-hour lifetime checked on the server, and one epoch per user that
sign-out, revocation, a new password and disabling all move on, ending every session and token.

Runs on both databases (the ``database_url`` fixture). An old cookie is replayed as an attacker
who copied it would, after the event that should have ended it.
"""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalog.auth import issue_token
from catalog.db import get_session
from catalog.models import Role
from catalog.models import User
from catalog.services.users import add_user
from tests.web.conftest import PASSWORD
from tests.web.conftest import add_staff
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in

COOKIE = "tianshan_session"


def _signed_in(client: FlaskClient) -> str:
    assert sign_in(client, "olga").status_code == 302
    page = client.get("/staff/rates")
    assert page.status_code == 200
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def _replayed(app: Flask, cookie: str) -> FlaskClient:
    """A fresh browser carrying a copy of *cookie*."""
    other = app.test_client()
    other.set_cookie(COOKIE, cookie)
    return other


def _saves_a_rate(client: FlaskClient) -> bool:
    page = client.get("/staff/rates")
    if page.status_code != 200:
        return False
    token = csrf_token(page.get_data(as_text=True))
    saved = client.post("/staff/rates", data={"csrf_token": token, "currency": "KZT", "per_cny": "68.5"})
    return saved.status_code == 302 and "/signin" not in saved.headers.get("Location", "")


def _token_of(app: Flask, name: str) -> str:
    with app.app_context():
        session = get_session()
        user = session.scalar(sa.select(User).where(User.name == name))
        assert user is not None
        token = issue_token(session, user)
        session.commit()
        return token


def _token_works(client: FlaskClient, token: str) -> bool:
    response = client.get("/api/v1/streams/webhooks", headers={"Authorization": f"Bearer {token}"})
    return response.status_code != 401


@pytest.fixture
def olga(app: Flask) -> str:
    add_staff(app, "olga", Role.ADMIN)
    return "olga"


def test_the_lifetime_is_twelve_hours(app: Flask) -> None:
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600


def test_a_session_older_than_its_lifetime_is_refused_by_the_server(
    app: Flask, client: FlaskClient, olga: str
) -> None:
    _signed_in(client)
    with client.session_transaction() as session:  # the cookie is still sent: only the server can tell
        session["since"] = int(time.time()) - 12 * 3600 - 60
    refused = client.get("/staff/rates")
    assert refused.status_code == 302 and "/signin" in refused.headers["Location"]
    with client.session_transaction() as session:
        session["since"] = int(time.time()) - 11 * 3600
    assert client.get("/staff/rates").status_code == 200


def test_signing_out_ends_a_copied_cookie_and_the_tokens(app: Flask, client: FlaskClient, olga: str) -> None:
    cookie = _signed_in(client)
    token = _token_of(app, olga)
    assert _token_works(client, token)
    token_page = csrf_token(client.get("/staff/rates").get_data(as_text=True))
    assert client.post("/signout", data={"csrf_token": token_page}).status_code == 302
    assert not _saves_a_rate(_replayed(app, cookie))
    assert not _token_works(client, token)
    assert _saves_a_rate(client) is False  # signed out
    _signed_in(client)  # and signing in again works
    assert _saves_a_rate(client)


@pytest.mark.parametrize(
    "command",
    [["users", "revoke", "olga"], ["users", "disable", "olga"]],
    ids=["revoke", "disable"],
)
def test_revoking_or_disabling_ends_the_sessions_at_once(
    app: Flask, client: FlaskClient, olga: str, command: list[str]
) -> None:
    cookie = _signed_in(client)
    token = _token_of(app, olga)
    assert _saves_a_rate(_replayed(app, cookie))
    result = app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 0, result.output
    assert not _saves_a_rate(_replayed(app, cookie))
    assert not _saves_a_rate(client)
    assert not _token_works(client, token)
    signed = sign_in(client, olga)
    if command[1] == "disable":
        assert signed.status_code == 401
    else:
        assert signed.status_code == 302 and _saves_a_rate(client)


def test_a_new_password_ends_the_sessions_and_tokens(app: Flask, client: FlaskClient, olga: str) -> None:
    cookie = _signed_in(client)
    token = _token_of(app, olga)
    result = app.test_cli_runner().invoke(
        args=["users", "password", olga, "--stdin"], input="a brand new passphrase\n"
    )
    assert result.exit_code == 0, result.output
    assert not _saves_a_rate(_replayed(app, cookie))
    assert not _token_works(client, token)
    assert sign_in(app.test_client(), olga, PASSWORD).status_code == 401
    assert sign_in(client, olga, "a brand new passphrase").status_code == 302


def test_disable_names_an_unknown_user(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["users", "disable", "nobody"])
    assert result.exit_code != 0 and "no user named 'nobody'" in result.output


def test_a_bystanders_session_survives(app: Flask, client: FlaskClient, olga: str) -> None:
    add_staff(app, "pavel", Role.EDITOR)
    other = app.test_client()
    assert sign_in(other, "pavel").status_code == 302
    _signed_in(client)
    assert app.test_cli_runner().invoke(args=["users", "revoke", olga]).exit_code == 0
    assert _saves_a_rate(other)


def test_tokens_issued_after_an_epoch_work(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        session = get_session()
        _user, first = add_user(session, "ivan", Role.ADMIN)
        session.commit()
    assert _token_works(client, first)
    assert app.test_cli_runner().invoke(args=["users", "revoke", "ivan"]).exit_code == 0
    assert not _token_works(client, first)
    fresh = app.test_cli_runner().invoke(args=["users", "token", "ivan"]).output.strip().splitlines()[-1]
    assert _token_works(client, fresh)
