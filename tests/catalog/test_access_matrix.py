"""Who may do what: a literal table, written from the HTTP contract and the README, checked role by role.

Each row is (method, path) → who may. ``PUBLIC`` is everyone, anonymous included;
``SIGNED_IN`` is any role with a token (or a session, for pages); otherwise the roles named.
Paths name the ``kk`` locale, so where the contract binds translators to their locales
(``KK``: the Kazakh translator only) the Russian translator is refused.

Refusals: the API answers 401 without a token and 403 for a role that may not; a page sends a
visitor to ``/signin`` and answers 403 to a signed-in role that may not. The table is not read
from the code: a route that is missing from it fails the test, so every new operation and
page has to be added here by hand, from what the contract says.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from catalog.models import Role
from tests.catalog.payloads import product
from tests.catalog.test_streams_helpers import STREAM
from tests.conftest import Tokens
from tests.web.conftest import add_staff
from tests.web.conftest import sign_in

ROLES = ["anonymous", "admin", "editor", "host", "translator_kk", "translator_ru"]
PUBLIC = frozenset(ROLES)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
ADMIN = frozenset({"admin"})
STAFF = frozenset({"admin", "editor"})  # "catalog staff"
HOSTS = frozenset({"admin", "host"})
WRITERS = frozenset({"admin", "editor", "translator_kk", "translator_ru"})
KK = frozenset({"admin", "editor", "translator_kk"})  # a translator of the path's locale, editors, admins
TRANSLATORS = frozenset({"admin", "editor", "translator_kk", "translator_ru"})

# fmt: off
API: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/v1"): PUBLIC,
    ("GET", "/api/v1/"): PUBLIC,
    ("GET", "/api/v1/openapi.json"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/problems/{slug}"): PUBLIC,  # what each problem document's type points to
    ("GET", "/metrics"): ADMIN,  # operators: an admin's token or the metrics token
    ("GET", "/api/v1/categories"): PUBLIC,
    ("GET", "/api/v1/booths"): PUBLIC,
    # Products: "POST (editor, admin)"; reading published content needs no token
    ("POST", "/api/v1/products"): STAFF,
    ("GET", "/api/v1/products"): PUBLIC,
    ("GET", "/api/v1/products/{product_id}"): PUBLIC,
    ("PATCH", "/api/v1/products/{product_id}"): STAFF,
    ("DELETE", "/api/v1/products/{product_id}"): STAFF,
    ("GET", "/api/v1/products/{product_id}/card.png"): PUBLIC,
    # Listing translations: "translator of that locale, editor, admin"; reviews by an editor or
    # a second translator of the locale; the queue, progress, texts and history are staff tools
    ("GET", "/api/v1/products/{product_id}/content/{locale}"): SIGNED_IN,
    ("PUT", "/api/v1/products/{product_id}/content/{locale}"): KK,
    ("GET", "/api/v1/products/{product_id}/content/{locale}/history"): SIGNED_IN,
    ("GET", "/api/v1/products/{product_id}/content/{locale}/checks"): SIGNED_IN,
    ("GET", "/api/v1/products/{product_id}/content/{locale}/suggestions"): SIGNED_IN,
    ("POST", "/api/v1/products/{product_id}/content/{locale}/fit"): SIGNED_IN,
    ("POST", "/api/v1/products/{product_id}/content/{locale}/fit.png"): SIGNED_IN,
    ("POST", "/api/v1/products/{product_id}/content/{locale}/revert"): KK,
    ("POST", "/api/v1/products/{product_id}/content/{locale}/review"): KK,
    ("POST", "/api/v1/products/{product_id}/content/{locale}/reject"): KK,  # whoever may review
    ("GET", "/api/v1/translations/queue"): SIGNED_IN,
    ("GET", "/api/v1/translations/progress"): SIGNED_IN,
    ("GET", "/api/v1/translations/export"): WRITERS,
    ("GET", "/api/v1/translations/memory.tmx"): KK,  # the memory into one's own language
    ("POST", "/api/v1/translations/import"): KK,
    ("GET", "/api/v1/translations/glossary/{locale}"): SIGNED_IN,
    ("PUT", "/api/v1/translations/glossary/{locale}"): STAFF,  # "editors write it"
    # Media: staff upload and arrange pictures; anyone sees them
    ("POST", "/api/v1/products/{product_id}/images"): STAFF,
    ("GET", "/api/v1/products/{product_id}/images"): PUBLIC,
    ("PATCH", "/api/v1/products/{product_id}/images/{image_id}"): STAFF,
    ("DELETE", "/api/v1/products/{product_id}/images/{image_id}"): STAFF,
    ("PUT", "/api/v1/products/{product_id}/images/order"): STAFF,
    ("GET", "/media/{sha256}/{rendition}"): PUBLIC,
    # Exchange rates: "PUT (editor, admin)"
    ("GET", "/api/v1/rates"): PUBLIC,
    ("GET", "/api/v1/rates/{currency}"): PUBLIC,
    ("PUT", "/api/v1/rates/{currency}"): STAFF,
    # Departure tax refund rules: anyone reads them; admins change them and read their history
    ("GET", "/api/v1/tax-refund/rules"): PUBLIC,
    ("PUT", "/api/v1/tax-refund/rules"): ADMIN,
    ("GET", "/api/v1/tax-refund/rules/history"): ADMIN,
    ("GET", "/api/v1/search"): PUBLIC,
    ("GET", "/api/v1/search/suggest"): PUBLIC,
    # Search synonyms and query rules: "(editor, admin)"
    ("GET", "/api/v1/search/synonyms"): STAFF,
    ("POST", "/api/v1/search/synonyms"): STAFF,
    ("GET", "/api/v1/search/synonyms/{synonym_id}"): STAFF,
    ("PUT", "/api/v1/search/synonyms/{synonym_id}"): STAFF,
    ("DELETE", "/api/v1/search/synonyms/{synonym_id}"): STAFF,
    ("GET", "/api/v1/search/rules"): STAFF,
    ("POST", "/api/v1/search/rules"): STAFF,
    ("GET", "/api/v1/search/rules/{rule_id}"): STAFF,
    ("PUT", "/api/v1/search/rules/{rule_id}"): STAFF,
    ("DELETE", "/api/v1/search/rules/{rule_id}"): STAFF,
    # Search analytics: viewers' pages send clicks; "(editor, admin)" read the report
    ("POST", "/api/v1/search/clicks"): PUBLIC,
    ("GET", "/api/v1/search/analytics"): STAFF,
    # Live streams: "POST (host, admin)"; hosts and admins run a show; viewers follow it
    ("POST", "/api/v1/streams"): HOSTS,
    ("GET", "/api/v1/streams"): PUBLIC,
    ("GET", "/api/v1/streams/calendar.ics"): PUBLIC,
    ("GET", "/api/v1/streams/{stream_id}"): PUBLIC,
    ("PATCH", "/api/v1/streams/{stream_id}"): HOSTS,
    ("PUT", "/api/v1/streams/{stream_id}/lineup"): HOSTS,
    ("POST", "/api/v1/streams/{stream_id}/lineup/items"): HOSTS,
    ("DELETE", "/api/v1/streams/{stream_id}/lineup/items/{item_id}"): HOSTS,
    ("POST", "/api/v1/streams/{stream_id}/start"): HOSTS,
    ("POST", "/api/v1/streams/{stream_id}/end"): HOSTS,
    ("POST", "/api/v1/streams/{stream_id}/cursor"): HOSTS,
    ("POST", "/api/v1/streams/{stream_id}/lineup/order"): HOSTS,
    ("POST", "/api/v1/streams/{stream_id}/flash"): HOSTS,
    # Co-hosts: "its host or an admin"; the stream of this table is the host's own
    ("PUT", "/api/v1/streams/{stream_id}/hosts"): HOSTS,
    ("GET", "/api/v1/streams/{stream_id}/card"): PUBLIC,
    ("GET", "/api/v1/streams/{stream_id}/events"): PUBLIC,
    ("GET", "/api/v1/streams/{stream_id}/recap"): frozenset({"admin", "host", "editor"}),
    ("GET", "/api/v1/streams/{stream_id}/recap.csv"): frozenset({"admin", "host", "editor"}),
    ("GET", "/api/v1/streams/{stream_id}/readiness"): frozenset({"admin", "host", "editor"}),
    ("GET", "/api/v1/streams/{stream_id}/chapters"): PUBLIC,
    # Live product analytics: viewers' pages send beacons; the show's staff read the figures
    ("POST", "/api/v1/streams/{stream_id}/beacons"): PUBLIC,
    ("GET", "/api/v1/streams/{stream_id}/analytics"): frozenset({"admin", "host", "editor"}),
    ("GET", "/api/v1/streams/{stream_id}/analytics.csv"): frozenset({"admin", "host", "editor"}),
    ("GET", "/api/v1/streams/{stream_id}/chapters.vtt"): PUBLIC,
    # Viewer requests: any viewer asks (a live show only); hosts read the queue and show one next
    ("POST", "/api/v1/streams/{stream_id}/requests"): PUBLIC,
    ("GET", "/api/v1/streams/{stream_id}/requests"): HOSTS,
    ("POST", "/api/v1/streams/{stream_id}/lineup/up-next"): HOSTS,
    # Webhooks: "(admin)"
    ("POST", "/api/v1/streams/webhooks"): ADMIN,
    ("GET", "/api/v1/streams/webhooks"): ADMIN,
    ("GET", "/api/v1/streams/webhooks/{webhook_id}/deliveries"): ADMIN,
}

PAGES: dict[tuple[str, str], frozenset[str]] = {
    # Viewers
    ("GET", "/"): PUBLIC,
    ("GET", "/search"): PUBLIC,
    ("GET", "/tax-refund"): PUBLIC,
    ("GET", "/products/{product_id}"): PUBLIC,
    ("GET", "/shows/{stream_id}"): PUBLIC,
    ("GET", "/shows/{stream_id}/replay"): PUBLIC,
    ("GET", "/locale/{locale}"): PUBLIC,
    ("GET", "/currency"): PUBLIC,
    ("GET", "/overlay/streams/{stream_id}"): PUBLIC,
    # Signing in
    ("GET", "/signin"): PUBLIC,
    ("POST", "/signin"): PUBLIC,
    ("POST", "/signout"): PUBLIC,
    # Editors: products, pictures, import, rates
    ("GET", "/staff/products"): STAFF,
    ("GET", "/staff/products/new"): STAFF,
    ("POST", "/staff/products/new"): STAFF,
    ("GET", "/staff/products/{product_id}/edit"): STAFF,
    ("POST", "/staff/products/{product_id}/edit"): STAFF,
    ("POST", "/staff/products/{product_id}/pictures"): STAFF,
    ("GET", "/staff/import"): STAFF,
    ("POST", "/staff/import"): STAFF,
    ("GET", "/staff/rates"): STAFF,
    ("POST", "/staff/rates"): STAFF,
    ("GET", "/staff/search-analytics"): STAFF,
    ("POST", "/staff/search-analytics/glossary"): STAFF,
    ("GET", "/staff/tax-refund"): ADMIN,
    # Search synonyms and query rules: catalog staff
    ("GET", "/staff/search"): STAFF,
    ("POST", "/staff/search/synonyms"): STAFF,
    ("POST", "/staff/search/synonyms/{synonym_id}/delete"): STAFF,
    ("POST", "/staff/search/rules"): STAFF,
    ("POST", "/staff/search/rules/{rule_id}/delete"): STAFF,
    ("POST", "/staff/tax-refund"): ADMIN,
    # Hosts: the console
    ("GET", "/host/streams"): HOSTS,
    ("POST", "/host/streams"): HOSTS,
    ("GET", "/host/streams/{stream_id}"): HOSTS,
    ("GET", "/host/streams/{stream_id}/state"): HOSTS,
    ("GET", "/host/streams/{stream_id}/readiness"): HOSTS,
    ("GET", "/host/streams/{stream_id}/requests"): HOSTS,
    ("GET", "/host/streams/{stream_id}/analytics"): HOSTS,
    ("POST", "/host/streams/{stream_id}/cursor"): HOSTS,
    ("POST", "/host/streams/{stream_id}/order"): HOSTS,
    ("POST", "/host/streams/{stream_id}/insert"): HOSTS,
    ("POST", "/host/streams/{stream_id}/flash"): HOSTS,
    ("POST", "/host/streams/{stream_id}/status"): HOSTS,
    # Translators: the queue for any translator; the Kazakh editor for Kazakh's own
    ("GET", "/translate"): TRANSLATORS,
    ("GET", "/translate/{product_id}/{locale}"): KK,
    ("POST", "/translate/{product_id}/{locale}"): KK,
    ("POST", "/translate/{product_id}/{locale}/review"): KK,
    ("POST", "/translate/{product_id}/{locale}/fit"): KK,  # the editor's script, while typing
    ("POST", "/translate/{product_id}/{locale}/fit.png"): KK,
    ("GET", "/translate/review"): TRANSLATORS,  # bulk review of the drafts of one's own languages
    ("POST", "/translate/review/{product_id}/{locale}/approve"): KK,
    ("POST", "/translate/review/{product_id}/{locale}/reject"): KK,
}
# fmt: on

PARAMS = {
    "product_id": "1",
    "locale": "kk",
    "currency": "KZT",
    "stream_id": "1",
    "image_id": "1",
    "item_id": "1",
    "webhook_id": "1",
    "synonym_id": "1",
    "rule_id": "1",
    "sha256": "0" * 64,
    "rendition": "thumb",
    "slug": "validation",
}
QUERY = {
    "/api/v1/translations/import": "?locale=kk",
    "/api/v1/translations/queue": "?locale=kk",
    "/api/v1/translations/memory.tmx": "?source=ru&target=kk",
}
SESSION_ENDING = {("POST", "/signin"), ("POST", "/signout")}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def concrete(path: str) -> str:
    """The path with its parameters filled in (the product, stream and locale set up below)."""
    return re.sub(r"\{(\w+)\}", lambda m: PARAMS[m.group(1)], path) + QUERY.get(path, "")


def app_routes(app: Flask) -> set[tuple[str, str]]:
    """Every (method, path) the app serves, spelled as the table spells them (static files aside)."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        routes |= {(method, path) for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    return routes


def test_the_table_names_every_operation_and_page(app: Flask) -> None:
    table = set(API) | set(PAGES)
    served = app_routes(app)
    assert served - table == set(), "served but not in the access table"
    assert table - served == set(), "in the access table but not served"


@pytest.fixture
def world(app: Flask, client: FlaskClient, tokens: Tokens) -> Tokens:
    """A published product 1, a stream 1 of the host, and every role able to sign in to pages."""
    made = client.post("/api/v1/products", json=product(), headers=tokens.headers("editor"))
    assert (made.status_code, made.json["id"]) == (201, 1), made.json
    stream = client.post("/api/v1/streams", json=STREAM, headers=tokens.headers("host"))
    assert (stream.status_code, stream.json["id"]) == (201, 1), stream.json
    for role_name, role, locales in (
        ("admin", Role.ADMIN, []),
        ("editor", Role.EDITOR, []),
        ("host", Role.HOST, []),
        ("translator_kk", Role.TRANSLATOR, ["kk"]),
        ("translator_ru", Role.TRANSLATOR, ["ru"]),
    ):
        add_staff(app, f"page-{role_name}", role, locales=locales)
    # a stream is run by its host and co-hosts: the host signing in to pages is made a co-host
    etag = client.get("/api/v1/streams/1").headers["ETag"]
    shared = client.put(
        "/api/v1/streams/1/hosts",
        json={"co_hosts": ["page-host"]},
        headers={**tokens.headers("host"), "If-Match": etag},
    )
    assert shared.status_code == 200, shared.json
    return tokens


def call_api(client: FlaskClient, tokens: Tokens, role: str, method: str, path: str) -> TestResponse:
    headers = tokens.headers(role) if role != "anonymous" else {}
    headers["If-Match"] = '"stale"'
    response = client.open(concrete(path), method=method, headers=headers, json={})
    response.close()  # the event stream never ends by itself
    return response


def refusal_of_api(role: str, status: int) -> bool:
    return status == (401 if role == "anonymous" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_every_api_operation_as(client: FlaskClient, world: Tokens, role: str) -> None:
    wrong = []
    for (method, path), allowed in API.items():
        status = call_api(client, world, role, method, path).status_code
        refused = refusal_of_api(role, status)
        if status >= 500 or refused == (role in allowed) or (role in allowed and status in (401, 403)):
            expected = "allowed" if role in allowed else ("401" if role == "anonymous" else "403")
            wrong.append(f"{method} {path}: expected {expected}, got {status}")
    assert not wrong, "\n".join(wrong)


def page_client(app: Flask, role: str) -> tuple[FlaskClient, str]:
    """A browser-like client signed in as *role* (or not), and a CSRF token of its session."""
    client = app.test_client()
    if role != "anonymous":
        signed = sign_in(client, f"page-{role}")
        assert signed.status_code in (302, 303), signed.status_code
        page = client.get("/")
    else:
        page = client.get("/signin")
    found = _CSRF.search(page.get_data(as_text=True))
    assert found, f"no form with a CSRF token for {role}"
    return client, found.group(1)


def refusal_of_page(role: str, response: TestResponse) -> bool:
    if role == "anonymous":
        return response.status_code in (302, 303) and "/signin" in response.headers.get("Location", "")
    return response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_every_page_as(app: Flask, world: Tokens, role: str) -> None:
    wrong = []
    main = page_client(app, role)
    # signing out ends every session of the user at once: those requests come last
    for (method, path), allowed in sorted(PAGES.items(), key=lambda entry: entry[0] in SESSION_ENDING):
        # signing in and out end the session: those go from a session of their own
        client, token = page_client(app, role) if (method, path) in SESSION_ENDING else main
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(concrete(path), method=method, data=data)
        refused = refusal_of_page(role, response)
        if response.status_code >= 500 or refused == (role in allowed):
            expected = "allowed" if role in allowed else "refused"
            wrong.append(f"{method} {path}: expected {expected}, got {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("role", "status"), [("translator_kk", 403), ("host", 403), ("anonymous", 401)])
def test_only_staff_may_set_rates(client: FlaskClient, tokens: Tokens, role: str, status: int) -> None:
    headers = tokens.headers(role) if role != "anonymous" else {}
    response = client.put("/api/v1/rates/KZT", json={"per_cny": "68.5"}, headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_tokens_are_not_accepted_in_the_query_string(client: FlaskClient, tokens: Tokens) -> None:
    response = client.post(f"/api/v1/products?access_token={tokens['editor']}", json=product())
    assert response.status_code == 401
