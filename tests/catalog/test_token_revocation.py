"""A token that stops being valid stops working on the very next call, for every role.

Each role's token first answers 2xx on a protected read and on a write, and the read is made
twice so that anything the app keeps per process has seen it. Then the token is ended from
another instance of the app on the same database (as the ``tianshan`` command or another worker
would, with caches of its own), and the next call answers 401, as does every protected
operation of the access matrix. Credentials are stored only as hashes.
"""

from __future__ import annotations

import threading
import typing as t
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner
from werkzeug.security import check_password_hash

from catalog import create_app
from catalog.auth import current_reader
from catalog.auth import hash_token
from catalog.db import get_session
from catalog.errors import Unauthorized
from catalog.models import ApiToken
from catalog.models import User
from tests.catalog.payloads import product
from tests.catalog.test_access_matrix import API
from tests.catalog.test_access_matrix import concrete
from tests.catalog.test_streams_helpers import STREAM
from tests.conftest import Tokens
from tests.support.notices import listeners_stopped
from tests.support.notices import resume
from tests.support.postgres import ON_POSTGRESQL


class Call(t.NamedTuple):
    method: str
    path: str
    body: dict[str, t.Any] | None = None
    if_match: bool = False  # send the product's current ETag


KK_TEXT = {"name": "Қазақстан ұны", "description": "Жоғары сортты ұн.", "highlights": []}
RU_TEXT = {"name": "Мука пшеничная", "description": "Казахстанская мука.", "highlights": []}

#: Per role: a read only a token opens, and a write. The product and the stream are number 1.
CALLS: dict[str, tuple[Call, Call]] = {
    "admin": (
        Call("GET", "/api/v1/streams/webhooks"),
        Call("PUT", "/api/v1/rates/KZT", {"per_cny": "68.5"}),
    ),
    "editor": (
        Call("GET", "/api/v1/streams/1/recap"),
        Call("PUT", "/api/v1/rates/RUB", {"per_cny": "12.4"}),
    ),
    "host": (
        Call("GET", "/api/v1/streams/1/recap"),
        Call("POST", "/api/v1/streams", STREAM),
    ),
    "translator_kk": (
        Call("GET", "/api/v1/translations/queue?locale=kk"),
        Call("PUT", "/api/v1/products/1/content/kk", KK_TEXT, if_match=True),
    ),
    "translator_ru": (
        Call("GET", "/api/v1/translations/queue?locale=ru"),
        Call("PUT", "/api/v1/products/1/content/ru", RU_TEXT, if_match=True),
    ),
}


def call(client: FlaskClient, token: str, request: Call) -> t.Any:
    headers = {"Authorization": f"Bearer {token}"}
    if request.if_match:
        headers["If-Match"] = client.get("/api/v1/products/1").headers["ETag"]
    return client.open(request.path, method=request.method, headers=headers, json=request.body)


def assert_refused(response: t.Any, what: str) -> None:
    assert response.status_code == 401, f"{what}: {response.status_code} {response.get_data(as_text=True)}"
    assert response.mimetype == "application/problem+json", what
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"', what


def end_token(other: Flask, name: str, how: str) -> None:
    """End *name*'s token from *other*, an app on the same database with its own process state."""
    if how == "revoke":
        result = other.test_cli_runner().invoke(args=["users", "revoke", name])
        assert result.exit_code == 0, result.output
        assert f"Revoked 1 token(s) of {name}." in result.output
        return
    # No command or API disables a user yet; set the flag the token check reads, as one would.
    with other.app_context():
        session = get_session()
        user = session.scalar(sa.select(User).where(User.name == name))
        assert user is not None
        user.disabled = True
        session.commit()


@pytest.fixture
def other_app(app_config: dict[str, t.Any], tmp_path: Path) -> t.Iterator[Flask]:
    other = create_app(app_config, instance_path=str(tmp_path / "other-instance"))
    yield other
    other.extensions["search"].close()
    other.extensions["db"].dispose()


@pytest.mark.parametrize("how", ["revoke", "disable"])
@pytest.mark.parametrize("role", list(CALLS))
def test_an_ended_token_is_refused_at_once_everywhere(
    app: Flask, client: FlaskClient, tokens: Tokens, other_app: Flask, role: str, how: str
) -> None:
    assert (
        client.post("/api/v1/products", json=product(), headers=tokens.headers("editor")).status_code == 201
    )
    assert client.post("/api/v1/streams", json=STREAM, headers=tokens.headers("host")).status_code == 201
    token = tokens[role]
    read, write = CALLS[role]
    for request in (read, read, write):
        response = call(client, token, request)
        assert 200 <= response.status_code < 300, (request, response.status_code, response.json)

    end_token(other_app, role, how)

    assert_refused(call(client, token, read), f"{read.method} {read.path} right after")
    assert_refused(call(client, token, write), f"{write.method} {write.path}")
    for (method, path), allowed in API.items():
        if "anonymous" in allowed:
            continue  # public: a token is not asked for
        headers = {"Authorization": f"Bearer {token}", "If-Match": '"stale"'}
        assert_refused(
            client.open(concrete(path), method=method, headers=headers, json={}), f"{method} {path}"
        )
    bystander = "editor" if role != "editor" else "admin"
    assert 200 <= call(client, tokens[bystander], CALLS[bystander][0]).status_code < 300


def test_tokens_and_passwords_are_stored_only_hashed(
    app: Flask, tokens: Tokens, runner: FlaskCliRunner
) -> None:
    password = "a long enough password"
    result = runner.invoke(args=["users", "password", "editor", "--stdin"], input=f"{password}\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        session = get_session()
        rows = session.execute(sa.select(ApiToken.__table__)).all()
        editor = session.scalar(sa.select(User).where(User.name == "editor"))
    assert sorted(row.token_hash for row in rows) == sorted(hash_token(token) for token in tokens.values())
    stored = [str(value) for row in rows for value in row]
    assert not [token for token in tokens.values() if any(token in value for value in stored)]
    assert editor is not None and editor.password_hash is not None
    assert editor.password_hash != password and password not in editor.password_hash
    assert editor.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert check_password_hash(editor.password_hash, password)


# On SQLite a request's reads share one snapshot from its first read on; PostgreSQL reads the
# latest commit at every statement.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_token_checked_late_in_a_read_sees_an_end_made_meanwhile(
    app: Flask, tokens: Tokens, other_app: Flask
) -> None:
    headers = {"Authorization": f"Bearer {tokens['editor']}"}
    with app.test_request_context("/api/v1/products", headers=headers):
        assert current_reader() is not None
    with app.test_request_context("/api/v1/products", headers=headers):
        get_session().scalar(sa.select(sa.func.count()).select_from(User))  # the request has begun reading
        end_token(other_app, "editor", "disable")
        with pytest.raises(Unauthorized):
            current_reader()


@ON_POSTGRESQL
@pytest.mark.parametrize("resumes_after", [0.3, None], ids=["notice-late", "listener-hangs"])
def test_an_ended_token_is_refused_while_its_notice_is_still_on_its_way(
    app: Flask, client: FlaskClient, tokens: Tokens, other_app: Flask, resumes_after: float | None
) -> None:
    """The last read that remembered the token saw it valid; the notice of its end arrives late or never."""
    assert client.post("/api/v1/streams", json=STREAM, headers=tokens.headers("host")).status_code == 201
    read = CALLS["editor"][0]
    for _ in range(2):
        assert call(client, tokens["editor"], read).status_code == 200
    with listeners_stopped(app) as pids:
        end_token(other_app, "editor", "disable")
        if resumes_after is not None:
            threading.Timer(resumes_after, resume, [pids]).start()
        assert_refused(call(client, tokens["editor"], read), f"{read.method} {read.path} right after")
    assert_refused(call(client, tokens["editor"], read), f"{read.method} {read.path} once the notice is in")
    assert call(client, tokens["admin"], CALLS["admin"][0]).status_code == 200
