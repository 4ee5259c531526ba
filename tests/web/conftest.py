"""Fixtures of the page tests: plain-http cookies, staff with passwords, form helpers."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import typing as t
from decimal import Decimal
from pathlib import Path

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
from catalog.services import pricing
from catalog.services import products
from catalog.services.users import add_user
from tests.catalog.payloads import product as product_body
from tests.conftest import require
from tests.web.live import ARTIFACTS
from tests.web.live import CHROMIUM
from tests.web.live import CHROMIUM_ARGS
from tests.web.live import LiveServer
from tests.web.live import start_live_server

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


def add_rate(app: Flask, currency: str = "KZT", per_cny: str = "74") -> None:
    """Enter today's rate of *currency*, so a show in it is ready to go live."""
    with app.app_context():
        session = get_session()
        pricing.set_rate(session, currency, Decimal(per_cny), dt.datetime.now(dt.UTC), None)
        session.commit()


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


# -- browser tests: one live server and one Chromium per session ------------------------------


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> t.Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live")
    database = folder / "catalog.db"
    shutil.copy(sqlite_template, database)
    server = start_live_server(database, folder)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> t.Iterator[t.Any]:
    require(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM} (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageProblems(list[str]):
    """Console errors and uncaught exceptions of a page; a test ends by asserting there are none."""

    def assert_none(self, *expected: str) -> None:
        """No errors but those containing one of *expected* (e.g. the status of a refused form)."""
        unexpected = [p for p in self if not any(e in p for e in expected)]
        assert not unexpected, "the page reported errors:\n" + "\n".join(unexpected)


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


def _open_page(browser: t.Any, problems: PageProblems, **options: t.Any) -> t.Any:
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(5000)
    page.on(
        "console",
        lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
    return page


@pytest.fixture
def new_page(
    browser: t.Any, problems: PageProblems, request: pytest.FixtureRequest
) -> t.Iterator[t.Callable[..., t.Any]]:
    """Open pages in fresh browser contexts; a failing test leaves screenshots in test-artifacts/."""
    pages: list[t.Any] = []

    def open_page(**options: t.Any) -> t.Any:
        page = _open_page(browser, problems, **options)
        pages.append(page)
        return page

    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, page in enumerate(pages):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{number}.png"), full_page=True)
    for page in pages:
        page.context.close()
