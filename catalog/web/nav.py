"""The navigation each member of staff sees, by role."""

from __future__ import annotations

import typing as t

from flask import current_app
from flask import request
from flask import url_for

from catalog.models import Role
from catalog.models import User
from catalog.web.context import _

#: ``(endpoint, roles that see it)``; admins see everything that exists.
_ENTRIES: tuple[tuple[str, tuple[Role, ...]], ...] = (
    ("staff.products", (Role.EDITOR,)),
    ("staff.import_sheet", (Role.EDITOR,)),
    ("staff.rates", (Role.EDITOR,)),
    ("staff_search.index", (Role.EDITOR,)),
    ("staff_search_analytics.report", (Role.EDITOR,)),
    ("staff_tax_refund.rules", (Role.ADMIN,)),
    ("host.console_index", (Role.HOST,)),
    ("translator.queue", (Role.TRANSLATOR,)),
)


def _labels() -> dict[str, str]:
    return {
        "staff.products": _("Products"),
        "staff.import_sheet": _("Import"),
        "staff.rates": _("Exchange rates"),
        "staff_search.index": _("Synonyms and rules"),
        "staff_search_analytics.report": _("Search analytics"),
        "staff_tax_refund.rules": _("Tax refund rules"),
        "host.console_index": _("Shows"),
        "translator.queue": _("Translations"),
    }


def nav_for(user: User | None) -> list[dict[str, t.Any]]:
    """Menu entries *user* may use, with their links; empty for viewers."""
    if user is None:
        return []
    labels = _labels()
    entries = []
    for endpoint, roles in _ENTRIES:
        if endpoint not in current_app.view_functions:
            continue
        if user.role is not Role.ADMIN and user.role not in roles:
            continue
        href = url_for(endpoint)
        entries.append({"href": href, "label": labels[endpoint], "current": request.path.startswith(href)})
    return entries
