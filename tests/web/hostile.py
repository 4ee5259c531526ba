"""Hostile text for the escaping tests: a corpus, a catalog that carries it everywhere, an HTML reader.

Every payload goes into every free-text field a user can set (product text in each locale, brand,
net quantity, picture alt text, stream titles, run-sheet notes, glossary terms and notes, the
names of staff), so each page can be read for it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import typing as t
from html.parser import HTMLParser

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.security import generate_password_hash

from catalog.db import get_db
from catalog.db import get_session
from catalog.models import Booth
from catalog.models import Category
from catalog.models import Role
from catalog.searching import get_search
from catalog.services import indexing
from catalog.services.images import thumbnail_urls
from catalog.services.users import add_user
from tests.catalog.payloads import product as product_body
from tests.web.conftest import csrf_token
from translations.locales import CONTENT_LOCALES

#: Markup, attribute and URL breakouts, RCDATA and script-data breakouts, template syntax, bidi
#: overrides and text that looks escaped already, each mixed with Chinese, Russian or Kazakh.
#: At most 80 characters, since each is also a user's name.
PAYLOADS: tuple[str, ...] = (
    '面粉<script>alert("xss-1")</script>',
    'Мука"><svg onload=alert(2)>',
    "Ұн'><img src=x onerror=alert(3)>",
    '<a href="javascript:alert(4)">Қымыз</a> javascript:alert(4)',
    '<div onmouseover="alert(5)" style="position:fixed;inset:0">蜂蜜</div>',
    "Бал</textarea><script>alert(6)</script>",
    "茶</title><script>alert(7)</script>",
    "Шұжық {{7*7}} ${7*7} #{7*7} <%= 7*7 %> {{config}}",
    '</script><script>alert(9)</script>\u2028"}];alert(9)//',
    "\u202eКүміс\u202c <b>жирный</b> &lt;i&gt; &amp; 银",
)
#: The viewer's locales and the word each one's text starts with.
LOCALES = CONTENT_LOCALES
WORDS = {"zh": "哈萨克斯坦", "ru": "Мука", "kk": "Қазақ ұны", "uz": "Bugʻdoy uni", "en": "Flour"}
#: Category and booth names (data files write them, not the API): a word, then in each locale in
#: turn the next payload from the one at the index.
PLACES = {"food": ("Food", 0), "food.flour": ("Flour", 4), "kazakhstan": ("Booth", 8)}
#: The Chinese description after the editor's change, which leaves the other locales stale.
ZH_ADDED = "，适合做面包"
PASSWORD = "hostile text 2026"
#: Elements, attributes and URL schemes that only an injection could put on a page.
FORBIDDEN_TAGS = {"svg", "math", "iframe", "frame", "object", "embed", "base", "style", "template", "b"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href"}
BAD_SCHEMES = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
#: Inline elements that may split a text without changing it (search highlights, source diffs).
TRANSPARENT = {"mark", "del", "ins"}


def text(payload: str, locale: str) -> dict[str, t.Any]:
    """The product text of *payload* in *locale* (the Chinese one as the editor left it)."""
    word = WORDS[locale]
    description = f"{payload} {word}" + (ZH_ADDED if locale == "zh" else "")
    highlights = [payload, f"{word}: {payload}"]
    return {"name": f"{word} {payload}", "description": description, "highlights": highlights}


def net_quantity(payload: str) -> str:
    """A net quantity carrying *payload*'s start (the column holds 40 characters)."""
    return f"{payload[:32]} 500 г"


def alt_text(payload: str, locale: str) -> str:
    return {"zh": "图片", "ru": "Фото", "kk": "Сурет", "uz": "Rasm", "en": "Photo"}[locale] + f" {payload}"


def title(payload: str, locale: str) -> str:
    return {"zh": "直播", "ru": "Эфир", "kk": "Тікелей эфир", "uz": "Jonli efir", "en": "Live"}[
        locale
    ] + f" {payload}"


def glossary_term(payload: str) -> dict[str, str]:
    return {"source": payload, "target": f"Термин {payload}", "note": f"Ескерту {payload}"}


def sku(index: int) -> str:
    return f"XSS-{index:03d}"


@dataclasses.dataclass(frozen=True)
class Listing:
    """One payload's product, stream and translator."""

    index: int
    payload: str
    product_id: int
    stream_id: int

    @property
    def sku(self) -> str:
        return sku(self.index)

    @property
    def translator(self) -> str:
        return self.payload


@dataclasses.dataclass(frozen=True)
class World:
    """The hostile catalog: one listing per payload, and the staff who made it."""

    tokens: dict[str, str]
    listings: tuple[Listing, ...] = ()

    def headers(self, name: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}", **extra}


def place_name(key: str, locale: str) -> str:
    """The name in *locale* of the category or booth *key* (names come from data files, not the API)."""
    word, first = PLACES[key]
    return f"{word} {PAYLOADS[(first + LOCALES.index(locale)) % len(PAYLOADS)]}"


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (96, 96), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


def _ok(response: t.Any, status: int = 200) -> t.Any:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    return response


def _etag(client: FlaskClient, url: str, headers: dict[str, str] | None = None) -> str:
    return str(_ok(client.get(url, headers=headers)).headers["ETag"])


def add_staff(app: Flask) -> dict[str, str]:
    """Add an editor, a host and a Kazakh translator named with each payload; returns their tokens."""
    tokens = {}
    with app.app_context():
        session = get_session()
        staff = [("xss-editor", Role.EDITOR), ("xss-host", Role.HOST)]
        staff += [(payload, Role.TRANSLATOR) for payload in PAYLOADS]
        for name, role in staff:
            user, token = add_user(session, name, role, ["kk"] if role is Role.TRANSLATOR else [])
            user.password_hash = generate_password_hash(PASSWORD, "pbkdf2:sha256:1")  # quick to check
            tokens[name] = token
        session.commit()
    return tokens


def _add_product(client: FlaskClient, world: World, index: int, payload: str) -> int:
    """A published product with *payload* in every text, and a picture with it for alt text."""
    content = {loc: text(payload, loc) for loc in LOCALES if loc != "kk"}  # Kazakh: the translator's
    content["zh"] = {**content["zh"], "description": f"{payload} {WORDS['zh']}"}
    body = product_body(
        sku=sku(index), barcode=None, content=content, brand=payload, net_quantity=net_quantity(payload)
    )
    url = _ok(client.post("/api/v1/products", json=body, headers=world.headers("xss-editor")), 201).location
    picture = {"file": (io.BytesIO(_jpeg()), "photo.jpg")}
    image = _ok(client.post(f"{url}/images", data=picture, headers=world.headers("xss-editor")), 201)
    alt = {"alt": {loc: alt_text(payload, loc) for loc in LOCALES}}
    headers = world.headers("xss-editor", **{"If-Match": image.headers["ETag"]})
    _ok(client.patch(f"{url}/images/{image.json['id']}", json=alt, headers=headers))
    return int(url.rsplit("/", 1)[1])


def _translate(client: FlaskClient, world: World, ids: list[int]) -> None:
    """The Kazakh glossary; each Kazakh text by its translator; then a change to the Chinese source."""
    glossary = "/api/v1/translations/glossary/kk"
    terms = {"terms": [glossary_term(payload) for payload in PAYLOADS]}
    headers = world.headers("xss-editor")
    headers["If-Match"] = _etag(client, glossary, headers)
    _ok(client.put(glossary, json=terms, headers=headers))
    for payload, product_id in zip(PAYLOADS, ids, strict=True):
        url = f"/api/v1/products/{product_id}"
        headers = world.headers(payload, **{"If-Match": _etag(client, url)})
        _ok(client.put(f"{url}/content/kk", json=text(payload, "kk"), headers=headers))
        headers = world.headers("xss-editor", **{"If-Match": _etag(client, url)})
        _ok(client.patch(url, json={"content": {"zh": text(payload, "zh")}}, headers=headers))


def _name_places(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        for category in session.scalars(sa.select(Category).where(Category.path.in_(PLACES))):
            category.names = {loc: place_name(category.path, loc) for loc in LOCALES}
        for booth in session.scalars(sa.select(Booth).where(Booth.slug.in_(PLACES))):
            booth.names = {loc: place_name(booth.slug, loc) for loc in LOCALES}
        session.commit()


def _add_show(client: FlaskClient, world: World, index: int, ids: list[int]) -> int:
    """A live show titled with the payload at *index*, whose product is on air; every product is on
    its run-sheet (that one first), each item's notes the payload of its product."""
    payload = PAYLOADS[index]
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5 + index)
    stream = {
        "title": {loc: title(payload, loc) for loc in LOCALES},
        "starts_at": starts.isoformat(),
        "duration_minutes": 120,
        "locales": list(LOCALES),
        "currencies": ["CNY"],
    }
    host = world.headers("xss-host")
    url = _ok(client.post("/api/v1/streams", json=stream, headers=host), 201).location
    items = [
        {"product_id": ids[i % len(ids)], "notes": PAYLOADS[i % len(ids)]}
        for i in range(index, index + len(ids))
    ]
    headers = world.headers("xss-host", **{"If-Match": _etag(client, url)})
    _ok(client.put(f"{url}/lineup", json={"items": items}, headers=headers))
    _ok(client.post(f"{url}/start", headers=host))
    _ok(client.post(f"{url}/cursor", json={"action": "next"}, headers=host))
    return int(url.rsplit("/", 1)[1])


def build_world(app: Flask, client: FlaskClient) -> World:
    """Fill *app* with the hostile catalog through its API, as staff would."""
    world = World(add_staff(app))
    ids = [_add_product(client, world, index, payload) for index, payload in enumerate(PAYLOADS)]
    _translate(client, world, ids)
    _name_places(app)
    streams = [_add_show(client, world, index, ids) for index in range(len(PAYLOADS))]
    with app.app_context():
        report = indexing.drain(get_db().write_sessions, get_search().engine, thumbnails=thumbnail_urls)
        assert report.pending == 0, report
    listings = zip(PAYLOADS, ids, streams, strict=True)
    return World(world.tokens, tuple(Listing(i, *listing) for i, listing in enumerate(listings)))


def sign_in(client: FlaskClient, name: str) -> None:
    """Sign *client* in as the member of staff *name*."""
    page = client.get("/signin").get_data(as_text=True)
    response = client.post(
        "/signin", data={"name": name, "password": PASSWORD, "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302, f"{name!r} could not sign in"


# -- reading pages ---------------------------------------------------------------------------


class ReadPage(HTMLParser):
    """A page as the texts a reader sees and the elements and attributes it is made of."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = [""]
        self.values: list[str] = []
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        self.values += [value for _name, value in attrs if value]
        if tag not in TRANSPARENT:
            self.runs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag not in TRANSPARENT:
            self.runs.append("")

    def handle_data(self, data: str) -> None:
        self.runs[-1] += data

    def strings(self) -> list[str]:
        """Every text run and attribute value, and the strings of attribute values that are JSON."""
        found = [run for run in self.runs if run] + self.values
        for value in self.values:
            try:
                found += json_strings(json.loads(value)) if value[:1] in "[{" else []
            except ValueError:
                continue  # text in braces, such as a label with a {placeholder}
        return found

    def injected(self) -> list[str]:
        """Elements and attributes that only injected markup could have made."""
        problems = []
        for tag, attrs in self.elements:
            names = {name for name, _value in attrs}
            if tag in FORBIDDEN_TAGS:
                problems.append(f"a <{tag}> element")
            if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/"):
                problems.append("an inline <script>")
            problems += [f"<{tag} {name}>" for name in names if name.startswith("on") or name == "style"]
            for name, value in attrs:
                if name in URL_ATTRIBUTES and value and BAD_SCHEMES.match("".join(value.split())):
                    problems.append(f"<{tag} {name}={value!r}>")
        return problems


def json_strings(value: t.Any) -> list[str]:
    """All strings in a decoded JSON value, keys and values."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *json_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []


def page_problems(html: str, expected: t.Iterable[str], where: str) -> list[str]:
    """What is wrong with *html*: injected markup, raw payloads, and expected texts not shown whole."""
    page = ReadPage(html)
    problems = [f"{where}: {problem}" for problem in page.injected()]
    problems += [f"{where}: raw {p!r}" for p in PAYLOADS if re.search(r"[<>\"'&]", p) and p in html]
    strings = page.strings()
    problems += [f"{where}: not shown as text: {e!r}" for e in expected if not any(e in s for s in strings)]
    return problems
