"""Hostile text in every field comes out as text: escaped on every page, inert in the browser,
drawn literally on the on-air card.

The corpus, and the catalog that carries it in every field, are in :mod:`tests.web.hostile`.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import typing as t
import urllib.parse
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

import media.cards
import media.typeset
from media.typeset import ELLIPSIS
from tests.web import hostile
from tests.web.conftest import PageProblems
from tests.web.conftest import csrf_token
from tests.web.hostile import LOCALES
from tests.web.hostile import PAYLOADS
from tests.web.hostile import World
from tests.web.hostile import page_problems
from tests.web.live import LiveServer
from tests.web.live import start_live_server
from translations.locales import to_latin

ALL_STATES = "state=stale&state=missing&state=draft&state=reviewed"
CARD_SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "square": (1080, 1080)}
#: What a script put on a page would have to be made of; none may be in the browser's DOM.
INJECTED = (
    "svg, math, iframe, object, embed, b, script:not([src]), [style], [onload], [onerror], "
    "[onmouseover], a[href^='javascript:' i]"
)


def _shown(payload: str, locale: str) -> dict[str, t.Any]:
    """The product text of *payload* as a reader of *locale* (Kazakh Latin too) is shown it."""
    if locale != "kk-Latn":
        return hostile.text(payload, locale)
    kk = hostile.text(payload, "kk")
    return {key: [to_latin(h) for h in v] if key == "highlights" else to_latin(v) for key, v in kk.items()}


def _all_text(payload: str, locale: str) -> list[str]:
    shown = _shown(payload, locale)
    return [shown["name"], shown["description"], *shown["highlights"]]


def _places(locale: str, *keys: str) -> list[str]:
    """Names of categories and booths as a reader of *locale* (Kazakh Latin too) is shown them."""
    if locale == "kk-Latn":
        return [to_latin(hostile.place_name(key, "kk")) for key in keys]
    return [hostile.place_name(key, locale) for key in keys]


def _ics_text(text: str) -> str:
    """*text* as an iCalendar TEXT value (RFC 5545 3.3.11; the corpus has no line breaks)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


class Reader:
    """Reads pages as one client, collecting everything wrong with them."""

    def __init__(self, client: FlaskClient, problems: list[str]) -> None:
        self.client = client
        self.problems = problems

    def read(self, url: str, expected: t.Iterable[str], status: int = 200, **post: t.Any) -> str:
        response = self.client.post(url, **post) if post else self.client.get(url)
        page = response.get_data(as_text=True)
        if response.status_code != status:
            self.problems.append(f"{url}: answered {response.status_code}, not {status}")
        self.problems += page_problems(page, expected, url)
        return page

    def submit(self, url: str, data: dict[str, t.Any], expected: t.Iterable[str], status: int) -> str:
        """Send the form of the page at *url* with *data*, as a browser would."""
        token = csrf_token(self.client.get(url).get_data(as_text=True))
        return self.read(url, expected, status, data={**data, "csrf_token": token})


def _reader(app: Flask, problems: list[str], staff: str | None = None) -> Reader:
    client = app.test_client()
    if staff is not None:
        hostile.sign_in(client, staff)
    return Reader(client, problems)


# -- every page, read on the server --------------------------------------------------------------


def _viewer_pages(reader: Reader, world: World) -> None:
    for listing in world.listings:
        payload = listing.payload
        for locale in (*LOCALES, "kk-Latn"):
            alt = hostile.alt_text(payload, "kk" if locale == "kk-Latn" else locale)
            alt = to_latin(alt) if locale == "kk-Latn" else alt
            places = _places(locale, "food", "food.flour", "kazakhstan")  # crumbs and booth, or facets
            expected = [*_all_text(payload, locale), alt, payload, hostile.net_quantity(payload), *places]
            reader.read(f"/products/{listing.product_id}?locale={locale}", expected)  # payload: the brand
            found = [_shown(payload, locale)["name"], *places[1:]]
            reader.read(f"/search?q={listing.sku}&locale={locale}", found)
        for locale in LOCALES:
            shown = hostile.text(payload, locale)
            card = [hostile.title(payload, locale), shown["name"], *shown["highlights"]]
            reader.read(f"/shows/{listing.stream_id}?locale={locale}", card)
        reader.read(f"/overlay/streams/{listing.stream_id}", [])  # its script writes the card


def _host_pages(reader: Reader, world: World) -> None:
    for locale in LOCALES:
        reader.read(f"/host/streams?locale={locale}", [hostile.title(p, locale) for p in PAYLOADS])
    for listing in world.listings:
        # The console's data: the run-sheet (every product, with its notes) and the card on air.
        locale = LOCALES[listing.index % len(LOCALES)]
        names = [hostile.text(p, locale)["name"] for p in PAYLOADS]
        on_air = [hostile.text(listing.payload, loc)["name"] for loc in LOCALES]
        expected = [hostile.title(listing.payload, locale), *names, *PAYLOADS, *on_air]
        reader.read(f"/host/streams/{listing.stream_id}?locale={locale}", expected)


def _editor_pages(reader: Reader, world: World) -> None:
    for locale in LOCALES:
        reader.read(f"/staff/products?locale={locale}", [hostile.text(p, locale)["name"] for p in PAYLOADS])
    for listing in world.listings:
        payload = listing.payload
        expected = [payload, hostile.net_quantity(payload), hostile.alt_text(payload, "en")]  # brand first
        for locale in LOCALES:
            text = hostile.text(payload, locale)
            expected += [text["name"], text["description"], "\n".join(text["highlights"])]
        reader.read(f"/staff/products/{listing.product_id}/edit", expected)


def _translator_pages(app: Flask, problems: list[str], world: World) -> None:
    glossary = [s for p in PAYLOADS for s in hostile.glossary_term(p).values()]
    for listing in world.listings:
        payload = listing.payload
        kk, zh = hostile.text(payload, "kk"), hostile.text(payload, "zh")
        reader = _reader(app, problems, listing.translator)  # named with the payload
        sources = [hostile.text(p, "zh")["name"] for p in PAYLOADS]
        categories = _places("kk", "food")  # the filter's choices, in the page's language (?locale=)
        reader.read(f"/translate?locale=kk&{ALL_STATES}", [payload, *sources, *categories])
        url = f"/translate/{listing.product_id}/kk"
        # The source, its diff (Chinese changed after the Kazakh was written), the Kazakh text,
        # the glossary, and the history with its author: the translator, named with the payload.
        source = [zh["name"], zh["description"], "\n".join(zh["highlights"])]
        target = [kk["name"], kk["description"], "\n".join(kk["highlights"])]
        page = reader.read(url, [*source, *target, *glossary, payload])
        etag = re.search(r'name="etag" value="([^"]+)"', page)
        assert etag, f"{url} has no form to save with"
        # Saving it again answers with the glossary's warning, which quotes the term. (Without
        # the highlights: the form splits them at every Unicode line break, U+2028 too.)
        term = hostile.glossary_term(payload)
        warning = f"translate {term['source']!r} as {term['target']!r}"
        form = {"name": kk["name"], "description": kk["description"], "highlights": ""}
        sent = {**form, "etag": html.unescape(etag.group(1)), "then": "stay"}
        reader.submit(url, sent, [*target[:2], warning], 200)


def _feeds(reader: Reader, world: World) -> None:
    """The calendar feed escapes titles as iCalendar text; the stream card is the literal text."""
    for locale in LOCALES:
        feed = reader.client.get(f"/api/v1/streams/calendar.ics?locale={locale}").get_data(as_text=True)
        lines = feed.replace("\r\n ", "").split("\r\n")
        for payload in PAYLOADS:
            summary = f"SUMMARY:{_ics_text(hostile.title(payload, locale))}"
            if summary not in lines:
                reader.problems.append(f"calendar.ics?locale={locale}: no {summary!r}")
    for listing in world.listings:
        card = json.loads(reader.client.get(f"/api/v1/streams/{listing.stream_id}/card").data)["card"]
        for locale in LOCALES:
            text = hostile.text(listing.payload, locale)
            got = card["locales"][locale]
            if (got["name"], got["highlights"]) != (text["name"], text["highlights"]):
                reader.problems.append(f"stream card {listing.stream_id} {locale}: {got['name']!r}")


def _home_pages(reader: Reader, world: World) -> None:
    """The home page lists at most six shows: read it, end the shows it listed, read it again."""
    seen: set[int] = set()
    by_id = {listing.stream_id: listing.payload for listing in world.listings}
    while len(seen) < len(by_id):
        listed: set[int] = set()
        for locale in LOCALES:
            page = reader.client.get(f"/?locale={locale}").get_data(as_text=True)
            shows = {int(i) for i in re.findall(r'href="/shows/(\d+)"', page)}
            expected = [hostile.title(by_id[i], locale) for i in sorted(shows)]
            expected += _places(locale, "food", "kazakhstan")  # the tiles
            reader.problems += page_problems(page, expected, f"/?locale={locale}")
            listed |= shows
        assert listed and not listed & seen, f"the home page lists {sorted(listed)} after {sorted(seen)}"
        for stream_id in listed:
            response = reader.client.post(
                f"/api/v1/streams/{stream_id}/end", headers=world.headers("xss-host")
            )
            assert response.status_code == 200, response.json
        seen |= listed


def test_every_page_shows_hostile_text_as_text(app: Flask, client: FlaskClient) -> None:
    world = hostile.build_world(app, client)
    problems: list[str] = []
    _viewer_pages(_reader(app, problems), world)
    _host_pages(_reader(app, problems, "xss-host"), world)
    _editor_pages(_reader(app, problems, "xss-editor"), world)
    _feeds(_reader(app, problems), world)
    _translator_pages(app, problems, world)  # saves Kazakh texts again
    _home_pages(_reader(app, problems), world)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_forms_give_hostile_input_back_as_text(app: Flask) -> None:
    """What a form was sent comes back in its fields and messages, never as markup."""
    hostile.add_staff(app)
    problems: list[str] = []
    viewer = _reader(app, problems)
    editor = _reader(app, problems, "xss-editor")
    host = _reader(app, problems, "xss-host")
    for payload in PAYLOADS:
        viewer.read(f"/search?{urllib.parse.urlencode({'q': payload})}", [payload])
        viewer.submit("/signin", {"name": payload, "password": "not the password"}, [payload], 401)
        fields = [f"content-{loc}-{f}" for loc in LOCALES for f in ("name", "description", "highlights")]
        fields += ["sku", "brand", "net_quantity", "price-amount", "tags", "category"]
        editor.submit("/staff/products/new", dict.fromkeys(fields, payload), [payload], 422)
        editor.submit("/staff/rates", {"currency": payload, "per_cny": payload}, [payload], 422)
        show = {
            "title": payload,
            "starts_at": payload,
            "duration_minutes": "60",
            "currencies": "CNY",
            "locales": "ru",
        }
        host.submit("/host/streams", show, [payload], 422)
        # A sheet with the payload for a column's name, and one with it for an item number.
        for header, row in ((["sku", payload], ["XSS-001", "1"]), (["sku", "name_zh"], [payload, payload])):
            sheet = io.StringIO()
            csv.writer(sheet).writerows([header, row])
            upload = {"sheet": (io.BytesIO(sheet.getvalue().encode()), "sheet.csv")}
            editor.submit("/staff/import", upload, [payload], 422)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


# -- the on-air card PNG, and the pages whose script writes the text, in Chromium ----------------


@pytest.fixture(scope="module")
def hostile_server(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> t.Iterator[tuple[LiveServer, World]]:
    """A live server of its own (its shows stay live) holding the hostile catalog."""
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copy(sqlite_template, folder / "catalog.db")
    server = start_live_server(folder / "catalog.db", folder)
    try:
        yield server, hostile.build_world(server.app, server.app.test_client())
    finally:
        server.stop()


def _squash(text: str) -> str:
    return "".join(text.split())


def test_on_air_card_draws_hostile_text_literally(
    hostile_server: tuple[LiveServer, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, world = hostile_server
    fitted: dict[str, media.typeset.FittedText] = {}
    drawn: list[str] = []
    fit_text, draw_text = media.typeset.fit_text, media.typeset.draw_text

    def fit(text: str, **options: t.Any) -> media.typeset.FittedText:
        fitted[text] = fit_text(text, **options)
        return fitted[text]

    def draw(canvas: t.Any, xy: tuple[float, float], text: str, *args: t.Any, **options: t.Any) -> float:
        drawn.append(text)
        return draw_text(canvas, xy, text, *args, **options)

    monkeypatch.setattr(media.cards, "fit_text", fit)
    monkeypatch.setattr(media.cards, "draw_text", draw)
    monkeypatch.setattr(media.typeset, "draw_text", draw)
    client = server.app.test_client()
    for listing in world.listings:
        locale = LOCALES[listing.index % len(LOCALES)]
        text = hostile.text(listing.payload, locale)
        assert not media.typeset.missing_characters(text["name"] + "".join(text["highlights"]))
        for layout, size in CARD_SIZES.items():
            fitted.clear()
            drawn.clear()
            response = client.get(
                f"/api/v1/products/{listing.product_id}/card.png?locale={locale}&layout={layout}"
            )
            assert response.status_code == 200 and response.mimetype == "image/png"
            image = Image.open(io.BytesIO(response.data))
            assert (image.format, image.size) == ("PNG", size)
            image.verify()
            # The card typeset the literal text, no markup taken out and nothing dropped: each text
            # whole or, where its lines cannot hold it, its start and "…" (the portrait card has
            # room for every name whole). What it typeset is what it drew.
            booth = next(
                (s for s in fitted if s.endswith(f": {hostile.place_name('kazakhstan', locale)}")), ""
            )
            for shown in (text["name"], *text["highlights"], booth):
                assert shown in fitted, f"the {layout} card typeset {list(fitted)}, not {shown!r}"
            assert layout != "portrait" or not fitted[text["name"]].truncated, fitted[text["name"]]
            for shown in (text["name"], *text["highlights"], booth):
                lines = fitted[shown]
                typeset = _squash("".join(lines.lines))
                if lines.truncated:
                    assert typeset.endswith(ELLIPSIS) and _squash(shown).startswith(typeset[:-1]), lines
                else:
                    assert typeset == _squash(shown), (layout, shown, lines)
                at = drawn.index(lines.lines[0])
                assert drawn[at : at + len(lines.lines)] == list(lines.lines), (layout, shown, drawn)


class Watched:
    """Browser pages whose every alert, confirm or prompt is noted and dismissed."""

    def __init__(self, new_page: t.Callable[..., t.Any]) -> None:
        self.new_page = new_page
        self.pages: list[t.Any] = []
        self.dialogs: list[str] = []

    def open(self, **options: t.Any) -> t.Any:
        page = self.new_page(**options)

        def note(dialog: t.Any) -> None:
            self.dialogs.append(f"{page.url}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", note)
        self.pages.append(page)
        return page

    def assert_inert(self) -> None:
        """No dialog opened and no page holds an element or attribute only injected markup makes."""
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"
        for page in self.pages:
            found = page.locator(INJECTED).evaluate_all("nodes => nodes.map(n => n.outerHTML.slice(0, 120))")
            assert not found, f"{page.url} has injected elements: {found}"

    def wait(self, page: t.Any, script: str, arg: t.Any) -> None:
        """Wait until *script* holds on *page*; if it never does, say first whether markup got in."""
        from playwright.sync_api import TimeoutError as Timeout

        try:
            page.wait_for_function(script, arg=arg)
        except Timeout:
            self.assert_inert()
            raise


SHOWS = """([name, items, text, lines]) => {
  const shown = document.querySelector(name);
  const list = [...document.querySelectorAll(items)].map(node => node.textContent);
  return !!shown && shown.textContent === text && JSON.stringify(list) === JSON.stringify(lines);
}"""
FINDS = """(names) => {
  const found = [...document.querySelectorAll("#find-results .name")].map(node => node.textContent);
  return found.length > 0 && found.every(name => names.includes(name));
}"""
SUGGESTS = """(text) => [...document.querySelectorAll("#q-suggestions [role=option] a")]
  .some(link => link.textContent === text)"""


@pytest.mark.browser
def test_type_ahead_suggests_hostile_names_as_text(
    hostile_server: tuple[LiveServer, World], new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    server, _world = hostile_server
    watched = Watched(new_page)
    page = watched.open(locale="ru-RU")
    page.goto(f"{server.url}/?locale=ru")
    for payload in PAYLOADS:
        name = hostile.text(payload, "ru")["name"]
        page.locator("#q").fill(name)
        watched.wait(page, SUGGESTS, name)
        watched.assert_inert()
    problems.assert_none()


@pytest.mark.browser
def test_console_overlay_and_show_page_show_hostile_cards_as_text(
    hostile_server: tuple[LiveServer, World], new_page: t.Callable[..., t.Any], problems: PageProblems
) -> None:
    server, world = hostile_server
    first = world.listings[0]  # its run-sheet holds every product, in the corpus's order
    title = hostile.title(first.payload, "ru")
    watched = Watched(new_page)
    overlay = watched.open(viewport={"width": 1920, "height": 1080}, locale="ru-RU")
    overlay.goto(f"{server.url}/overlay/streams/{first.stream_id}?layout=landscape&locale=ru")
    show = watched.open(locale="ru-RU")
    show.goto(f"{server.url}/shows/{first.stream_id}?locale=ru")
    console = watched.open(locale="ru-RU")  # its script reads the state in the browser's language
    console.goto(f"{server.url}/signin?next=/host/streams/{first.stream_id}?locale=ru")
    console.locator("#name").fill("xss-host")
    console.locator("#password").fill(hostile.PASSWORD)
    console.locator("form.stacked button[type=submit]").click()
    console.wait_for_url(re.compile(rf"/host/streams/{first.stream_id}"))
    watched.assert_inert()
    for page in (console, show):
        assert page.title().startswith(f"{title} · ") and page.locator("h1").first.text_content() == title
    names = [hostile.text(payload, "ru")["name"] for payload in PAYLOADS]
    assert console.locator("#lineup .name").all_text_contents() == names
    for index, payload in enumerate(PAYLOADS):
        text = hostile.text(payload, "ru")
        card = [text["name"], text["highlights"]]
        watched.wait(console, SHOWS, ["#on-air-card .name", "#on-air-card .highlights li", *card])
        for page in (overlay, show):
            watched.wait(page, SHOWS, ["#card [data-slot=name]", "#card [data-slot=highlights] li", *card])
        watched.assert_inert()
        assert overlay.locator("#card").is_visible()
        if index + 1 < len(PAYLOADS):  # the next card and its run-sheet notes
            assert console.locator("#next-card .name").text_content() == names[index + 1]
            assert console.locator("#next-card .notes").text_content() == PAYLOADS[index + 1]
            console.keyboard.press("ArrowRight")
    # The console's own catalog search (/) lists what it finds by name.
    console.keyboard.press("/")
    console.keyboard.type("alert")
    watched.wait(console, FINDS, names)
    watched.assert_inert()
    problems.assert_none()
