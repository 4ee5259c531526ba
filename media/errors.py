"""Typed errors raised by the media package.

Each error carries ``status``, the HTTP status the web layer should answer with, and a
message written for the person who uploaded the file.
"""

from __future__ import annotations


class MediaError(Exception):
    """Base class of every error the media package raises on purpose."""

    status: int = 400
    kind: str = "media_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedMediaType(MediaError):
    """The bytes are not an image format the pipeline accepts (HTTP 415)."""

    status = 415
    kind = "unsupported_media_type"


class MediaTooLarge(MediaError):
    """The upload exceeds the file size limit (HTTP 413)."""

    status = 413
    kind = "too_large"


class CorruptImage(MediaError):
    """The file claims to be an image but cannot be decoded (HTTP 422)."""

    status = 422
    kind = "corrupt_image"


class DecompressionBomb(CorruptImage):
    """The image claims more pixels than the pipeline is willing to decode (HTTP 422)."""

    kind = "decompression_bomb"


class StorageError(MediaError):
    """Writing to or reading from media storage failed (HTTP 500)."""

    status = 500
    kind = "storage_error"


class StorageFull(StorageError):
    """The storage device has no space left (HTTP 507)."""

    status = 507
    kind = "storage_full"


class InvalidKey(StorageError):
    """A storage key is malformed or tries to leave the storage root (HTTP 404)."""

    status = 404
    kind = "invalid_key"


class MediaNotFound(StorageError):
    """No stored file has this key (HTTP 404)."""

    status = 404
    kind = "not_found"


class StorageUnavailable(StorageError):
    """The media storage cannot be reached or refused the request for now (HTTP 503)."""

    status = 503
    kind = "storage_unavailable"
