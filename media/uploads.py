"""The upload use case: validate, decode, render and store, all or nothing."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image

from media.errors import CorruptImage
from media.errors import MediaError
from media.locks import KeyedLocks
from media.pipeline import DEFAULT_LIMITS
from media.pipeline import Limits
from media.pipeline import check_size
from media.pipeline import decode_upload
from media.renditions import CARD
from media.renditions import CENTRE
from media.renditions import Focal
from media.renditions import Rendition
from media.renditions import render
from media.renditions import validate_focal
from media.serving import content_type_for
from media.storage import Storage
from media.storage import key_for
from media.storage import name_of


@dataclass(frozen=True)
class StoredRendition:
    """A rendition in storage."""

    key: str
    width: int
    height: int
    size_bytes: int

    @property
    def name(self) -> str:
        """The public file name, ``<sha256>.<ext>``, for URLs."""
        return name_of(self.key)

    @property
    def content_type(self) -> str:
        return content_type_for(self.key)


Renditions = Mapping[str, Mapping[str, StoredRendition]]


@dataclass(frozen=True)
class StoredImage:
    """The outcome of an upload: what the catalog records about the image."""

    sha256: str  # of the uploaded bytes
    format: str  # detected format: JPEG, PNG, GIF, WEBP, AVIF or HEIF
    width: int  # upright size of the original
    height: int
    focal: Focal
    renditions: Renditions  # {"thumb": {"webp": ..., "jpeg": ...}, "card": ..., "zoom": ...}

    def stored_keys(self) -> frozenset[str]:
        """Every storage key this image uses (for garbage collection)."""
        return frozenset(r.key for formats in self.renditions.values() for r in formats.values())


def read_limited(stream: BinaryIO, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Read an upload stream, refusing with :class:`MediaTooLarge` once it passes the limit."""
    data = stream.read(limits.max_bytes + 1)
    check_size(len(data), limits)
    return data


def store_upload(
    storage: Storage,
    data: bytes,
    *,
    focal: Focal = CENTRE,
    limits: Limits = DEFAULT_LIMITS,
) -> StoredImage:
    """Validate *data*, make every rendition and store them; return what was stored.

    Nothing is written unless every step before writing succeeded, and a storage failure
    part-way removes the files this call created, so a refusal leaves nothing behind.
    Uploading the same bytes twice stores them once.

    :raises MediaError: a subclass with an HTTP ``status`` (413, 415, 422, 507, 500).
    """
    focal = validate_focal(focal)
    decoded = decode_upload(data, limits)
    # Identical uploads in flight at once take turns, so one's rollback never removes a
    # file the other has just reported as stored.
    with _upload_locks.hold(decoded.sha256):
        stored = _store_all(storage, render(decoded.image, focal))
    return StoredImage(
        sha256=decoded.sha256,
        format=decoded.format,
        width=decoded.width,
        height=decoded.height,
        focal=focal,
        renditions=stored,
    )


def recrop_card(storage: Storage, zoom_key: str, focal: Focal) -> Mapping[str, StoredRendition]:
    """Make the ``card`` renditions again around a new *focal* point, from the stored zoom.

    Concurrent calls for the same zoom and focal point render once; the others wait and
    then find the files already stored.
    """
    focal = validate_focal(focal)
    with _render_locks.hold((zoom_key, focal)):
        with Image.open(io.BytesIO(storage.read(zoom_key))) as opened:
            try:
                opened.load()
            except OSError as error:
                raise CorruptImage(f"The stored zoom rendition {zoom_key} is damaged.") from error
            picture = opened.convert("RGBA" if opened.mode in ("RGBA", "LA") else "RGB")
        picture.info = {}
        return _store_all(storage, render(picture, focal, specs=(CARD,)))[CARD.name]


def _store_all(storage: Storage, renditions: list[Rendition]) -> dict[str, dict[str, StoredRendition]]:
    created: list[str] = []
    stored: dict[str, dict[str, StoredRendition]] = {}
    try:
        for rendition in renditions:
            key = key_for(rendition.data, rendition.extension)
            if storage.put(key, rendition.data):
                created.append(key)
            stored.setdefault(rendition.name, {})[rendition.format] = StoredRendition(
                key, rendition.width, rendition.height, len(rendition.data)
            )
    except BaseException:
        for key in created:
            try:
                storage.delete(key)
            except MediaError:
                continue
        raise
    return stored


_render_locks = KeyedLocks()
_upload_locks = KeyedLocks()
