"""Validate and decode an upload into an upright, sRGB, metadata-free working image.

The work is bounded before any pixel is decoded: the file size, the pixel count and side
length claimed by the header, and the size of JPEG metadata segments. JPEGs are decoded in
draft mode (DCT scaling) to the smallest size the largest rendition still needs.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import zlib
from dataclasses import dataclass

from PIL import Image
from PIL import ImageCms
from PIL import UnidentifiedImageError

from media.errors import CorruptImage
from media.errors import DecompressionBomb
from media.errors import MediaTooLarge
from media.formats import sniff_format

_SRGB = ImageCms.createProfile("sRGB")
_ORIENTATION_TAG = 0x0112
_TRANSPOSE: dict[int, tuple[Image.Transpose, ...]] = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}
# Exceptions Pillow's decoders raise on malformed data.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error, IndexError)


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one upload may cause."""

    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 20_000
    max_metadata_bytes: int = 4 * 1024 * 1024


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class DecodedImage:
    """An upload after validation: upright RGB/RGBA pixels in sRGB with no metadata.

    ``width``/``height`` are the upright dimensions of the original; ``image`` may be
    smaller when draft decoding was used, but never smaller than ``min_side_needed``.
    """

    image: Image.Image
    format: str
    width: int
    height: int
    sha256: str
    size_bytes: int


def human_size(size: int) -> str:
    """Format a byte count for people: ``25 MB``, ``312 KB``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def check_size(size: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise :class:`MediaTooLarge` when *size* bytes exceed the limit."""
    if size > limits.max_bytes:
        raise MediaTooLarge(
            f"The file is {human_size(size)}; the limit is {human_size(limits.max_bytes)}. "
            "Resize or compress the picture and upload it again."
        )


def decode_upload(
    data: bytes,
    limits: Limits = DEFAULT_LIMITS,
    *,
    longest_side_needed: int = 1600,
    shortest_side_needed: int = 640,
) -> DecodedImage:
    """Validate *data* and decode it into an upright sRGB image without metadata.

    Animated GIF, WebP and PNG files are accepted; only their first frame is used.

    :param longest_side_needed: draft decoding keeps at least this many pixels on the
        longest side (the largest fitted rendition).
    :param shortest_side_needed: and at least this many on the shortest side (the
        largest cropped rendition).
    :raises MediaTooLarge: the file is over ``limits.max_bytes``.
    :raises UnsupportedMediaType: the bytes are not an accepted image format.
    :raises DecompressionBomb: the header claims more pixels than ``limits`` allow.
    :raises CorruptImage: the data cannot be decoded.
    """
    check_size(len(data), limits)
    image_format = sniff_format(data)
    kind = {"WEBP": "WebP"}.get(image_format, image_format)  # for messages
    if image_format == "JPEG":
        _check_jpeg_metadata(data, limits)
    try:
        image = Image.open(io.BytesIO(data), formats=[image_format])
    except Image.DecompressionBombError as error:
        claimed = _claimed_size(data, image_format)
        if claimed is not None:
            _check_dimensions(*claimed, limits)
        raise DecompressionBomb(_bomb_message(error, limits)) from error
    except UnidentifiedImageError as error:
        raise CorruptImage(
            f"The file starts like a {kind} picture but its header is damaged, "
            "so it cannot be read. Save it again from an image editor and upload the copy."
        ) from error
    except _DECODE_ERRORS as error:
        raise CorruptImage(f"The {kind} picture is damaged and cannot be read ({error}).") from error

    with image:
        width, height = image.size
        _check_dimensions(width, height, limits)
        scale = min(
            1.0,
            max(longest_side_needed / max(width, height), shortest_side_needed / min(width, height)),
        )
        if image_format == "JPEG" and scale < 1.0:
            image.draft(image.mode, (math.ceil(width * scale), math.ceil(height * scale)))
        try:
            image.load()
        except Image.DecompressionBombError as error:
            raise DecompressionBomb(_bomb_message(error, limits)) from error
        except (*_DECODE_ERRORS, MemoryError) as error:
            raise CorruptImage(
                f"The {kind} picture is truncated or its data is damaged, so it cannot be "
                f"decoded ({error}). Upload the original file again."
            ) from error
        orientation = _orientation(image)
        try:
            upright = _to_srgb(image)
        except _DECODE_ERRORS as error:
            raise CorruptImage(f"The {kind} picture's colours cannot be decoded ({error}).") from error
    for transpose in _TRANSPOSE.get(orientation, ()):
        upright = upright.transpose(transpose)
    upright.info = {}
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return DecodedImage(
        image=upright,
        format=image_format,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
    )


def _check_dimensions(width: int, height: int, limits: Limits) -> None:
    if width <= 0 or height <= 0:
        raise CorruptImage(f"The picture claims a size of {width} × {height} pixels, which is not valid.")
    megapixels = width * height / 1_000_000
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise DecompressionBomb(
            f"The picture claims {width:,} × {height:,} pixels ({megapixels:,.0f} megapixels); "
            f"the limit is {limits.max_pixels / 1_000_000:,.0f} megapixels and "
            f"{limits.max_side:,} pixels per side. Resize it and upload it again."
        )


def _claimed_size(data: bytes, image_format: str) -> tuple[int, int] | None:
    """The size a PNG or GIF header claims, read without Pillow."""
    if image_format == "PNG" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if image_format == "GIF" and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    return None


def _bomb_message(error: Exception, limits: Limits) -> str:
    return (
        "The picture claims an enormous size, far beyond the limit of "
        f"{limits.max_pixels / 1_000_000:,.0f} megapixels, so it was not decoded. "
        "Such files are usually damaged or crafted to exhaust the server."
    )


def _check_jpeg_metadata(data: bytes, limits: Limits) -> None:
    """Sum the sizes of the marker segments before the image data (EXIF, XMP, ICC...)."""
    position, total = 2, 0
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return  # Malformed; the decoder reports it.
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker in (0xDA, 0xD9):  # Start of scan / end of image.
            return
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            total += length
            if total > limits.max_metadata_bytes:
                raise CorruptImage(
                    f"The JPEG carries more than {human_size(limits.max_metadata_bytes)} of "
                    "metadata (EXIF, XMP or comments) before the picture. Remove the metadata "
                    "(for example by exporting the picture again) and upload it again."
                )
        position += 2 + length


def _orientation(image: Image.Image) -> int:
    """Return the EXIF orientation (1..8), or 1 when the EXIF block is missing or broken."""
    try:
        value = image.getexif().get(_ORIENTATION_TAG)
    except Exception:  # Broken EXIF raises many kinds of errors; the picture is still good.
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert any decoded mode to RGB or RGBA in sRGB, using an embedded ICC profile."""
    icc = image.info.get("icc_profile")
    if image.mode.startswith("I;16"):
        image = image.convert("I")
    if image.mode == "I":
        image = image.point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in ("1", "L", "RGB") and "transparency" in image.info:
        image = image.convert("LA" if image.mode != "RGB" else "RGBA")
    elif image.mode in ("PA", "La", "RGBa"):
        image = image.convert("RGBA")

    alpha = image.getchannel("A") if image.mode in ("LA", "RGBA") else None
    if alpha is not None and alpha.getextrema() == (255, 255):
        alpha = None
    base_mode = {"1": "L", "LA": "L", "RGBA": "RGB", "RGBX": "RGB"}.get(image.mode, image.mode)
    if base_mode not in ("L", "RGB", "CMYK"):
        base_mode = "RGB"
    base = image.convert(base_mode) if image.mode != base_mode else image
    rgb = _apply_icc(base, icc) if isinstance(icc, bytes) and icc else None
    if rgb is None:
        rgb = base.convert("RGB")
    if alpha is not None:
        rgb.putalpha(alpha)
    return rgb


def _apply_icc(image: Image.Image, icc: bytes) -> Image.Image | None:
    """Convert *image* to sRGB through its ICC profile, or None when the profile is unusable."""
    expected = {"L": "GRAY", "RGB": "RGB", "CMYK": "CMYK"}[image.mode]
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if profile.profile.xcolor_space.strip() != expected:
            return None
        converted = ImageCms.profileToProfile(
            image, profile, _SRGB, renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    return converted
