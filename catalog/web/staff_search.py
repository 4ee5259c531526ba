"""The staff page of search synonyms and query rules: list them, add one, remove one."""

from __future__ import annotations

import datetime as dt
import re
import typing as t
from zoneinfo import ZoneInfo

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from catalog.curating import get_curations
from catalog.db import get_session
from catalog.errors import CatalogError
from catalog.errors import Conflict
from catalog.errors import FieldError
from catalog.errors import Invalid
from catalog.http import parse_model
from catalog.models import Role
from catalog.models import utcnow
from catalog.schemas.search_curation import RuleIn
from catalog.schemas.search_curation import SynonymIn
from catalog.services import search_rules as rules
from catalog.services import search_synonyms as synonyms
from catalog.web.context import _
from catalog.web.signin import signed_in_user
from catalog.web.signin import staff_required
from translations.locales import READING_LOCALES

bp = Blueprint("staff_search", __name__, url_prefix="/staff/search")
#: Entries shown on the page, oldest first.
SHOWN = 200
_PIN_RE = re.compile(r"^(\d{1,9})@(\d{1,3})$")
_LIST_RE = re.compile(r"[\s,;]+")


def _items(text: str) -> list[str]:
    return [item for item in _LIST_RE.split(text.strip()) if item]


def _form_errors(errors: list[FieldError]) -> dict[str, list[str]]:
    """Messages by form field: ``pins[0].product_id`` belongs to ``pins``, ``boosts.booths.1`` to ``boost_booths``."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        parts = re.split(r"[.\[]", error["field"])
        name = f"boost_{parts[1]}" if parts[0] == "boosts" and len(parts) > 1 else parts[0]
        by_field.setdefault(name, []).append(error["message"])
    return by_field


def _page(values: dict[str, str], errors: list[FieldError], status: int = 200) -> tuple[str, int]:
    session = get_session()
    now = utcnow()
    page = render_template(
        "staff/search.html",
        synonyms=synonyms.list_synonyms(session, None, None, SHOWN),
        rules=[rules.rule_json(row, now) for row in rules.list_rules(session, None, SHOWN)],
        locales=READING_LOCALES,
        values=values,
        errors=errors,
        field_errors=_form_errors(errors),
        studio_zone=current_app.config["STREAMS_TIME_ZONE"],
    )
    return page, status


@bp.get("")
@staff_required(Role.EDITOR)
def index() -> ResponseReturnValue:
    """The synonyms and rules, with the add form prefilled from ``?term=`` and ``?locale=``."""
    prefill = {key: request.args.get(key, "")[:100] for key in ("term", "locale")}
    return _page(prefill, [])


def _studio_time(text: str, field: str, errors: list[FieldError]) -> str | None:
    """A ``datetime-local`` value read in the studio's time zone, as ISO 8601 with its offset."""
    if not text.strip():
        return None
    try:
        local = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        errors.append({"field": field, "message": _("Write a date and time such as 2026-12-02T19:00.")})
        return None
    return local.replace(tzinfo=ZoneInfo(current_app.config["STREAMS_TIME_ZONE"])).isoformat()


def _pins(text: str, errors: list[FieldError]) -> list[dict[str, str]]:
    pins = []
    for item in _items(text):
        found = _PIN_RE.match(item)
        if found is None:
            errors.append(
                {"field": "pins", "message": _("Write each pin as product@position, such as 12@1.")}
            )
            continue
        pins.append({"product_id": found.group(1), "position": found.group(2)})
    return pins


def _rule_body(form: t.Mapping[str, str], errors: list[FieldError]) -> dict[str, t.Any]:
    target = form.get("target", "query")
    text = form.get("text", "").strip()
    return {
        "query": text if target == "query" else None,
        "category": text if target == "category" else None,
        "pins": _pins(form.get("pins", ""), errors),
        "hides": _items(form.get("hides", "")),
        "boosts": {
            "countries": [item.upper() for item in _items(form.get("boost_countries", ""))],
            "categories": _items(form.get("boost_categories", "")),
            "booths": _items(form.get("boost_booths", "")),
        },
        "starts_at": _studio_time(form.get("starts_at", ""), "starts_at", errors),
        "ends_at": _studio_time(form.get("ends_at", ""), "ends_at", errors),
        "note": form.get("note", "").strip(),
    }


def _saved(message: str) -> ResponseReturnValue:
    get_session().commit()
    get_curations().forget()
    flash(message)
    return redirect(url_for(".index"))


@bp.post("/synonyms")
@staff_required(Role.EDITOR)
def add_synonym() -> ResponseReturnValue:
    form = {key: request.form.get(key, "") for key in ("locale", "term", "synonyms")}
    body = {
        "locale": form["locale"],
        "term": form["term"],
        "synonyms": [s.strip() for s in form["synonyms"].split(",") if s.strip()],
        "two_way": request.form.get("two_way") == "on",
    }
    try:
        synonyms.add_synonym(get_session(), parse_model(SynonymIn, body), signed_in_user())
    except CatalogError as exc:
        get_session().rollback()
        return _page(form, exc.errors or [{"field": "form", "message": exc.detail}], 422)
    return _saved(_("The synonyms are saved."))


@bp.post("/rules")
@staff_required(Role.EDITOR)
def add_rule() -> ResponseReturnValue:
    form = dict(request.form.items())
    errors: list[FieldError] = []
    body = _rule_body(form, errors)
    try:
        if errors:
            raise Invalid.fields(errors)
        rules.add_rule(get_session(), parse_model(RuleIn, body), signed_in_user())
    except CatalogError as exc:
        get_session().rollback()
        return _page(form, exc.errors or [{"field": "form", "message": exc.detail}], 422)
    return _saved(_("The rule is saved."))


def _same_version(version: int) -> None:
    if request.form.get("version") != str(version):
        raise Conflict(_("Someone changed it meanwhile; look at it again before removing it."))


@bp.post("/synonyms/<int:synonym_id>/delete")
@staff_required(Role.EDITOR)
def remove_synonym(synonym_id: int) -> ResponseReturnValue:
    session = get_session()
    row = synonyms.get_synonym(session, synonym_id)
    _same_version(row.version)
    synonyms.remove_synonym(session, row, signed_in_user())
    return _saved(_("The synonyms are removed."))


@bp.post("/rules/<int:rule_id>/delete")
@staff_required(Role.EDITOR)
def remove_rule(rule_id: int) -> ResponseReturnValue:
    session = get_session()
    row = rules.get_rule(session, rule_id)
    _same_version(row.version)
    rules.remove_rule(session, row, signed_in_user())
    return _saved(_("The rule is removed."))
