"""Bad uploads: each gets a typed error with a clear message, and storage stays empty."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from media import DEFAULT_LIMITS
from media import CorruptImage
from media import DecompressionBomb
from media import Limits
from media import LocalStorage
from media import MediaError
from media import MediaTooLarge
from media import Storage
from media import UnsupportedMediaType
from media import decode_upload
from media import read_limited
from media import store_upload
from tests.media import samples
from tests.media.conftest import everything_stored

CASES: list[tuple[str, bytes, type[MediaError], int, str]] = [
    ("empty file", b"", UnsupportedMediaType, 415, "empty"),
    ("text named .jpg", samples.TEXT, UnsupportedMediaType, 415, "text file"),
    ("HTML named .jpg", samples.HTML, UnsupportedMediaType, 415, "HTML page"),
    ("SVG drawing", samples.SVG, UnsupportedMediaType, 415, "SVG drawing"),
    ("ZIP archive", samples.zip_file(), UnsupportedMediaType, 415, "ZIP archive"),
    ("PDF document", samples.PDF, UnsupportedMediaType, 415, "PDF document"),
    ("BMP bitmap", samples.encode(Image.new("RGB", (8, 8)), "BMP"), UnsupportedMediaType, 415, "BMP"),
    ("TIFF image", samples.encode(Image.new("RGB", (8, 8)), "TIFF"), UnsupportedMediaType, 415, "TIFF"),
    (
        "HEIC photo",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
        UnsupportedMediaType,
        415,
        "HEIC",
    ),
    (
        "MP4 video",
        b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64,
        UnsupportedMediaType,
        415,
        "video",
    ),
    (
        "PNG claiming 100,000 × 100,000",
        samples.png_claiming(100_000, 100_000),
        DecompressionBomb,
        422,
        "100,000 × 100,000",
    ),
    ("PNG claiming 0 × 10", samples.png_claiming(0, 10), CorruptImage, 422, "PNG"),
    ("PNG claiming a very long side", samples.png_claiming(60_000, 2), DecompressionBomb, 422, "per side"),
    ("truncated JPEG", samples.photo()[:3000], CorruptImage, 422, "truncated"),
    ("JPEG header only", samples.photo()[:200], CorruptImage, 422, "JPEG"),
    ("PNG with a garbled header", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, CorruptImage, 422, "header"),
    ("JPEG with 5 MB of EXIF", samples.jpeg_with_app1_segments(80), CorruptImage, 422, "metadata"),
    ("PNG with a text-chunk bomb", samples.png_with_text_bomb(), CorruptImage, 422, "PNG"),
    ("WebP cut short", samples.photo(fmt="WEBP")[:400], CorruptImage, 422, "WebP"),
]


@pytest.mark.parametrize(("label", "data", "error", "status", "phrase"), CASES, ids=[c[0] for c in CASES])
def test_bad_upload_is_refused_with_a_clear_message(
    storage: Storage, label: str, data: bytes, error: type[MediaError], status: int, phrase: str
) -> None:
    with pytest.raises(error) as caught:
        store_upload(storage, data)
    assert caught.value.status == status
    assert phrase.lower() in str(caught.value).lower(), str(caught.value)
    assert str(caught.value).endswith("."), "messages are whole sentences"
    assert everything_stored(storage) == []


def test_file_over_the_size_limit_is_refused_before_decoding(storage: Storage) -> None:
    limits = Limits(max_bytes=50_000)
    data = samples.photo((800, 600), quality=95)
    assert len(data) > limits.max_bytes
    with pytest.raises(MediaTooLarge, match="limit is 48 KB") as caught:
        store_upload(storage, data, limits=limits)
    assert caught.value.status == 413
    assert everything_stored(storage) == []


def test_default_size_limit_is_25_megabytes() -> None:
    with pytest.raises(MediaTooLarge, match="25 MB"):
        decode_upload(b"\xff\xd8\xff" + b"\x00" * (DEFAULT_LIMITS.max_bytes + 1))


def test_read_limited_stops_reading_past_the_limit() -> None:
    stream = io.BytesIO(b"x" * 2_000)
    with pytest.raises(MediaTooLarge):
        read_limited(stream, Limits(max_bytes=1_000))
    assert stream.tell() == 1_001
    assert read_limited(io.BytesIO(b"y" * 1_000), Limits(max_bytes=1_000)) == b"y" * 1_000


def test_pixel_limit_is_checked_before_decoding() -> None:
    data = samples.photo((1000, 800))
    with pytest.raises(DecompressionBomb, match="1,000 × 800"):
        decode_upload(data, Limits(max_pixels=500_000))
    assert decode_upload(data, Limits(max_pixels=800_000)).width == 1000


def test_a_jpeg_with_a_large_but_normal_exif_block_is_accepted_and_stripped(
    local_storage: LocalStorage,
) -> None:
    storage = local_storage
    data = samples.jpeg_with_app1_segments(3)  # about 195 KB of metadata: a camera's worth
    stored = store_upload(storage, data)
    for key in stored.stored_keys():
        assert b"Exif\x00\x00" not in storage.read(key)


def test_animated_gif_is_accepted_as_its_first_frame(local_storage: LocalStorage) -> None:
    storage = local_storage
    data = samples.animated_gif(frames=300)
    stored = store_upload(storage, data)
    thumb = Image.open(io.BytesIO(storage.read(stored.renditions["thumb"]["jpeg"].key)))
    red, _, blue = samples.pixel(thumb.convert("RGB"), (10, 10))
    assert red > 180 and blue < 60, "the first (red) frame is used"
    assert stored.format == "GIF"


def test_the_name_and_declared_type_are_never_consulted(local_storage: LocalStorage) -> None:
    storage = local_storage
    # The API takes only bytes: a real JPEG is accepted whatever it was called.
    stored = store_upload(storage, samples.photo())
    assert stored.format == "JPEG"
    png_named_jpeg = samples.photo(fmt="PNG")
    assert store_upload(storage, png_named_jpeg).format == "PNG"
