"""A live server and one headless Chromium shared by the browser tests of a session."""

from __future__ import annotations

import dataclasses
import os
import re
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
from catalog.services.images import thumbnail_urls
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
#: Signing in checks a deliberately slow password hash, then renders the landing page; on a busy
#: two-core machine this takes longer than a page's default timeout for one action.
SIGN_IN_TIMEOUT_MS = 20_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def sign_in_page(page: t.Any, base_url: str, name: str, lands: str) -> None:
    """Sign *name* in through the form of a browser *page*, and wait for the page they land on."""
    page.goto(base_url + "/signin")
    page.locator("#name").fill(name)
    page.locator("#password").fill(STAFF_PASSWORD)
    page.locator("form.stacked button[type=submit]").click(no_wait_after=True)
    page.wait_for_url(re.compile(lands), timeout=SIGN_IN_TIMEOUT_MS)


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
        if want_screenshots():  # pictures make the README's screenshots; the tests need none
            _draw_pictures(app, session)
        report = indexing.drain(get_db().write_sessions, get_search().engine, thumbnails=thumbnail_urls)
        assert report.pending == 0, f"the search index did not take every product: {report}"
    return tokens


def _draw_pictures(app: Flask, session: t.Any) -> None:
    """Demo pictures for the Kazakh products but KZ-FLOUR-002 (whose upload a test makes)."""
    import sqlalchemy as sa

    from catalog.models import Product

    ids = list(
        session.scalars(
            sa.select(Product.id).where(Product.origin_country == "KZ", Product.sku != "KZ-FLOUR-002")
        )
    )
    demo.add_demo_pictures(session, app.config["MEDIA_URL"], ids, workers=2)
    session.commit()


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


def make_show(
    app: Flask,
    products: int = 5,
    delay_seconds: int = 0,
    live: bool = True,
    flash: str | None = None,
    host: str = "aigerim",
) -> int:
    """Schedule a show of the first *products* published Kazakh products; start it when *live*.

    With *flash*, the first item has that flash price, due to start in an hour. The member of
    staff called *host* (when there is one) hosts it.
    """
    import datetime as dt

    import sqlalchemy as sa

    from catalog.http import parse_model
    from catalog.live import get_live
    from catalog.models import Product
    from catalog.models import ProductStatus
    from catalog.schemas.streams import LineupItemIn
    from catalog.schemas.streams import StreamCreate
    from catalog.services import lineup
    from catalog.services import streams

    with app.app_context():
        session = get_session()
        ids = list(
            session.scalars(
                sa.select(Product.id)
                .where(Product.status == ProductStatus.PUBLISHED, Product.origin_country == "KZ")
                .order_by(Product.id)
                .limit(products)
            )
        )
        data = parse_model(
            StreamCreate,
            {
                "title": {
                    "ru": "Вечер казахстанских продуктов",
                    "zh": "哈萨克斯坦好物专场",
                    "en": "Kazakh pantry night",
                },
                "starts_at": (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).isoformat(),
                "duration_minutes": 120,
                "locales": ["ru", "kk", "zh"],
                "currencies": ["KZT", "CNY"],
                "display_delay_seconds": delay_seconds,
            },
        )
        from catalog.models import User

        owner = session.scalar(sa.select(User).where(User.name == host))
        stream = streams.create_stream(session, data, owner, "Asia/Urumqi")
        session.commit()
        stream, cursor = streams.lock_stream(session, stream.id)
        now = dt.datetime.now(dt.UTC)
        items = [LineupItemIn(product_id=i) for i in ids]
        if flash is not None:
            window = {"starts_at": now + dt.timedelta(hours=1), "ends_at": now + dt.timedelta(hours=2)}
            items[0] = LineupItemIn.model_validate(
                {"product_id": ids[0], "flash": {"amount": flash, **window}}
            )
        lineup.set_lineup(session, stream, cursor, items, "items.{i}.product_id")
        lineup.lineup_changed(session, stream, cursor, None, now, get_live().cards, 10)
        if live:
            streams.start_stream(session, stream, None, now)
        session.commit()
        return stream.id


def _admin(session: t.Any) -> t.Any:
    """The first admin, added when there is none."""
    import sqlalchemy as sa

    from catalog.models import User

    admin = session.scalar(sa.select(User).where(User.role == Role.ADMIN).order_by(User.id).limit(1))
    if admin is None:
        admin, _token = add_user(session, "on-air-admin", Role.ADMIN, [])
    return admin


def move_on_air(app: Flask, stream_id: int, action: str = "next") -> None:
    """Move the card on air of *stream_id* as a host's client would."""
    import datetime as dt

    from catalog.live import get_live
    from catalog.models import Stream
    from catalog.services.cursor import move_cursor

    with app.app_context():
        session = get_session()
        # its host moves it; a show without one is moved by an admin
        mover = session.get_one(Stream, stream_id).host or _admin(session)
        move_cursor(session, stream_id, action, None, mover, dt.datetime.now(dt.UTC), get_live().cards, 10)
        session.commit()
