"""The API root, health and the OpenAPI document."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask.typing import ResponseReturnValue

from catalog.api.spec import build_document
from catalog.api.spec import operation
from catalog.auth import current_reader
from catalog.db import get_session
from catalog.errors import CatalogError
from catalog.searching import get_search
from catalog.services.indexing import backlog
from search import SearchError

bp = Blueprint("meta_api", __name__)
API_VERSION = "1.0.0"


@bp.get("/api/v1")
@bp.get("/api/v1/")
def root() -> ResponseReturnValue:
    """The links a newcomer needs to find their way around."""
    return jsonify(
        {
            "name": "Tianshan Catalog",
            "links": {
                "openapi": "/api/v1/openapi.json",
                "health": "/healthz",
                "products": "/api/v1/products",
                "categories": "/api/v1/categories",
                "booths": "/api/v1/booths",
                "rates": "/api/v1/rates",
                "search": "/api/v1/search?q=",
                "suggest": "/api/v1/search/suggest?q=",
            },
        }
    )


@bp.get("/api/v1/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of this API."""
    if "openapi" not in current_app.extensions:
        current_app.extensions["openapi"] = build_document(
            current_app, title="Tianshan Catalog API", version=API_VERSION
        )
    return jsonify(current_app.extensions["openapi"])


@bp.get("/healthz")
@operation(
    summary="Health of the database and the search engine", tag="meta", responses={200: None, 503: None}
)
def healthz() -> ResponseReturnValue:
    """``{"status"}`` for anyone; the database and search details for staff tokens."""
    body: dict[str, t.Any] = {"status": "ok"}
    status = 200
    try:
        session = get_session()
        session.execute(sa.text("SELECT 1"))
        body["database"] = {
            "ok": True,
            "backend": session.get_bind().dialect.name,
            "outbox": backlog(session),
        }
    except sa.exc.SQLAlchemyError as exc:
        body["database"] = {"ok": False, "detail": str(exc).splitlines()[0]}
        body["status"], status = "unavailable", 503
    try:
        health = get_search().engine.health()
        body["search"] = {
            "ok": health.ok,
            "engine": health.engine,
            "detail": health.detail,
            "version": health.version,
            "documents": health.documents,
        }
    except SearchError as exc:
        health_ok = False
        body["search"] = {"ok": health_ok, "detail": str(exc)}
    if not body["search"]["ok"] and status == 200:
        body["status"] = "degraded"
    if not _sees_health_details():
        body = {"status": body["status"]}
    return jsonify(body), status


def _sees_health_details() -> bool:
    """Whether the caller's token belongs to a role that reads the details (``HEALTH_DETAILS_ROLES``)."""
    try:
        user = current_reader()
    except (CatalogError, sa.exc.SQLAlchemyError):  # a bad token, or no database to check it against
        return False
    return user is not None and user.role.value in current_app.config["HEALTH_DETAILS_ROLES"]
