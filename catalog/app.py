"""The application factory: it only wires things up (no migrations, no network calls)."""

from __future__ import annotations

import logging
import os
import typing as t

from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import has_request_context
from flask_babel import Babel

from catalog import analytics
from catalog import api
from catalog import caches
from catalog import client_timeouts
from catalog import content_language
from catalog import curating
from catalog import db
from catalog import errors
from catalog import live
from catalog import media_files
from catalog import media_store
from catalog import observability
from catalog import raw_query
from catalog import routing
from catalog import searching
from catalog import web
from catalog.cli import commands
from catalog.config import ROOT
from catalog.config import configure
from catalog.jsonprovider import OrjsonProvider
from catalog.negotiation import ui_locale
from catalog.services import images
from catalog.services import indexing
from search import SearchError

log = logging.getLogger(__name__)


class CatalogFlask(Flask):
    """Flask that asks once per view or hook, not on every call, whether it is a coroutine."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        self._sync: dict[t.Callable[..., t.Any], t.Callable[..., t.Any]] = {}
        super().__init__(*args, **kwargs)

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        try:
            return self._sync[func]
        except KeyError:
            self._sync[func] = wrapped = super().ensure_sync(func)
            return wrapped


def create_app(config: t.Mapping[str, t.Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the app; *config* overrides the defaults and the ``TIANSHAN_*`` environment.

    The instance folder (SQLite file, search index, media, secret key) defaults to
    ``TIANSHAN_INSTANCE_PATH`` or ``instance/`` beside the code.
    """
    instance_path = instance_path or os.environ.get("TIANSHAN_INSTANCE_PATH") or str(ROOT / "instance")
    app = CatalogFlask("catalog", instance_path=instance_path, instance_relative_config=True)
    app.json_provider_class = OrjsonProvider
    app.json = OrjsonProvider(app)
    routing.init_app(app)
    configure(app, config)
    Babel(app, locale_selector=_ui_locale)
    db.init_app(app)
    live.init_app(app)
    analytics.init_app(app)
    searching.init_app(app)
    curating.init_app(app)
    media_store.init_app(app)
    caches.init_app(app)
    app.extensions["thumbnails"] = images.thumbnail_urls
    errors.init_app(app)
    content_language.init_app(app)
    observability.init_app(app)
    api.init_app(app)
    app.register_blueprint(media_files.bp)
    web.init_app(app)
    commands.init_app(app)
    app.after_request(_deliver_outbox)
    app.wsgi_app = client_timeouts.ClientTimeouts(  # type: ignore[method-assign]
        raw_query.RawQueryStrings(app.wsgi_app), float(app.config["CLIENT_IDLE_TIMEOUT"])
    )
    return app


def _ui_locale() -> str:
    """The UI language of this request (see :func:`catalog.negotiation.ui_locale`); the command line speaks English."""
    return ui_locale() if has_request_context() else "en"


def _deliver_outbox(response: Response) -> Response:
    """In the embedded setup, push this request's search changes right after it commits."""
    session = g.get("db_session")
    if session is None or not session.info.pop("outbox_written", False):
        return response
    if not current_app.config["SEARCH_SYNC_AFTER_REQUEST"]:
        return response
    session.close()  # the response is built; release the request's transaction (and SQLite's write lock)
    try:
        indexing.drain(
            db.get_db().write_sessions,
            searching.get_search().engine,
            batch=200,
            thumbnails=images.thumbnail_urls,
            context=caches.remembered_document_context,
            count_pending=False,
        )
    except SearchError as exc:  # the outbox keeps the change; a later drain delivers it
        log.warning("search sync deferred: %s", exc)
    return response
