"""Property tests: a list cursor gives back its state, and nothing but this server's own cursor does.

An altered cursor answers 400, never a 500, including the alterations that base64 reading
overlooks (characters outside the alphabet, an added ``=``, the unused low bits of the last
character): only the exact text the server made is read.
"""

from __future__ import annotations

import contextlib
import shutil
import string
import typing as t
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from catalog import create_app
from catalog.errors import BadRequest
from catalog.http import decode_cursor
from catalog.http import encode_cursor

SECRET = "cursor-test-secret"
#: What a cursor is made of, so that it goes into a query string as it is.
URL_SAFE = set(string.ascii_letters + string.digits + "-_.")

# What a JSON document can hold; text without lone surrogates, which no query string carries.
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
KINDS = st.sampled_from(["products", "streams", "search", "history", "translation-queue"]) | TEXT.filter(bool)


@st.composite
def states(draw: st.DrawFn) -> tuple[str, dict[str, t.Any]]:
    """A kind and a cursor state of that kind, as the list views write them (``k`` names it)."""
    kind = draw(KINDS)
    return kind, {**draw(st.dictionaries(TEXT, JSON, max_size=5)), "k": kind}


@st.composite
def altered(draw: st.DrawFn, text: str) -> str:
    """*text* with one character flipped, inserted or deleted, or cut short (never to nothing:
    an empty cursor means the first page)."""
    how = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
    if how == "truncate":
        return text[: draw(st.integers(1, len(text) - 1))]
    at = draw(st.integers(0, len(text) - 1 if how != "insert" else len(text)))
    if how == "delete":
        return text[:at] + text[at + 1 :]
    char = draw(st.characters(blacklist_categories=["Cs"]))
    if how == "insert":
        return text[:at] + char + text[at:]
    return (
        text[:at]
        + draw(st.characters(blacklist_categories=["Cs"]).filter(lambda c: c != text[at]))
        + text[at + 1 :]
    )


@pytest.fixture(scope="module")
def cursor_app(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> t.Iterator[Flask]:
    """One app for every example (Hypothesis runs many examples per test function)."""
    root = tmp_path_factory.mktemp("cursor-app")
    shutil.copy(sqlite_template, root / "catalog.db")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{root / 'catalog.db'}",
            "SEARCH_URL": f"sqlite:///{root / 'search.db'}",
            "MEDIA_ROOT": str(root / "media"),
            "SECRET_KEY": SECRET,
        },
        instance_path=str(root),
    )
    yield app
    app.extensions["search"].close()
    app.extensions["db"].dispose()


@contextlib.contextmanager
def secret_key(app: Flask, key: str) -> t.Iterator[None]:
    """Sign with *key* for a moment, as another deployment would."""
    app.config["SECRET_KEY"] = key
    try:
        yield
    finally:
        app.config["SECRET_KEY"] = SECRET


@settings(max_examples=200, deadline=None)
@given(states())
def test_a_cursor_gives_back_its_state(cursor_app: Flask, drawn: tuple[str, dict[str, t.Any]]) -> None:
    kind, state = drawn
    with cursor_app.test_request_context():
        cursor = encode_cursor(state)
        assert set(cursor) <= URL_SAFE
        assert decode_cursor(cursor, kind) == state


@settings(max_examples=200, deadline=None)
@given(st.data(), states())
def test_an_altered_cursor_is_refused_with_400(
    cursor_app: Flask, data: st.DataObject, drawn: tuple[str, dict[str, t.Any]]
) -> None:
    kind, state = drawn
    with cursor_app.test_request_context():
        cursor = encode_cursor(state)
        changed = data.draw(altered(cursor), label="altered")
        with pytest.raises(BadRequest):
            decode_cursor(changed, kind)


@settings(max_examples=200, deadline=None)
@given(states(), KINDS)
def test_a_cursor_of_one_list_is_refused_by_another(
    cursor_app: Flask, drawn: tuple[str, dict[str, t.Any]], other: str
) -> None:
    kind, state = drawn
    with cursor_app.test_request_context():
        cursor = encode_cursor(state)
        if other != kind:
            with pytest.raises(BadRequest):
                decode_cursor(cursor, other)
        without_kind = encode_cursor({key: value for key, value in state.items() if key != "k"})
        with pytest.raises(BadRequest):
            decode_cursor(without_kind, kind)


@settings(max_examples=200, deadline=None)
@given(states(), st.text(min_size=1, max_size=64).filter(lambda key: key != SECRET))
def test_a_cursor_signed_with_another_secret_key_is_refused(
    cursor_app: Flask, drawn: tuple[str, dict[str, t.Any]], key: str
) -> None:
    kind, state = drawn
    with cursor_app.test_request_context():
        with secret_key(cursor_app, key):
            foreign = encode_cursor(state)
        with pytest.raises(BadRequest):
            decode_cursor(foreign, kind)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_the_api_answers_an_altered_cursor_with_a_400_problem(cursor_app: Flask, data: st.DataObject) -> None:
    client = cursor_app.test_client()
    with cursor_app.test_request_context():
        cursor = encode_cursor({"k": "products", "after": 0, "f": [None, None, None, None]})
    changed = data.draw(altered(cursor), label="altered")
    response = client.get("/api/v1/products", query_string={"cursor": changed})
    assert response.status_code == 400, response.data
    assert response.mimetype == "application/problem+json"
    assert "cursor" in response.get_json()["detail"]


def test_cursor_text_is_canonical(cursor_app: Flask) -> None:
    with cursor_app.test_request_context():
        cursor = encode_cursor({"k": "products", "after": 7})
        payload, signature = cursor.rsplit(".", 1)
        for changed in (cursor + "=", f"{payload}.{signature[:3]}é{signature[3:]}"):
            with pytest.raises(BadRequest):
                decode_cursor(changed, "products")
