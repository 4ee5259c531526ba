"""Hand-made test images: odd modes, crafted headers and non-images."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image


def pixel(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    """The pixel at *xy* as a tuple of channel values, whatever the mode."""
    value = image.getpixel(xy)
    assert isinstance(value, tuple), f"expected a multi-band pixel, got {value!r}"
    return tuple(int(channel) for channel in value)


def colour_count(image: Image.Image) -> int:
    """How many distinct colours *image* has."""
    colours = image.getcolors(maxcolors=1 << 24)
    assert colours is not None
    return len(colours)


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def photo(size: tuple[int, int] = (400, 300), fmt: str = "JPEG", **options: object) -> bytes:
    """A detailed test picture (a Mandelbrot set tinted in three channels)."""
    grey = Image.effect_mandelbrot(size, (-2.0, -1.2, 1.0, 1.2), 64)
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (grey, gradient, gradient.transpose(Image.Transpose.ROTATE_90).resize(size)))
    return encode(image, fmt, **options)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims *width* × *height* pixels but holds almost no data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def png_with_text_bomb() -> bytes:
    """A small PNG whose compressed text chunk inflates to 64 MB."""
    image = encode(Image.new("RGB", (8, 8)), "PNG")
    bomb = b"Comment\x00\x00" + zlib.compress(b"\x00" * (64 * 1024 * 1024), 9)
    return image[:33] + png_chunk(b"zTXt", bomb) + image[33:]


def jpeg_with_app1_segments(count: int, segment_size: int = 65_000) -> bytes:
    """A valid JPEG with *count* extra APP1 (EXIF-like) segments of *segment_size* bytes."""
    data = photo((64, 48))
    payload = b"Exif\x00\x00" + b"\x00" * (segment_size - 8)
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment * count + data[2:]


def exif_with(orientation: int | None = None, gps: bool = False) -> bytes:
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    exif[0x010F] = "Test Camera Maker"
    if gps:
        exif[0x8825] = {1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 57.0, 0.0)}
    return exif.tobytes()


def animated_gif(frames: int, size: tuple[int, int] = (64, 48)) -> bytes:
    """An animated GIF whose first frame is red and the others blue."""
    first = Image.new("RGB", size, (220, 20, 20))
    rest = [Image.new("RGB", size, (20, 20, 220)) for _ in range(frames - 1)]
    return encode(first, "GIF", save_all=True, append_images=rest, duration=40, loop=0)


def zip_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", photo((32, 32)))
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10" fill="red"/></svg>'
)
HTML = b"<!DOCTYPE html>\n<html><body><img src=x onerror=alert(1)></body></html>"
TEXT = "Прайс-лист: мука 25 кг — 1 250 ₸\n".encode()


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + _s15(x) + _s15(y) + _s15(z)


def swapped_primaries_profile() -> bytes:
    """An ICC v2 RGB profile like sRGB but with the red and green primaries swapped.

    A picture tagged with it that stores pure red must come out green in sRGB.
    """
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    description = b"swapped primaries\x00"
    desc = (
        b"desc\x00\x00\x00\x00"
        + struct.pack(">I", len(description))
        + description
        + b"\x00" * 12
        + b"\x00" * 67
    )
    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, 0x0233) + b"\x00\x00"
    tags = [
        (b"desc", desc),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(*green)),
        (b"gXYZ", _xyz(*red)),
        (b"bXYZ", _xyz(*blue)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\x00\x00\x00\x00public domain\x00\x00\x00"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data + b"\x00" * (-len(data) % 4)
    table = struct.pack(">I", len(tags)) + table
    size = 128 + len(table) + len(body)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"APPL"
        + b"\x00" * 4
        + b"\x00" * 4
        + b"\x00" * 4
        + b"\x00" * 8
        + b"\x00" * 4
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"lcms"
        + b"\x00" * 44
    )
    assert len(header) == 128, len(header)
    return header + table + body
