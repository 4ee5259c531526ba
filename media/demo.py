"""Demo product pictures: a pleasant rendered image from a product's plain values."""

from __future__ import annotations

import colorsys
import hashlib
import io
import math

from PIL import Image
from PIL import ImageDraw
from PIL import ImageFilter

from media.typeset import draw_fitted
from media.typeset import fit_text

RGB = tuple[int, int, int]
_SHAPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bottle", ("wine", "oil", "drink", "juice", "beverage", "vodka", "water", "beer", "вино", "масло")),
    ("jar", ("honey", "jam", "sauce", "canned", "spice", "cream", "ointment", "cosmetic", "мёд", "бал")),
    ("sack", ("flour", "grain", "rice", "pasta", "noodle", "sugar", "мука", "ұн", "крупа")),
    ("box", ("tea", "coffee", "sweet", "candy", "chocolate", "biscuit", "dairy", "чай", "шай")),
)
SUPERSAMPLE = 2


def diagonal_ramp(size: tuple[int, int], angle: float) -> Image.Image:
    """A black-to-white gradient across *size*, tilted by *angle* degrees, with no empty corners."""
    turned = Image.linear_gradient("L").rotate(angle, resample=Image.Resampling.BILINEAR)
    cos, sin = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
    inner = 256 / (cos + sin)
    margin = (256 - inner) / 2
    return turned.resize(size, Image.Resampling.BILINEAR, box=(margin, margin, 256 - margin, 256 - margin))


def shape_for(category: str, name: str = "") -> str:
    """The product silhouette for a category path such as ``food.honey``."""
    words = f"{category} {name}".lower()
    for shape, keywords in _SHAPES:
        if any(keyword in words for keyword in keywords):
            return shape
    return "box"


def palette(seed: str) -> tuple[RGB, RGB, RGB]:
    """Background light, background dark and product colour, derived from *seed*."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    hue = digest[0] / 255

    def rgb(h: float, lightness: float, saturation: float) -> RGB:
        r, g, b = colorsys.hls_to_rgb(h % 1.0, lightness, saturation)
        return (round(r * 255), round(g * 255), round(b * 255))

    return (
        rgb(hue, 0.86, 0.55),
        rgb(hue + 0.08, 0.62, 0.45),
        rgb(hue + 0.5 + (digest[1] / 255 - 0.5) * 0.2, 0.42, 0.6),
    )


def render_demo_image(name: str, category: str = "", seed: str | int = "", size: int = 1200) -> bytes:
    """A square JPEG of a stylised product (bottle, jar, sack or box) with its name.

    The same arguments always give the same bytes.
    """
    if size < 64:
        raise ValueError("A demo image must be at least 64 pixels wide.")
    light, dark, product = palette(f"{seed}|{category}|{name}")
    shape = shape_for(category, name)
    # Soft parts (gradient, glow, shadow) are made small and enlarged; only the product's
    # hard edges are drawn at twice the size and shrunk, for smooth outlines.
    low = max(32, size // 4)
    ramp = diagonal_ramp((low, low), -35)
    backdrop = Image.composite(Image.new("RGB", (low, low), dark), Image.new("RGB", (low, low), light), ramp)
    _spotlight(backdrop)
    _shadow(backdrop, shape)
    image = backdrop.resize((size, size), Image.Resampling.BICUBIC).convert("RGBA")
    big = size * SUPERSAMPLE
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    {"bottle": _bottle, "jar": _jar, "sack": _sack, "box": _box}[shape](ImageDraw.Draw(layer), big, product)
    image.alpha_composite(layer.resize((size, size), Image.Resampling.BOX))
    image = image.convert("RGB")
    _caption(image, name)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88, progressive=True)
    return buffer.getvalue()


def _spotlight(canvas: Image.Image) -> None:
    size = canvas.width
    glow = Image.new("L", canvas.size, 0)
    ImageDraw.Draw(glow).ellipse((size * 0.18, size * 0.08, size * 0.82, size * 0.72), fill=120)
    glow = glow.filter(ImageFilter.GaussianBlur(size // 12))
    canvas.paste((255, 255, 255), mask=glow)


def _shadow(canvas: Image.Image, shape: str) -> None:
    size = canvas.width
    width = 0.26 if shape == "bottle" else 0.34
    mask = Image.new("L", canvas.size, 0)
    ImageDraw.Draw(mask).ellipse(
        (size * (0.5 - width), size * 0.7, size * (0.5 + width), size * 0.78), fill=110
    )
    canvas.paste((0, 0, 0), mask=mask.filter(ImageFilter.GaussianBlur(size // 60)))


def _shade(colour: RGB, factor: float) -> RGB:
    if factor >= 1:
        return (
            round(colour[0] + (255 - colour[0]) * (factor - 1)),
            round(colour[1] + (255 - colour[1]) * (factor - 1)),
            round(colour[2] + (255 - colour[2]) * (factor - 1)),
        )
    return (round(colour[0] * factor), round(colour[1] * factor), round(colour[2] * factor))


def _label(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], colour: RGB) -> None:
    draw.rounded_rectangle(box, radius=(box[2] - box[0]) * 0.06, fill=(250, 247, 240))
    left, top, right, bottom = box
    height = bottom - top
    draw.rectangle((left, top + height * 0.18, right, top + height * 0.3), fill=colour)
    for index, width in enumerate((0.7, 0.5, 0.6)):
        y = top + height * (0.48 + index * 0.14)
        draw.rounded_rectangle(
            (left + (right - left) * 0.15, y, left + (right - left) * (0.15 + width), y + height * 0.06),
            radius=height * 0.03,
            fill=_shade(colour, 1.45),
        )


def _bottle(draw: ImageDraw.ImageDraw, s: int, colour: RGB) -> None:
    draw.rounded_rectangle(
        (s * 0.455, s * 0.1, s * 0.545, s * 0.2), radius=s * 0.012, fill=_shade(colour, 0.5)
    )
    draw.rectangle((s * 0.465, s * 0.18, s * 0.535, s * 0.32), fill=_shade(colour, 0.8))
    draw.polygon(
        [(s * 0.465, s * 0.31), (s * 0.535, s * 0.31), (s * 0.62, s * 0.4), (s * 0.38, s * 0.4)],
        fill=_shade(colour, 0.8),
    )
    draw.rounded_rectangle((s * 0.38, s * 0.38, s * 0.62, s * 0.74), radius=s * 0.03, fill=colour)
    draw.rounded_rectangle(
        (s * 0.4, s * 0.4, s * 0.43, s * 0.72), radius=s * 0.015, fill=_shade(colour, 1.35)
    )
    _label(draw, (s * 0.41, s * 0.47, s * 0.59, s * 0.64), _shade(colour, 0.7))


def _jar(draw: ImageDraw.ImageDraw, s: int, colour: RGB) -> None:
    draw.rounded_rectangle(
        (s * 0.33, s * 0.26, s * 0.67, s * 0.34), radius=s * 0.02, fill=_shade(colour, 0.55)
    )
    draw.rounded_rectangle((s * 0.3, s * 0.32, s * 0.7, s * 0.74), radius=s * 0.06, fill=colour)
    draw.rounded_rectangle(
        (s * 0.33, s * 0.36, s * 0.37, s * 0.7), radius=s * 0.02, fill=_shade(colour, 1.35)
    )
    _label(draw, (s * 0.36, s * 0.43, s * 0.64, s * 0.63), _shade(colour, 0.7))


def _sack(draw: ImageDraw.ImageDraw, s: int, colour: RGB) -> None:
    draw.polygon(
        [(s * 0.36, s * 0.22), (s * 0.64, s * 0.22), (s * 0.7, s * 0.72), (s * 0.3, s * 0.72)],
        fill=colour,
    )
    draw.rounded_rectangle((s * 0.3, s * 0.66, s * 0.7, s * 0.75), radius=s * 0.03, fill=colour)
    draw.polygon(
        [
            (s * 0.36, s * 0.22),
            (s * 0.41, s * 0.16),
            (s * 0.5, s * 0.21),
            (s * 0.59, s * 0.16),
            (s * 0.64, s * 0.22),
        ],
        fill=_shade(colour, 0.8),
    )
    draw.rectangle((s * 0.36, s * 0.24, s * 0.64, s * 0.27), fill=_shade(colour, 0.6))
    _label(draw, (s * 0.37, s * 0.38, s * 0.63, s * 0.62), _shade(colour, 0.65))


def _box(draw: ImageDraw.ImageDraw, s: int, colour: RGB) -> None:
    front = (s * 0.3, s * 0.34, s * 0.6, s * 0.74)
    draw.polygon(
        [(front[2], front[1]), (s * 0.7, s * 0.28), (s * 0.7, s * 0.68), (front[2], front[3])],
        fill=_shade(colour, 0.65),
    )
    draw.polygon(
        [(front[0], front[1]), (s * 0.4, s * 0.28), (s * 0.7, s * 0.28), (front[2], front[1])],
        fill=_shade(colour, 1.3),
    )
    draw.rectangle(front, fill=colour)
    _label(draw, (s * 0.33, s * 0.42, s * 0.57, s * 0.64), _shade(colour, 0.7))


def _caption(image: Image.Image, name: str) -> None:
    size = image.width
    band_top = round(size * 0.8)
    band = Image.new("L", image.size, 0)
    ImageDraw.Draw(band).rectangle((0, band_top, size, size), fill=150)
    image.paste((20, 24, 32), mask=band)
    margin = round(size * 0.06)
    fitted = fit_text(
        name or " ",
        width=size - 2 * margin,
        height=size - band_top - margin * 0.6,
        max_size=max(12, size // 16),
        min_size=max(10, size // 40),
        max_lines=2,
        weight="bold",
    )
    top = band_top + (size - band_top - fitted.height) // 2
    draw_fitted(ImageDraw.Draw(image), (margin, top), fitted, (255, 255, 255), "bold")
