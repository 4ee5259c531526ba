"""QR codes for on-air cards, drawn straight from the code's module matrix."""

from __future__ import annotations

import functools

import qrcode
from PIL import Image


@functools.lru_cache(maxsize=64)
def qr_image(url: str, size: int) -> Image.Image:
    """A QR code of *url* with a quiet zone, on white, *size* pixels square.

    Modules are whole pixels (nearest-neighbour scaling), so scanners see sharp edges.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix)
    small = Image.new("L", (modules, modules), 255)
    small.putdata([0 if cell else 255 for row in matrix for cell in row])
    scale = max(1, size // modules)
    image = small.resize((modules * scale, modules * scale), Image.Resampling.NEAREST)
    framed = Image.new("RGB", (size, size), (255, 255, 255))
    offset = (size - image.width) // 2
    framed.paste(image, (offset, offset))
    return framed
