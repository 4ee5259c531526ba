"""A live server and one headless Chromium shared by the browser tests of a session."""

from __future__ import annotations

import dataclasses
import os
import shutil
import threading
import typing as t
from pathlib import Path

from flask import Flask
from werkzeug.security import generate_password_hash
from werkzeug.serving import BaseWSGIServer
from werkzeug.serving import make_server

from catalog import create_app
from catalog.db import get_db
from catalog.db import get_session
from catalog.models import Role
from catalog.searching import get_search
from catalog.services import demo
from catalog.services import indexing
from catalog.services.users import add_user

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
#: Booths whose demo products the live server holds: enough to search and filter, quick to load.
DEMO_BOOTHS = ("kazakhstan", "russia", "belarus")
STAFF_PASSWORD = "studio password 2026"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def want_screenshots() -> bool:
    """Whether this run refreshes the README's screenshots (``TIANSHAN_SCREENSHOTS=1``)."""
    return os.environ.get("TIANSHAN_SCREENSHOTS", "") == "1"


@dataclasses.dataclass
class LiveServer:
    """The app served over HTTP on 127.0.0.1, with its data and staff accounts."""

    app: Flask
    server: BaseWSGIServer
    thread: threading.Thread
    tokens: dict[str, str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.app.extensions["search"].close()
        self.app.extensions["db"].dispose()


def _demo_subset(folder: Path) -> Path:
    """A copy of the demo data holding only the products of :data:`DEMO_BOOTHS`."""
    (folder / "products").mkdir(parents=True)
    for name in ("categories.json", "booths.json"):
        shutil.copy(demo.DEMO_DATA / name, folder / name)
    for booth in DEMO_BOOTHS:
        shutil.copy(demo.DEMO_DATA / "products" / f"{booth}.json", folder / "products" / f"{booth}.json")
    return folder


def _load(app: Flask, data: Path) -> dict[str, str]:
    tokens: dict[str, str] = {}
    with app.app_context():
        session = get_session()
        demo.load_demo(session, data)
        for name, role, locales in (
            ("olga", Role.EDITOR, []),
            ("aigerim", Role.HOST, []),
            ("dana", Role.TRANSLATOR, ["kk"]),
        ):
            user, token = add_user(session, name, role, locales)
            user.password_hash = generate_password_hash(STAFF_PASSWORD)
            tokens[name] = token
        session.commit()
        report = indexing.drain(get_db().write_sessions, get_search().engine)
        assert report.pending == 0, f"the search index did not take every product: {report}"
    return tokens


def start_live_server(database: Path, folder: Path, extra: t.Mapping[str, t.Any] | None = None) -> LiveServer:
    """Serve a fresh app on a free port over the migrated SQLite *database*."""
    config = {
        "DATABASE_URL": f"sqlite:///{database}",
        "SEARCH_URL": f"sqlite:///{folder / 'search.db'}",
        "MEDIA_ROOT": str(folder / "media"),
        "SECRET_KEY": "browser-tests",
        "WEB_SECURE_COOKIES": False,
        **(extra or {}),
    }
    app = create_app(config, instance_path=str(folder / "instance"))
    tokens = _load(app, _demo_subset(folder / "demo"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    return LiveServer(app, server, thread, tokens)
