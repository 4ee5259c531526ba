"""``/problems/<slug>``: the page each problem document's ``type`` points to, saying what it means.

Every problem the API answers has ``"type": "/problems/<slug>"``; that address describes the
problem for the developer of a client (in English, like the API document): its status, what
causes it and what to do about it.
"""

from __future__ import annotations

import html

from flask import Blueprint
from flask import Response
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from catalog.errors import PROBLEMS
from catalog.errors import NotFound
from catalog.errors import Problem

bp = Blueprint("problems", __name__, url_prefix="/problems")

WHAT_TO_DO = {
    "bad-request": "The request could not be read: malformed JSON, a bad list cursor or a header"
    " that is not what the endpoint takes. `detail` says which; fix the request and send it again.",
    "unauthorized": "No token, or a token that is wrong, revoked or expired. Send"
    " `Authorization: Bearer <token>` with a token from `tianshan users add`.",
    "forbidden": "The token is valid, but its role (or, for translators, its locales) does not allow"
    " this action. Ask an admin for a role that does.",
    "not-found": "Nothing exists at this address (or the id is out of range). Check the id; lists"
    " give the ids that exist.",
    "request-timeout": "The client stopped sending the request before it was complete.",
    "conflict": "The request contradicts the current state: a duplicate SKU, a cursor moved while the"
    " stream is not live, or texts changed by someone else since a translation file was exported"
    " (`conflicts` lists base, current and incoming text). Read the current state and decide.",
    "precondition-failed": "`If-Match` names an ETag that is no longer current: someone changed the"
    " resource since you read it. Read it again (the answer may carry the current version), merge,"
    " and send with the new ETag. Nothing was overwritten.",
    "payload-too-large": "The body is larger than this endpoint takes (`detail` gives the limit).",
    "unsupported-media-type": "The body's Content-Type is not one this endpoint reads; the API"
    " document lists the media types of each request body.",
    "validation": "The request is well formed but some values break the rules. `errors` names each"
    " field (`price.amount`, `content.zh.name`, a file's line or unit) with a message; fix those.",
    "precondition-required": "Changes need `If-Match` with the ETag you last read, so that no change"
    " is overwritten without being seen. Read the resource, then send its ETag.",
    "too-many-requests": "Too many attempts in a short time (sign-ins, for instance). Wait for the"
    " number of seconds in `Retry-After`.",
    "unavailable": "The database or the search engine is busy or unreachable; nothing was changed."
    " Try again after `Retry-After` seconds.",
    "method-not-allowed": "This address exists but does not take this method; `Allow` lists those it does.",
    "internal": "A fault of the service, not of the request; it has been logged with the request's"
    " `X-Request-ID`. Report that id.",
    "insufficient-storage": "The media disk is full; nothing was stored. Try again once an operator"
    " has made room.",
}


def problem_kinds() -> dict[str, Problem]:
    """Every kind of problem the service answers, by slug."""
    kinds: dict[str, Problem] = {}
    for problem in PROBLEMS.values():
        kinds.setdefault(problem.slug, problem)
    return kinds


@bp.get("/<slug>")
def describe(slug: str) -> ResponseReturnValue:
    kind = problem_kinds().get(slug)
    if kind is None:
        raise NotFound(gettext("There is nothing at this address."))
    title, text = html.escape(str(kind.title)), html.escape(WHAT_TO_DO.get(slug, ""))
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title} ({kind.status})</title></head><body>"
        f"<h1>{title}</h1><p>HTTP status {kind.status}. Problem type <code>/problems/{slug}</code>.</p>"
        f"<p>{text}</p></body></html>"
    )
    response = Response(page, mimetype="text/html")
    response.headers["Content-Language"] = "en"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
