"""Decoding: colour modes, ICC profiles, draft decoding and the recorded facts."""

from __future__ import annotations

import hashlib
import struct
import zlib

import pytest
from PIL import Image
from PIL import features

from media import decode_upload
from tests.media import samples


def test_records_format_size_and_sha256() -> None:
    data = samples.photo((400, 300))
    decoded = decode_upload(data)
    assert (decoded.format, decoded.width, decoded.height) == ("JPEG", 400, 300)
    assert decoded.sha256 == hashlib.sha256(data).hexdigest()
    assert decoded.size_bytes == len(data)
    assert decoded.image.info == {}


def test_large_jpeg_is_decoded_in_draft_mode_but_never_below_what_renditions_need() -> None:
    decoded = decode_upload(samples.photo((4000, 3000), quality=80))
    assert (decoded.width, decoded.height) == (4000, 3000)
    assert decoded.image.size == (2000, 1500)  # DCT scaling by 1/2: still >= 1600 wide


def test_panorama_keeps_enough_height_for_the_square_card() -> None:
    decoded = decode_upload(samples.photo((6000, 1000), quality=80))
    assert min(decoded.image.size) >= 640


def test_cmyk_jpeg_without_profile_becomes_rgb() -> None:
    cmyk = Image.new("CMYK", (32, 32), (0, 255, 255, 0))  # pure red ink
    decoded = decode_upload(samples.encode(cmyk, "JPEG", quality=95))
    assert decoded.image.mode == "RGB"
    red, green, blue = samples.pixel(decoded.image, (16, 16))
    assert red > 200 and green < 60 and blue < 60


def test_embedded_icc_profile_is_converted_to_srgb() -> None:
    profile = samples.swapped_primaries_profile()
    tagged = samples.encode(Image.new("RGB", (16, 16), (255, 0, 0)), "PNG", icc_profile=profile)
    decoded = decode_upload(tagged)
    red, green, blue = samples.pixel(decoded.image, (8, 8))
    assert green > 240 and red < 20 and blue < 20, "stored red is the profile's green"
    untagged = decode_upload(samples.encode(Image.new("RGB", (16, 16), (255, 0, 0)), "PNG"))
    assert untagged.image.getpixel((8, 8)) == (255, 0, 0)


def test_icc_profile_with_alpha_keeps_alpha() -> None:
    image = Image.new("RGBA", (16, 16), (255, 0, 0, 128))
    decoded = decode_upload(samples.encode(image, "PNG", icc_profile=samples.swapped_primaries_profile()))
    assert decoded.image.mode == "RGBA"
    assert samples.pixel(decoded.image, (8, 8))[1:] == (255, 0, 128)


def test_broken_icc_profile_is_ignored() -> None:
    data = samples.encode(Image.new("RGB", (16, 16), (10, 200, 30)), "PNG", icc_profile=b"not a profile")
    assert decode_upload(data).image.getpixel((8, 8)) == (10, 200, 30)


def test_sixteen_bit_grey_png_is_scaled_not_clipped() -> None:
    grey = Image.new("I;16", (8, 8), 32768)
    decoded = decode_upload(samples.encode(grey, "PNG"))
    assert decoded.image.mode == "RGB"
    assert decoded.image.getpixel((4, 4)) == (128, 128, 128)


def test_sixteen_bit_rgb_png_is_accepted() -> None:
    # Pillow has no 16-bit RGB mode; build the PNG by hand: colour type 2, depth 16.
    width, height = 4, 2
    row = b"\x00" + struct.pack(">HHH", 65535, 32768, 0) * width
    png = (
        b"\x89PNG\r\n\x1a\n"
        + samples.png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0))
        + samples.png_chunk(b"IDAT", zlib.compress(row * height))
        + samples.png_chunk(b"IEND", b"")
    )
    decoded = decode_upload(png)
    assert decoded.image.getpixel((1, 1)) == (255, 128, 0)


def test_palette_with_transparency_keeps_alpha() -> None:
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * (254 * 3))
    image.putpixel((0, 0), 0)
    decoded = decode_upload(samples.encode(image, "PNG", transparency=0))
    assert decoded.image.mode == "RGBA"
    assert samples.pixel(decoded.image, (0, 0))[3] == 0
    assert decoded.image.getpixel((4, 4)) == (255, 0, 0, 255)


def test_opaque_alpha_is_dropped() -> None:
    decoded = decode_upload(samples.encode(Image.new("RGBA", (8, 8), (1, 2, 3, 255)), "PNG"))
    assert decoded.image.mode == "RGB"


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "I;16", "RGB", "RGBA"])
def test_every_png_mode_decodes_to_rgb_or_rgba(mode: str) -> None:
    decoded = decode_upload(samples.encode(Image.new(mode, (8, 8)), "PNG"))
    assert decoded.image.mode in ("RGB", "RGBA")


def test_grey_jpeg_becomes_rgb() -> None:
    decoded = decode_upload(samples.encode(Image.new("L", (8, 8), 90), "JPEG"))
    assert decoded.image.mode == "RGB"


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow has no AVIF codec")
def test_avif_is_accepted_when_pillow_decodes_it() -> None:
    data = samples.encode(Image.new("RGB", (32, 24), (0, 128, 255)), "AVIF")
    decoded = decode_upload(data)
    assert (decoded.format, decoded.width, decoded.height) == ("AVIF", 32, 24)


def test_orientation_swaps_recorded_width_and_height() -> None:
    image = Image.new("RGB", (60, 40), (200, 10, 10))
    data = samples.encode(image, "JPEG", exif=samples.exif_with(orientation=6))
    decoded = decode_upload(data)
    assert (decoded.width, decoded.height) == (40, 60)
    assert decoded.image.size == (40, 60)


@pytest.mark.parametrize("orientation", [0, 9, 255])
def test_out_of_range_orientation_is_ignored(orientation: int) -> None:
    data = samples.encode(Image.new("RGB", (60, 40)), "JPEG", exif=samples.exif_with(orientation))
    assert decode_upload(data).image.size == (60, 40)


def test_multi_picture_jpeg_from_a_phone_uses_the_main_picture() -> None:
    main = Image.new("RGB", (64, 48), (200, 30, 30))
    depth = Image.new("RGB", (64, 48), (30, 30, 200))
    data = samples.encode(main, "MPO", save_all=True, append_images=[depth])
    decoded = decode_upload(data)
    assert decoded.format == "JPEG"
    red, _, blue = samples.pixel(decoded.image, (5, 5))
    assert red > 180 and blue < 60
