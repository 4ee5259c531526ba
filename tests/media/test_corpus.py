"""The shared corpus: every accept/ file is stored, every reject/ file refused, cleanly.

Decoding and rendering do not depend on where the files go, so accepted files are stored
locally; the refusals, which must write nothing anywhere, run on both storages.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from PIL import ImageChops
from PIL import ImageStat

from media import CorruptImage
from media import LocalStorage
from media import MediaError
from media import Storage
from media import StoredImage
from media import decode_upload
from media import store_upload
from tests.media.conftest import IMAGES
from tests.media.conftest import everything_stored

ACCEPT = sorted(p.name for p in (IMAGES / "accept").glob("*")) if IMAGES.is_dir() else []
REJECT = sorted(p.name for p in (IMAGES / "reject").glob("*")) if IMAGES.is_dir() else []
ORIENTED = [f"hopper_orientation_{n}.{ext}" for n in range(2, 9) for ext in ("jpg", "webp")]


def rendition_images(storage: LocalStorage, stored: StoredImage) -> list[tuple[str, Image.Image]]:
    result: list[tuple[str, Image.Image]] = []
    for name, formats in stored.renditions.items():
        for fmt, rendition in formats.items():
            image = Image.open(io.BytesIO(storage.read(rendition.key)))
            image.load()
            result.append((f"{name}.{fmt}", image))
    return result


def test_corpus_lists_are_not_empty(images: Path) -> None:
    assert len(ACCEPT) >= 30 and len(REJECT) >= 3


@pytest.mark.parametrize("name", ACCEPT)
def test_every_accepted_file_is_stored(images: Path, local_storage: LocalStorage, name: str) -> None:
    storage = local_storage
    stored = store_upload(storage, (images / "accept" / name).read_bytes())
    assert stored.width > 0 and stored.height > 0
    assert set(stored.renditions) == {"thumb", "card", "zoom"}
    for label, image in rendition_images(storage, stored):
        assert image.format in ("WEBP", "JPEG"), label
        assert max(image.size) <= {"thumb": 160, "card": 640, "zoom": 1600}[label.split(".")[0]]


@pytest.mark.parametrize("name", ACCEPT)
def test_no_rendition_keeps_metadata(images: Path, local_storage: LocalStorage, name: str) -> None:
    storage = local_storage
    stored = store_upload(storage, (images / "accept" / name).read_bytes())
    for label, image in rendition_images(storage, stored):
        assert not image.getexif(), label
        for key in ("exif", "xmp", "icc_profile", "comment", "photoshop", "XML:com.adobe.xmp"):
            assert key not in image.info, (label, key)
    for key in stored.stored_keys():
        assert metadata_blocks(storage.read(key)) == [], key


def metadata_blocks(data: bytes) -> list[str]:
    """Names of the metadata-bearing segments (JPEG) or chunks (WebP) in a file."""
    found: list[str] = []
    if data.startswith(b"\xff\xd8"):
        position = 2
        while position + 4 <= len(data) and data[position] == 0xFF:
            marker = data[position + 1]
            if marker == 0xDA:
                break
            if (0xE1 <= marker <= 0xEF) or marker == 0xFE:
                found.append(f"JPEG marker {marker:#x}")
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    elif data.startswith(b"RIFF"):
        position = 12
        while position + 8 <= len(data):
            kind = data[position : position + 4]
            if kind not in (b"VP8 ", b"VP8L", b"VP8X", b"ALPH"):
                found.append(kind.decode("latin-1"))
            size = int.from_bytes(data[position + 4 : position + 8], "little")
            position += 8 + size + (size & 1)
    else:
        found.append("unexpected format")
    return found


def test_gps_location_is_gone(images: Path, local_storage: LocalStorage) -> None:
    storage = local_storage
    source = Image.open(images / "accept" / "exif_gps.jpg")
    assert source.getexif().get_ifd(0x8825), "the sample should carry GPS data"
    assert metadata_blocks((images / "accept" / "exif_gps.jpg").read_bytes()) != []
    stored = store_upload(storage, (images / "accept" / "exif_gps.jpg").read_bytes())
    for _, image in rendition_images(storage, stored):
        assert not image.getexif().get_ifd(0x8825)


@pytest.mark.parametrize("name", ORIENTED)
def test_orientation_is_applied(images: Path, local_storage: LocalStorage, name: str) -> None:
    storage = local_storage
    upright = decode_upload((images / "accept" / "hopper.jpg").read_bytes()).image
    mirrored = upright.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    stored = store_upload(storage, (images / "accept" / name).read_bytes())
    for label, image in rendition_images(storage, stored):
        image = image.convert("RGB").resize(upright.size)
        difference = max(ImageStat.Stat(ImageChops.difference(upright, image)).mean)
        wrong = max(ImageStat.Stat(ImageChops.difference(mirrored, image)).mean)
        assert difference < 10, (label, difference)
        assert wrong > 3 * difference, (label, wrong, difference)
        assert image.getexif().get(0x0112) is None


def test_exif_orientation_in_a_png_text_chunk_is_applied(images: Path) -> None:
    decoded = decode_upload((images / "accept" / "exif_imagemagick_orientation.png").read_bytes())
    original = Image.open(images / "accept" / "exif_imagemagick_orientation.png").convert("RGB")
    rotated = original.transpose(Image.Transpose.ROTATE_180)
    assert ImageChops.difference(decoded.image, rotated).getbbox() is None


@pytest.mark.parametrize("name", REJECT)
def test_every_rejected_file_is_refused_and_nothing_is_written(
    images: Path, storage: Storage, name: str
) -> None:
    with pytest.raises(MediaError) as caught:
        store_upload(storage, (images / "reject" / name).read_bytes())
    assert 400 <= caught.value.status < 500
    assert isinstance(caught.value, CorruptImage)
    assert len(str(caught.value)) > 40 and "picture" in str(caught.value)
    assert everything_stored(storage) == []


def test_bomb_message_explains_the_limit(images: Path) -> None:
    with pytest.raises(CorruptImage, match="megapixels"):
        decode_upload((images / "reject" / "decompression_bomb.gif").read_bytes())
