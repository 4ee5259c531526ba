"""A fast PNG encoder for large RGB pictures such as on-air cards.

Pillow's PNG writer tries several filters on every row and feeds zlib one row at a time,
which costs about 100 ms for a 1080×1920 card. Here every row uses the "Up" filter,
computed by one C call (``ImageChops.subtract_modulo`` against the picture shifted down a
row), and ISA-L deflates the result, for about a quarter of the time at a similar size.
"""

from __future__ import annotations

import struct
import zlib

from isal import isal_zlib
from PIL import Image
from PIL import ImageChops

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_FILTER_UP = 2
_COLOR_TYPES = {"RGB": (2, 3), "RGBA": (6, 4), "L": (0, 1)}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(image: Image.Image, level: int = 1) -> bytes:
    """Encode an RGB, RGBA or L image as PNG with no metadata.

    :param level: ISA-L deflate level, 0 (fastest) to 3 (smallest).
    """
    if image.mode not in _COLOR_TYPES:
        raise ValueError(f"encode_png takes RGB, RGBA or L images, not {image.mode}.")
    width, height = image.size
    color_type, channels = _COLOR_TYPES[image.mode]
    shifted = image.crop((0, -1, width, height - 1))  # Row y holds row y-1; row 0 is zeros.
    filtered = (
        ImageChops.subtract_modulo(image, shifted) if image.mode != "RGBA" else _up_rgba(image, shifted)
    )
    stride = width * channels
    filtered_bytes = memoryview(filtered.tobytes())
    # Joining the rows with the filter byte as separator (and an empty first item) puts
    # the byte in front of every row in one copy.
    rows = bytes([_FILTER_UP]).join(
        [b"", *(filtered_bytes[y * stride : (y + 1) * stride] for y in range(height))]
    )
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", isal_zlib.compress(rows, level)),
            _chunk(b"IEND", b""),
        )
    )


def _up_rgba(image: Image.Image, shifted: Image.Image) -> Image.Image:
    # subtract_modulo works per band on RGB and L; do RGBA band by band.
    bands = [
        ImageChops.subtract_modulo(band, previous)
        for band, previous in zip(image.split(), shifted.split(), strict=True)
    ]
    return Image.merge("RGBA", bands)
