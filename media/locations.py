"""``TIANSHAN_MEDIA_URL``: ``file:///path`` (local files) or ``s3://bucket/prefix`` (object storage)."""

from __future__ import annotations

import re
from urllib.parse import unquote
from urllib.parse import urlsplit

from media.s3 import S3Storage
from media.s3 import make_client
from media.storage import LocalStorage
from media.storage import Storage

_BUCKET = re.compile(r"\A[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z")


class StorageLocationError(ValueError):
    """The media URL names no storage this catalog can use (the message is one line for operators)."""


def open_storage(url: str, *, timeout: float = 5.0, addressing_style: str = "auto") -> Storage:
    """The storage *url* names; nothing is contacted yet.

    :raises StorageLocationError: an unknown scheme, credentials in the URL, or a malformed bucket.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        path = unquote(parts.path)
        if parts.netloc not in ("", "localhost") or not path.startswith("/"):
            raise StorageLocationError(
                "TIANSHAN_MEDIA_URL file URLs name an absolute path: file:///srv/media"
            )
        return LocalStorage(path)
    if scheme != "s3":
        shown = re.sub(r"[^a-z0-9+.-]", "?", scheme[:20]) or "(none)"
        raise StorageLocationError(
            f"TIANSHAN_MEDIA_URL has the unknown scheme {shown!r}: use file:///path or s3://bucket/prefix"
        )
    if "@" in parts.netloc:
        raise StorageLocationError(
            "TIANSHAN_MEDIA_URL must not carry credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    bucket = parts.netloc
    if not _BUCKET.match(bucket):
        raise StorageLocationError(
            "TIANSHAN_MEDIA_URL needs a bucket name of 3 to 63 lowercase letters, digits, dots or hyphens: "
            "s3://bucket/prefix"
        )
    if parts.query or parts.fragment:
        raise StorageLocationError("TIANSHAN_MEDIA_URL takes no query or fragment: s3://bucket/prefix")
    try:
        client = make_client(timeout, addressing_style)
    except ValueError as error:
        raise StorageLocationError(f"TIANSHAN_MEDIA_S3_ADDRESSING: {error}") from error
    return S3Storage(bucket, unquote(parts.path), client=client)
