"""The staff page of search analytics: what viewers search for, what finds nothing, what nobody opens."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from catalog.analytics import settled_session
from catalog.db import get_session
from catalog.errors import BadRequest
from catalog.models import Role
from catalog.models import utcnow
from catalog.services import search_analytics
from catalog.services.glossary_requests import add_term
from catalog.services.translating import check_locale
from catalog.web.context import _
from catalog.web.signin import signed_in_user
from catalog.web.signin import staff_required
from translations.locales import READING_LOCALES
from translations.locales import content_locale

bp = Blueprint("staff_search_analytics", __name__, url_prefix="/staff")
#: The periods offered, in days.
PERIODS = (1, 7, 30)


@bp.get("/search-analytics")
@staff_required(Role.EDITOR)
def report() -> ResponseReturnValue:
    """Top, zero-result and low click-through queries of the last days, with a click to act on each."""
    days = request.args.get("days", type=int) or 7
    days = days if days in PERIODS else 7
    locale = request.args.get("locale") or None
    locale = locale if locale in READING_LOCALES else None
    end = utcnow()
    found = search_analytics.report(settled_session(), end - dt.timedelta(days=days), end, locale)
    return render_template(
        "staff/search_analytics.html",
        report=found,
        days=days,
        periods=PERIODS,
        locale=locale,
        locales=READING_LOCALES,
        glossary_locale=content_locale,
    )


@bp.post("/search-analytics/glossary")
@staff_required(Role.EDITOR)
def to_glossary() -> ResponseReturnValue:
    """Send a searched term to the translators' glossary of its locale."""
    term = search_analytics.normalize_query(request.form.get("term", ""))
    if not term:
        raise BadRequest(_("Choose a term to send to the glossary."))
    locale = check_locale(content_locale(request.form.get("locale", "")))
    session = get_session()
    user = signed_in_user()
    assert user is not None
    added = add_term(session, locale, term, _("Viewers search for this."), user)
    session.commit()
    if added:
        flash(_("“%(term)s” is in the %(locale)s glossary now.", term=term, locale=locale))
    else:
        flash(_("“%(term)s” is already in the %(locale)s glossary.", term=term, locale=locale))
    return redirect(
        url_for(".report", days=request.form.get("days"), locale=request.form.get("filter") or None)
    )
