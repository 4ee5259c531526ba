"""Identify an upload's format from its first bytes, never from its name or declared type."""

from __future__ import annotations

from PIL import Image
from PIL import features

from media.errors import UnsupportedMediaType

ACCEPTED_HINT = "Upload a JPEG, PNG, WebP, GIF or AVIF picture instead."

_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
)

# Formats that are recognised only to name them in the refusal message.
_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"BM", "a BMP bitmap, which is not accepted"),
    (b"II*\x00", "a TIFF image, which is not accepted"),
    (b"MM\x00*", "a TIFF image, which is not accepted"),
    (b"8BPS", "a Photoshop document"),
    (b"\x00\x00\x01\x00", "a Windows icon"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image, which is not accepted"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "a program file"),
    (b"MZ", "a Windows program file"),
)


def sniff_format(data: bytes) -> str:
    """Return the Pillow format name (``JPEG``, ``PNG``, ``GIF``, ``WEBP``, ``AVIF``, ``HEIF``).

    :raises UnsupportedMediaType: when the bytes are empty, not an image, or an image
        format this server does not accept or cannot decode.
    """
    if not data:
        raise UnsupportedMediaType(f"The file is empty. {ACCEPTED_HINT}")
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":
        return _isobmff_format(data)
    raise UnsupportedMediaType(f"The file is {describe_non_image(data)}, not a picture. {ACCEPTED_HINT}")


def _isobmff_format(data: bytes) -> str:
    box_size = int.from_bytes(data[0:4], "big")
    end = min(max(box_size, 16), 256, len(data))
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, end - 3, 4)}
    if brands & _AVIF_BRANDS:
        if features.check("avif"):
            return "AVIF"
        raise UnsupportedMediaType(f"AVIF pictures cannot be read on this server. {ACCEPTED_HINT}")
    if brands & _HEIF_BRANDS:
        Image.init()
        if "HEIF" in Image.OPEN:
            return "HEIF"
        raise UnsupportedMediaType(
            "HEIC/HEIF photos cannot be read on this server. Export the photo as JPEG "
            "(on an iPhone: Settings > Camera > Formats > Most Compatible) and upload it again."
        )
    raise UnsupportedMediaType(f"The file is a video or other media container. {ACCEPTED_HINT}")


def describe_non_image(data: bytes) -> str:
    """Name what a non-image upload most likely is, for the refusal message."""
    for signature, description in _OTHER_SIGNATURES:
        if data.startswith(signature):
            return description
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<"):
        if b"<svg" in head:
            return "an SVG drawing (only raster pictures are accepted)"
        if b"<html" in head or head.startswith(b"<!doctype html"):
            return "an HTML page"
        return "an XML or HTML document"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut by the 2 KiB window still counts as text.
            if error.start >= len(head) - 3:
                return "a text file"
        else:
            return "a text file"
    return "in a format that is not recognised"


CONTENT_TYPES: dict[str, str] = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "AVIF": "image/avif",
    "HEIF": "image/heif",
}
