"""Configuration: defaults in code, deployment values from ``TIANSHAN_*`` environment variables."""

from __future__ import annotations

import secrets
import typing as t
from pathlib import Path

from flask import Flask

#: The repository (or installed distribution) root; ``translations/`` sits beside ``catalog/``.
ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    """Settings for the embedded setup: SQLite, embedded search and media in the instance folder."""

    DATABASE_URL: str | None = None  # default: sqlite:///<instance>/catalog.db
    SEARCH_URL: str | None = None  # default: sqlite:///<instance>/search.db
    MEDIA_ROOT: str | None = None  # default: <instance>/media
    SECRET_KEY: str | None = None  # default: generated once into <instance>/secret_key
    DATABASE_BUSY_TIMEOUT = 15.0  # seconds a request waits for a lock before answering 503
    MAX_CONTENT_LENGTH = 1024 * 1024  # JSON bodies; uploads have their own limit
    MEDIA_MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # the media pipeline's own limit
    CLIENT_IDLE_TIMEOUT = 30.0  # seconds a request waits on a silent client (above gunicorn keepalive)
    CARD_CACHE_ENTRIES = 256  # rendered card PNGs kept in memory per process
    JSON_CACHE_ENTRIES = 4096  # rendered product JSON kept in memory per process
    SEARCH_SYNC_AFTER_REQUEST = True  # drain the outbox after each write (embedded setup)
    SEARCH_OPTIONS: dict[str, t.Any] = {}
    DEFAULT_LOCALE = "zh"
    DEFAULT_CURRENCY = "CNY"
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    JSON_SORT_KEYS = False
    PUBLIC_BASE_URL: str | None = (
        None  # base of absolute links (QR codes, calendars, webhooks); default: the request's trusted host
    )
    TRUSTED_HOSTS: list[str] | None = [
        "localhost",
        "127.0.0.1",
        "::1",
    ]  # Host names answered; any other gets 400
    PERMANENT_SESSION_LIFETIME = 12 * 3600  # seconds a page session lasts from sign-in, checked on the server
    METRICS_TOKEN: str | None = (
        None  # bearer token /metrics asks for; unset: only an admin's API token opens it
    )
    HEALTH_DETAILS_ROLES = ("admin", "editor", "host")  # roles whose token sees /healthz details
    IMPORT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024  # total size an XLSX may expand to before it is read
    IMPORT_MAX_COMPRESSION_RATIO = 100  # largest expansion of any one member of an XLSX
    SIGNIN_MAX_FAILURES = 5  # failed sign-ins of one name (from any address) before it must wait
    SIGNIN_WINDOW_SECONDS = 300  # the window those failures are counted in
    SIGNIN_ADDRESS_MAX_FAILURES = 20  # failed sign-ins from one address (any names) before it must wait


def configure(app: Flask, overrides: t.Mapping[str, t.Any] | None = None) -> None:
    """Load defaults, then ``TIANSHAN_*`` variables, then *overrides*; fill in instance paths."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("TIANSHAN")
    if overrides:
        app.config.update(overrides)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'catalog.db'}"
    if not app.config["SEARCH_URL"]:
        app.config["SEARCH_URL"] = f"sqlite:///{instance / 'search.db'}"
    if not app.config["MEDIA_ROOT"]:
        app.config["MEDIA_ROOT"] = str(instance / "media")
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")


def _instance_secret(path: Path) -> str:
    """Return the instance's secret key, generating it on first use (never kept in git)."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(key)
    return key
