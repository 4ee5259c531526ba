"""Serving helpers: content types, strong ETags and WebP/JPEG negotiation."""

from __future__ import annotations

import pytest

from media import CACHE_CONTROL_IMMUTABLE
from media import InvalidKey
from media import choose_format
from media import content_type_for
from media import etag_for
from media import key_for


def test_content_type_follows_the_stored_extension() -> None:
    assert content_type_for(key_for(b"a", "webp")) == "image/webp"
    assert content_type_for(key_for(b"a", "jpg")) == "image/jpeg"
    assert content_type_for(key_for(b"a", "png")) == "image/png"


def test_etag_is_the_content_hash() -> None:
    key = key_for(b"abc", "jpg")
    assert etag_for(key) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    with pytest.raises(InvalidKey):
        etag_for("../../etc/passwd")


def test_cache_control_is_long_and_immutable() -> None:
    assert "immutable" in CACHE_CONTROL_IMMUTABLE and "max-age=31536000" in CACHE_CONTROL_IMMUTABLE


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("image/avif,image/webp,image/apng,image/*,*/*;q=0.8", "webp"),  # Chrome
        ("image/webp,*/*", "webp"),  # Firefox
        ("image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5", "jpeg"),  # old Safari
        ("*/*", "jpeg"),
        ("image/*", "jpeg"),
        ("", "jpeg"),
        (None, "jpeg"),
        ("image/webp;q=0", "jpeg"),
        ("image/webp;q=0.5, image/jpeg", "jpeg"),
        ("image/jpeg;q=0.5, image/webp;q=0.9", "webp"),
        ("IMAGE/WEBP", "webp"),
        ("image/webp;q=abc", "jpeg"),
        ("garbage;;;,,", "jpeg"),
    ],
)
def test_accept_negotiation(accept: str | None, expected: str) -> None:
    assert choose_format(accept) == expected
