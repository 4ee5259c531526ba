"""Small flag-like origin badges drawn with shapes (no emoji font needed)."""

from __future__ import annotations

import hashlib
import math

from PIL import Image
from PIL import ImageDraw

from media.typeset import draw_text
from media.typeset import text_width

RGB = tuple[int, int, int]
# Simple stripe flags: (direction, colours). Anything else gets a coloured code badge.
_STRIPES: dict[str, tuple[str, tuple[RGB, ...]]] = {
    "RU": ("h", ((255, 255, 255), (0, 57, 166), (213, 43, 30))),
    "FR": ("v", ((0, 35, 149), (255, 255, 255), (237, 41, 57))),
    "IT": ("v", ((0, 146, 70), (255, 255, 255), (206, 43, 55))),
    "DE": ("h", ((0, 0, 0), (221, 0, 0), (255, 206, 0))),
    "BE": ("v", ((0, 0, 0), (253, 218, 36), (239, 51, 64))),
    "IE": ("v", ((22, 155, 98), (255, 255, 255), (255, 136, 62))),
    "NL": ("h", ((174, 28, 40), (255, 255, 255), (33, 70, 139))),
    "AT": ("h", ((200, 16, 46), (255, 255, 255), (200, 16, 46))),
    "UA": ("h", ((0, 87, 183), (255, 215, 0))),
    "PL": ("h", ((255, 255, 255), (220, 20, 60))),
    "ID": ("h", ((206, 17, 38), (255, 255, 255))),
    "TH": ("h", ((165, 25, 49), (244, 245, 248), (45, 42, 74), (244, 245, 248), (165, 25, 49))),
    "EE": ("h", ((0, 114, 206), (0, 0, 0), (255, 255, 255))),
    "LT": ("h", ((253, 185, 19), (0, 106, 68), (193, 39, 45))),
    "AM": ("h", ((217, 0, 18), (0, 51, 160), (242, 168, 0))),
    "HU": ("h", ((206, 41, 57), (255, 255, 255), (71, 112, 80))),
    "BG": ("h", ((255, 255, 255), (0, 150, 110), (214, 38, 18))),
    "RO": ("v", ((0, 43, 127), (252, 209, 22), (206, 17, 38))),
    "TJ": ("h", ((204, 0, 0), (255, 255, 255), (0, 102, 0))),
    "UZ": ("h", ((30, 181, 58), (255, 255, 255), (30, 181, 58))),
    "ES": ("h", ((170, 21, 27), (241, 191, 0), (241, 191, 0), (170, 21, 27))),
}
# Plain field with a disc (sun) or star: (field, emblem colour, emblem shape).
_EMBLEMS: dict[str, tuple[RGB, RGB, str]] = {
    "KZ": ((0, 175, 202), (254, 197, 14), "disc"),
    "JP": ((255, 255, 255), (188, 0, 45), "disc"),
    "BD": ((0, 106, 78), (244, 42, 65), "disc"),
    "KG": ((232, 17, 45), (255, 239, 0), "disc"),
    "CN": ((238, 28, 37), (255, 255, 0), "star"),
    "VN": ((218, 37, 29), (255, 255, 0), "star"),
    "TR": ((227, 10, 23), (255, 255, 255), "star"),
}


def draw_flag(code: str, height: int) -> Image.Image:
    """A flag-like badge for ISO 3166-1 alpha-2 *code*, 3:2, with a thin outline."""
    code = code.strip().upper()[:3]
    width = round(height * 1.5)
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    if code in _STRIPES:
        direction, colours = _STRIPES[code]
        count = len(colours)
        for index, colour in enumerate(colours):
            if direction == "h":
                box = (0, round(index * height / count), width, round((index + 1) * height / count))
            else:
                box = (round(index * width / count), 0, round((index + 1) * width / count), height)
            draw.rectangle(box, fill=colour)
    elif code in _EMBLEMS:
        field, emblem, shape = _EMBLEMS[code]
        draw.rectangle((0, 0, width, height), fill=field)
        if shape == "disc":
            radius = height * 0.28
            cx, cy = width / 2, height / 2
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=emblem)
        else:
            _star(draw, (width * 0.25, height * 0.3), height * 0.18, emblem)
    else:
        _code_badge(draw, code, width, height)
    draw.rectangle((0, 0, width - 1, height - 1), outline=(0, 0, 0), width=max(1, height // 40))
    return image


def _star(draw: ImageDraw.ImageDraw, centre: tuple[float, float], radius: float, fill: RGB) -> None:
    points = []
    for index in range(10):
        angle = -math.pi / 2 + index * math.pi / 5
        r = radius if index % 2 == 0 else radius * 0.4
        points.append((centre[0] + r * math.cos(angle), centre[1] + r * math.sin(angle)))
    draw.polygon(points, fill=fill)


def _code_badge(draw: ImageDraw.ImageDraw, code: str, width: int, height: int) -> None:
    digest = hashlib.sha256(code.encode()).digest()
    background = (40 + digest[0] % 120, 40 + digest[1] % 120, 60 + digest[2] % 120)
    draw.rectangle((0, 0, width, height), fill=background)
    label = code or "?"
    size = max(8, int(height * 0.55))
    while size > 8 and text_width(label, size, "bold") > width * 0.85:
        size -= 2
    x = (width - text_width(label, size, "bold")) / 2
    draw_text(draw, (x, height / 2 + size * 0.36), label, size, (255, 255, 255), "bold")
