"""Helpers for serving stored media over HTTP: content type, ETag, format negotiation."""

from __future__ import annotations

from typing import Literal

from media.storage import digest_of
from media.storage import validate_key

CACHE_CONTROL_IMMUTABLE = "public, max-age=31536000, immutable"
_CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}


def content_type_for(key: str) -> str:
    """The ``Content-Type`` of a stored file, from its validated key."""
    return _CONTENT_TYPES[validate_key(key).rsplit(".", 1)[1]]


def etag_for(key: str) -> str:
    """The strong ETag of a stored file: its SHA-256 (unquoted; Werkzeug adds quotes)."""
    return digest_of(key)


def choose_format(accept: str | None) -> Literal["webp", "jpeg"]:
    """Pick ``webp`` if the ``Accept`` header lists ``image/webp`` at least as high as JPEG.

    Only an explicit ``image/webp`` counts: ``image/*`` and ``*/*`` are sent by clients that
    cannot decode WebP too, so they get the JPEG fallback.
    """
    if not accept:
        return "jpeg"
    qualities: dict[str, float] = {}
    for part in accept.split(","):
        media_type, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        media_type = media_type.lower()
        qualities[media_type] = max(quality, qualities.get(media_type, 0.0))
    webp = qualities.get("image/webp", 0.0)
    jpeg = qualities.get("image/jpeg", qualities.get("image/*", qualities.get("*/*", 0.0)))
    return "webp" if webp > 0.0 and webp >= jpeg else "jpeg"
