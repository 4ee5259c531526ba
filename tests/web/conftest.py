"""Fixtures of the page tests: plain-http cookies, staff with passwords, form helpers."""

from __future__ import annotations

import re
import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from catalog.db import get_db
from catalog.db import get_session
from catalog.http import parse_model
from catalog.models import Role
from catalog.schemas.products import ProductCreate
from catalog.searching import get_search
from catalog.services import indexing
from catalog.services import products
from catalog.services.users import add_user
from tests.catalog.payloads import product as product_body

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app_config(app_config: dict[str, t.Any]) -> dict[str, t.Any]:
    return {**app_config, "WEB_SECURE_COOKIES": False}


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def add_staff(
    app: Flask, name: str, role: Role, password: str = PASSWORD, locales: list[str] | None = None
) -> int:
    """Add a member of staff who signs in with *password*; returns the user id."""
    with app.app_context():
        session = get_session()
        user, _token = add_user(session, name, role, locales or (["kk"] if role is Role.TRANSLATOR else []))
        user.password_hash = generate_password_hash(password)
        session.commit()
        return user.id


def add_product(app: Flask, **changes: t.Any) -> int:
    """Create a product from the shared test body with *changes*, indexed; returns its id."""
    with app.app_context():
        session = get_session()
        product = products.create_product(session, parse_model(ProductCreate, product_body(**changes)), None)
        session.commit()
        indexing.drain(get_db().write_sessions, get_search().engine)
        return product.id


def sign_in(client: FlaskClient, name: str, password: str = PASSWORD, ip: str = "127.0.0.1") -> t.Any:
    """Post the sign-in form as a browser would (token first)."""
    page = client.get("/signin")
    return client.post(
        "/signin",
        data={"name": name, "password": password, "csrf_token": csrf_token(page.get_data(as_text=True))},
        environ_base={"REMOTE_ADDR": ip},
    )


@pytest.fixture
def editor(app: Flask) -> str:
    add_staff(app, "olga", Role.EDITOR)
    return "olga"
