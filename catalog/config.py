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
