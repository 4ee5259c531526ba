"""The staff's search analytics page: the lists, the synonym link and the glossary button."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from catalog.db import get_session
from catalog.services.translating_glossary import get_glossary
from tests.web.conftest import add_product
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in


def test_the_page_lists_queries_and_sends_a_term_to_the_glossary(
    app: Flask, client: FlaskClient, editor: str
) -> None:
    add_product(app)
    assert sign_in(client, editor).status_code in (302, 303)
    for query, times in (("мука", 3), ("шарап", 2)):
        for _ in range(times):
            assert client.get("/search", query_string={"q": query, "locale": "kk"}).status_code == 200
    page = client.get("/staff/search-analytics?days=1")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    top = text[text.index('id="top"') : text.index('id="zero"')]
    assert top.index('data-query="мука"') < top.index('data-query="шарап"')
    zero = text[text.index('id="zero"') : text.index('id="low"')]
    assert 'data-query="шарап"' in zero and 'data-query="мука"' not in zero
    assert "/staff/search?term=%D1%88%D0%B0%D1%80%D0%B0%D0%BF&amp;locale=kk" in zero
    form = client.get("/staff/search?term=%D1%88%D0%B0%D1%80%D0%B0%D0%BF&locale=kk").get_data(as_text=True)
    assert 'value="шарап"' in form and '<option value="kk" selected>' in form

    token = csrf_token(text)
    sent = client.post(
        "/staff/search-analytics/glossary",
        data={"csrf_token": token, "term": "шарап", "locale": "kk", "days": "1"},
        follow_redirects=True,
    )
    assert sent.status_code == 200
    assert "is in the kk glossary now" in html.unescape(sent.get_data(as_text=True))
    again = client.post(
        "/staff/search-analytics/glossary",
        data={"csrf_token": token, "term": "Шарап", "locale": "kk"},
        follow_redirects=True,
    )
    assert "is already in the kk glossary" in html.unescape(again.get_data(as_text=True))
    with app.app_context():
        kept = get_glossary(get_session(), "kk")
        assert kept is not None
        assert [(entry.source, entry.target) for entry in kept.terms] == [("шарап", None)]
    refused = client.post(
        "/staff/search-analytics/glossary", data={"csrf_token": token, "term": " ", "locale": "kk"}
    )
    assert refused.status_code == 400
    unknown = client.post(
        "/staff/search-analytics/glossary", data={"csrf_token": token, "term": "x", "locale": "xx"}
    )
    assert unknown.status_code == 422
