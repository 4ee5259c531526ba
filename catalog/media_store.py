"""The app's media storage and card cache, created by the factory without touching the disk."""

from __future__ import annotations

import dataclasses
import typing as t

from flask import Flask
from flask import current_app

from media import LocalStorage
from media import RenderCache
from media import Storage


@dataclasses.dataclass
class MediaExtension:
    storage: Storage
    cards: RenderCache


def init_app(app: Flask) -> None:
    """Attach local, content-addressed storage under ``MEDIA_ROOT`` and a card cache."""
    app.extensions["media"] = MediaExtension(
        storage=LocalStorage(app.config["MEDIA_ROOT"]),
        cards=RenderCache(max_entries=int(app.config["CARD_CACHE_ENTRIES"])),
    )


def get_media() -> MediaExtension:
    """The current app's media extension."""
    return t.cast(MediaExtension, current_app.extensions["media"])
