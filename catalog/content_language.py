"""``Content-Language`` and ``Vary: Accept-Language`` on every answer whose language was negotiated.

The reading locale (of a product, a page, a schedule) and the language of messages are both
chosen from ``?locale=``, the saved choice and ``Accept-Language``. Whoever chooses notes the
choice here; the answer then names its language, and caches learn that it depends on the
request's ``Accept-Language`` (and the ``locale`` cookie that saves the choice).
"""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask import g
from flask import has_request_context

from translations.locales import REGISTRY

#: BCP 47 tags of the reading locales (Chinese is written in simplified characters).
LANGUAGE_TAGS = {code: info.html_lang for code, info in REGISTRY.items()}


def note_language(locale: str, *, content: bool) -> None:
    """Record that this request's answer is in *locale*: its content (*content*) or its messages."""
    if not has_request_context():
        return
    if content:
        g.content_language = locale
    else:
        g.setdefault("ui_language", locale)


def add_language_headers(response: Response) -> Response:
    """Name the negotiated language of *response* and say what it varies by."""
    locale = g.get("content_language") or g.get("ui_language")
    if locale is None:
        return response
    if "Content-Language" not in response.headers:
        response.headers["Content-Language"] = LANGUAGE_TAGS.get(locale, locale)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    """Add the language headers to every answer."""
    app.after_request(add_language_headers)
