"""The app's media storage, rendition cache and card cache, created by the factory without network calls.

``TIANSHAN_MEDIA_URL`` picks the storage: local files (``file:///path``, the default under
``MEDIA_ROOT``) or a bucket (``s3://bucket/prefix``). A URL no storage answers to stops the
app at once; whether the bucket exists is asked by :func:`verify` when a server or command
starts (:mod:`catalog.startup`).
"""

from __future__ import annotations

import dataclasses
import logging
import typing as t

from flask import Flask
from flask import current_app

import media
from media import RenderCache
from media import Storage
from media.s3 import BucketProblem
from media.s3 import S3Storage

log = logging.getLogger(__name__)
SERVING = ("stream", "redirect")
#: boto3's own loggers print signed request headers (the access key id) at DEBUG: never below INFO.
_SIGNING_LOGGERS = ("boto3", "botocore", "s3transfer")


class MediaConfigurationError(Exception):
    """The media settings name no storage this process can use (one line for operators)."""


@dataclasses.dataclass
class MediaExtension:
    storage: Storage
    cards: RenderCache
    renditions: RenderCache
    serving: str = "stream"
    public_url: str | None = None
    link_seconds: int = 3600

    def read(self, key: str) -> bytes:
        """A rendition's bytes: from this process's memory when it has them, else from the storage."""
        return self.renditions.get_or_render(key, lambda: self.storage.read(key))

    def redirect_target(self, key: str) -> str | None:
        """Where a redirect sends a client for *key*, or ``None`` to stream it through the app."""
        if self.serving != "redirect":
            return None
        if self.public_url:
            return f"{self.public_url.rstrip('/')}/{_object_name(self.storage, key)}"
        if isinstance(self.storage, S3Storage):
            return self.storage.link(key, self.link_seconds)
        return None


def _object_name(storage: Storage, key: str) -> str:
    return storage.object_name(key) if isinstance(storage, S3Storage) else key


def init_app(app: Flask) -> None:
    """Attach the storage ``MEDIA_URL`` names, the rendition cache and the card cache."""
    config = app.config
    for name in _SIGNING_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    if config["MEDIA_SERVING"] not in SERVING:
        raise MediaConfigurationError(f"TIANSHAN_MEDIA_SERVING is one of {', '.join(SERVING)}")
    try:
        storage = media.open_storage(
            str(config["MEDIA_URL"]),
            timeout=float(config["MEDIA_TIMEOUT_SECONDS"]),
            addressing_style=str(config["MEDIA_S3_ADDRESSING"]),
        )
    except media.StorageLocationError as error:
        raise MediaConfigurationError(str(error)) from error
    cache_bytes = max(1, int(config["MEDIA_CACHE_BYTES"]))
    app.extensions["media"] = MediaExtension(
        storage=storage,
        cards=RenderCache(max_entries=int(config["CARD_CACHE_ENTRIES"])),
        renditions=RenderCache(max_entries=max(1, cache_bytes // 4096), max_bytes=cache_bytes),
        serving=str(config["MEDIA_SERVING"]),
        public_url=config["MEDIA_PUBLIC_URL"],
        link_seconds=int(config["MEDIA_LINK_SECONDS"]),
    )


def verify(app: Flask) -> None:
    """Ask object storage for its bucket once: a missing or refused bucket stops the process.

    An endpoint that does not answer right now is only logged: uploads answer 503 until it
    does, and renditions already in memory are still served.
    """
    storage = t.cast(MediaExtension, app.extensions["media"]).storage
    if not isinstance(storage, S3Storage):
        return
    try:
        storage.check()
    except BucketProblem as error:
        raise MediaConfigurationError(f"TIANSHAN_MEDIA_URL {storage.location}: {error}") from error
    except media.StorageUnavailable as error:
        log.warning("media storage %r is not reachable yet: %s", storage, error)


def get_media() -> MediaExtension:
    """The current app's media extension."""
    return t.cast(MediaExtension, current_app.extensions["media"])
