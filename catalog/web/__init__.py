"""The server-rendered pages: viewers, staff, hosts, the OBS overlay and translators."""

from __future__ import annotations

import typing as t

from flask import Flask

from catalog.web import context
from catalog.web import host
from catalog.web import host_analytics
from catalog.web import host_requests
from catalog.web import overlay
from catalog.web import pictures
from catalog.web import replay
from catalog.web import security
from catalog.web import signin
from catalog.web import staff
from catalog.web import staff_search
from catalog.web import staff_search_analytics
from catalog.web import staff_tax_refund
from catalog.web import taxrefund
from catalog.web import translator
from catalog.web import translator_fit
from catalog.web import translator_review
from catalog.web import viewer
from catalog.web.nav import nav_for


def _staff_values() -> dict[str, t.Any]:
    user = signin.signed_in_user()
    return {"web_user": user, "staff_nav": nav_for(user)}


def init_app(app: Flask) -> None:
    """Mount the pages with their protections (CSRF, cookies, headers) and template helpers."""
    security.init_app(app)
    context.init_app(app)
    signin.init_app(app)
    app.register_blueprint(viewer.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(staff_search_analytics.bp)
    app.register_blueprint(host.bp)
    app.register_blueprint(host_requests.bp)
    app.register_blueprint(replay.bp)
    app.register_blueprint(host_analytics.bp)
    app.register_blueprint(overlay.bp)
    app.register_blueprint(translator.bp)
    app.register_blueprint(translator_fit.bp)
    app.register_blueprint(translator_review.bp)
    app.register_blueprint(pictures.bp)
    app.register_blueprint(taxrefund.bp)
    app.register_blueprint(staff_tax_refund.bp)
    app.register_blueprint(staff_search.bp)
    app.context_processor(_staff_values)
