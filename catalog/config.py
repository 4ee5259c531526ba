"""Configuration: defaults in code, deployment values from ``TIANSHAN_*`` environment variables."""

from __future__ import annotations

import copy
import secrets
import typing as t
from dataclasses import dataclass
from pathlib import Path

from flask import Config
from flask import Flask

#: The repository (or installed distribution) root; ``translations/`` sits beside ``catalog/``.
ROOT = Path(__file__).resolve().parent.parent


T = t.TypeVar("T")


@dataclass(frozen=True)
class Setting(t.Generic[T]):
    """One setting: its typed default and one line of meaning (the README's table repeats both)."""

    default: T
    meaning: str


#: Every setting the catalog reads, with its default for the embedded setup. A deployment sets
#: any of them as ``TIANSHAN_<KEY>`` (JSON values: ``false``, ``30``, ``"Asia/Almaty"``); a
#: ``None`` default is derived when the app starts, as the meaning says.
SETTINGS: dict[str, Setting[t.Any]] = {
    # Storage and secrets
    "INSTANCE_PATH": Setting[str | None](None, "the folder for the database, search index, media and secret key (default instance/)"),
    "DATABASE_URL": Setting[str | None](None, "the database: postgresql://user:pass@host/db in production (default sqlite:///instance/catalog.db)"),
    "DATABASE_BUSY_TIMEOUT": Setting[float](15.0, "seconds a request waits for a database lock before answering 503"),
    "SEARCH_URL": Setting[str | None](None, "the search engine: elasticsearch://host:9200 or opensearch://host:9200 (default sqlite:///instance/search.db)"),
    "SEARCH_OPTIONS": Setting[dict[str, t.Any]]({}, "connection settings of a search server (timeouts, TLS, credentials, index name)"),
    "SEARCH_CURATION_SECONDS": Setting[float](3.0, "seconds a process keeps the staff's synonyms and query rules before reading them again"),
    "SEARCH_SYNC_AFTER_REQUEST": Setting[bool](True, "push each request's search changes right after it commits (embedded setup)"),
    "MEDIA_ROOT": Setting[str | None](None, "the folder of local media storage (default instance/media)"),
    "MEDIA_URL": Setting[str | None](None, "where pictures are stored: file:///path, or s3://bucket/prefix with the AWS_* variables (default: file:// of MEDIA_ROOT)"),
    "MEDIA_S3_ADDRESSING": Setting[str]("auto", "how S3 requests name the bucket: auto, path (MinIO, Ceph, S3Proxy) or virtual"),
    "MEDIA_TIMEOUT_SECONDS": Setting[float](5.0, "seconds to connect to or wait on object storage before a request answers 503"),
    "MEDIA_SERVING": Setting[str]("stream", "how /media answers: stream (through the app, ETag and 304) or redirect (to the bucket or MEDIA_PUBLIC_URL)"),
    "MEDIA_PUBLIC_URL": Setting[str | None](None, "base URL of the bucket's objects behind a CDN, for redirects (default: presigned URLs)"),
    "MEDIA_LINK_SECONDS": Setting[int](3600, "how long a presigned redirect stays valid"),
    "MEDIA_CACHE_BYTES": Setting[int](64 * 1024 * 1024, "rendition bytes kept in memory per process (still served while the storage is unreachable)"),
    "SECRET_KEY": Setting[str | None](None, "signs cursors and sessions (default generated once into instance/secret_key)"),
    # Requests
    "MAX_CONTENT_LENGTH": Setting[int](1024 * 1024, "largest JSON request body in bytes (uploads have their own limit)"),
    "MEDIA_MAX_UPLOAD_BYTES": Setting[int](25 * 1024 * 1024, "largest picture upload in bytes"),
    "CLIENT_IDLE_TIMEOUT": Setting[float](30.0, "seconds a request waits on a silent client (above gunicorn's keep-alive)"),
    "CARD_CACHE_ENTRIES": Setting[int](256, "rendered card PNGs kept in memory per process"),
    "JSON_CACHE_ENTRIES": Setting[int](4096, "rendered product JSON kept in memory per process"),
    # Locales and money
    "DEFAULT_LOCALE": Setting[str]("zh", "the pages' locale when the request names none"),
    "DEFAULT_CURRENCY": Setting[str]("CNY", "the currency prices are entered and converted from"),
    "BABEL_DEFAULT_LOCALE": Setting[str]("zh", "the UI catalog used when no locale is chosen"),
    "BABEL_TRANSLATION_DIRECTORIES": Setting[str | None](None, "the folder of the compiled UI catalogs (default translations/ beside catalog/)"),
    # Live shows and webhooks
    "STREAMS_TIME_ZONE": Setting[str]("Asia/Urumqi", "the studio's IANA time zone, for shows that name none"),
    "LIVE_POLL_SECONDS": Setting[float](0.05, "how often a process with listeners looks for new events (SQLite)"),
    "LIVE_HEARTBEAT_SECONDS": Setting[float](15.0, "seconds between comment lines that keep proxies from closing idle event streams"),
    "LIVE_QUEUE_SIZE": Setting[int](64, "events a listener may fall behind before it is dropped"),
    "LIVE_MAX_LISTENERS": Setting[int](5000, "event-stream listeners per process; more get 503 with Retry-After"),
    "LIVE_LOW_STOCK": Setting[int](10, "cards flag stock at or below this as low"),
    "READINESS_RATE_MAX_AGE_HOURS": Setting[float](48.0, "go-live readiness warns about an exchange rate older than this"),
    "LIVE_CARD_TTL_SECONDS": Setting[float](60.0, "cached cards are rebuilt at least this often (exchange rates)"),
    "LIVE_REQUESTS_PER_MINUTE": Setting[int](6, "product requests one viewer may send to a show per minute (per process); more get 429"),
    # Analytics (no user, no address is stored)
    "ANALYTICS_FLUSH_SECONDS": Setting[float](1.0, "seconds search and show counts wait in memory before they are written in one batch"),
    "ANALYTICS_BEACONS_PER_MINUTE": Setting[int](240, "beacons one client address may send per minute to one worker; more get 429"),
    "ANALYTICS_PANEL_SECONDS": Setting[float](5.0, "how often the host console's analytics panel refreshes"),
    "WEBHOOKS_TIMEOUT_SECONDS": Setting[float](5.0, "seconds a webhook receiver has to answer"),
    "WEBHOOKS_MAX_ATTEMPTS": Setting[int](8, "deliveries tried before a webhook event is given up"),
    "WEBHOOKS_BACKOFF_SECONDS": Setting[float](10.0, "first wait before a retry; each next one is four times longer, capped at an hour"),
    "WEBHOOKS_IN_PROCESS": Setting[bool](True, "deliver webhooks from the web process (false: run tianshan webhooks deliver)"),
    "WEBHOOKS_ALLOW_LOOPBACK": Setting[bool | None](None, "allow webhook URLs on loopback addresses (default: only when TESTING)"),
    # Pages, sessions and sign-in
    "WEB_SECURE_COOKIES": Setting[bool](True, "session cookies only over HTTPS and strict CSRF referrer checks"),
    "SESSION_COOKIE_NAME": Setting[str]("tianshan_session", "the name of the pages' session cookie"),
    "SESSION_COOKIE_SECURE": Setting[bool | None](None, "send the session cookie over HTTPS only (default: WEB_SECURE_COOKIES)"),
    "SESSION_COOKIE_HTTPONLY": Setting[bool](True, "hide the session cookie from scripts"),
    "SESSION_COOKIE_SAMESITE": Setting[str | None]("Lax", "the session cookie's SameSite attribute"),
    "PERMANENT_SESSION_LIFETIME": Setting[int](12 * 3600, "seconds a staff sign-in lasts from the moment of signing in, checked on the server"),
    "WTF_CSRF_CHECK_DEFAULT": Setting[bool](False, "let Flask-WTF check every request (the pages check theirs; the API has none)"),
    "WTF_CSRF_TIME_LIMIT": Setting[int | None](None, "seconds a form's CSRF token lasts (none: as long as the session)"),
    "WTF_CSRF_SSL_STRICT": Setting[bool | None](None, "require a same-site Referer on HTTPS form posts (default: WEB_SECURE_COOKIES)"),
    "SIGNIN_MAX_FAILURES": Setting[int](5, "failed sign-ins of one name (from any address) before it must wait"),
    "SIGNIN_ADDRESS_MAX_FAILURES": Setting[int](20, "failed sign-ins from one address (any names) before it must wait"),
    "SIGNIN_WINDOW_SECONDS": Setting[float](300.0, "seconds the failed sign-ins are counted and the lock lasts"),
    # Links, hosts and operators
    "PUBLIC_BASE_URL": Setting[str | None](None, "base of absolute links (QR codes, calendars, webhooks); default: the request's trusted host"),
    "TRUSTED_HOSTS": Setting[list[str] | None](["localhost", "127.0.0.1", "::1"], "host names answered (a JSON list); a request for any other gets 400"),
    "METRICS_TOKEN": Setting[str | None](None, "bearer token /metrics asks for; unset: only an admin's API token opens it"),
    "HEALTH_DETAILS_ROLES": Setting[tuple[str, ...]](("admin", "editor", "host"), "roles whose token sees the details of /healthz"),
    "IMPORT_MAX_UNCOMPRESSED_BYTES": Setting[int](64 * 1024 * 1024, "total size an imported XLSX may expand to before it is read"),
    "IMPORT_MAX_COMPRESSION_RATIO": Setting[int](100, "largest expansion of any one member of an imported XLSX"),
    # Logs and tests
    "LOG_JSON": Setting[bool | None](None, "log one JSON object per line (default: yes unless TESTING)"),
    "LOG_LEVEL": Setting[str]("INFO", "the lowest level logged: DEBUG, INFO, WARNING or ERROR"),
    "TESTING": Setting[bool](False, "test mode: errors propagate, plain logs, loopback webhooks allowed"),
}  # fmt: skip


def configure(app: Flask, overrides: t.Mapping[str, t.Any] | None = None) -> None:
    """Load defaults, then ``TIANSHAN_*`` variables, then *overrides*; fill in instance paths."""
    app.config.from_mapping({key: copy.deepcopy(setting.default) for key, setting in SETTINGS.items()})
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
    if not app.config["MEDIA_URL"]:
        app.config["MEDIA_URL"] = Path(app.config["MEDIA_ROOT"]).resolve().as_uri()
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    if not app.config["BABEL_TRANSLATION_DIRECTORIES"]:
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    app.config["INSTANCE_PATH"] = str(instance)
    _derive(app.config)


def _derive(config: Config) -> None:
    """Fill in the settings whose default follows another one (a value given is kept)."""
    for key in ("SESSION_COOKIE_SECURE", "WTF_CSRF_SSL_STRICT"):
        if config[key] is None:
            config[key] = bool(config["WEB_SECURE_COOKIES"])
    if config["WEBHOOKS_ALLOW_LOOPBACK"] is None:
        config["WEBHOOKS_ALLOW_LOOPBACK"] = bool(config["TESTING"])
    if config["LOG_JSON"] is None:
        config["LOG_JSON"] = not config["TESTING"]


def _instance_secret(path: Path) -> str:
    """Return the instance's secret key, generating it on first use (never kept in git)."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(key)
    return key
