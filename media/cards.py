"""On-air product cards: a broadcast-ready PNG from plain, already translated values."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Literal

from PIL import Image
from PIL import ImageDraw
from PIL import ImageFilter

from media.demo import diagonal_ramp
from media.errors import MediaError
from media.flags import draw_flag
from media.pipeline import decode_upload
from media.png import encode_png
from media.qr import qr_image
from media.renditions import CENTRE
from media.renditions import Focal
from media.renditions import crop_box
from media.renditions import validate_focal
from media.typeset import FittedText
from media.typeset import draw_fitted
from media.typeset import draw_text
from media.typeset import fit_text
from media.typeset import text_width

Layout = Literal["portrait", "landscape", "square"]
LAYOUTS: tuple[Layout, ...] = ("portrait", "landscape", "square")
MAX_HIGHLIGHTS = 3
Box = tuple[int, int, int, int]

BACKGROUND_TOP = (12, 22, 40)
BACKGROUND_BOTTOM = (16, 58, 78)
TEXT = (255, 255, 255)
MUTED = (176, 194, 210)
PRICE = (255, 200, 61)
FLASH = (230, 57, 70)
PANEL = (255, 255, 255)


@dataclass(frozen=True)
class CardLabels:
    """UI words on the card, already translated into the card's locale by the caller."""

    origin: str = "Origin"
    booth: str = "Booth"
    scan: str = "Scan to buy"
    flash: str = "Flash price"


@dataclass(frozen=True)
class CardContent:
    """Everything a card shows, as display-ready text.

    ``regular_price`` set means a flash price: it is shown struck through next to
    ``price``. ``origin_code`` is the ISO 3166-1 alpha-2 code for the flag badge.
    ``image`` is best the product's ``zoom`` JPEG rendition (the fastest to decode), and
    ``image_focal`` its focal point; without an image a placeholder is drawn.
    """

    name: str
    price: str
    regular_price: str | None = None
    origin_country: str = ""
    origin_code: str = ""
    booth: str = ""
    highlights: tuple[str, ...] = ()
    image: bytes | None = None
    image_focal: Focal = CENTRE
    qr_url: str | None = None
    labels: CardLabels = field(default_factory=CardLabels)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("A card needs a product name.")
        if len(self.highlights) > MAX_HIGHLIGHTS:
            raise ValueError(
                f"A card shows at most {MAX_HIGHLIGHTS} highlights; {len(self.highlights)} given."
            )
        validate_focal(self.image_focal)


@dataclass(frozen=True)
class _Geometry:
    size: tuple[int, int]
    image: Box
    body: Box  # name, price, highlights flow top to bottom
    footer: Box  # origin, booth and the QR code at the right
    name_sizes: tuple[int, int]  # largest and smallest
    price_size: int
    highlight_sizes: tuple[int, int]
    meta_size: int


_GEOMETRY: dict[Layout, _Geometry] = {
    "portrait": _Geometry(
        (1080, 1920),
        (120, 60, 960, 900),
        (60, 950, 1020, 1600),
        (60, 1630, 1020, 1860),
        (84, 44),
        112,
        (44, 30),
        40,
    ),
    "landscape": _Geometry(
        (1920, 1080),
        (60, 60, 1020, 1020),
        (1090, 60, 1860, 770),
        (1090, 790, 1860, 1020),
        (80, 42),
        104,
        (40, 28),
        36,
    ),
    "square": _Geometry(
        (1080, 1080),
        (50, 50, 490, 490),
        (530, 50, 1030, 760),
        (50, 790, 1030, 1030),
        (60, 32),
        80,
        (32, 24),
        32,
    ),
}


def render_card(content: CardContent, layout: Layout = "portrait") -> bytes:
    """Render *content* as a PNG in *layout* (``portrait``, ``landscape`` or ``square``)."""
    return encode_png(render_card_image(content, layout))


def render_card_image(content: CardContent, layout: Layout = "portrait") -> Image.Image:
    """Render *content* as an RGB image (see :func:`render_card`)."""
    if layout not in _GEOMETRY:
        raise ValueError(f"Unknown card layout {layout!r}; use one of {', '.join(LAYOUTS)}.")
    geometry = _GEOMETRY[layout]
    canvas = _base(layout).copy()
    _paste_picture(canvas, content, geometry.image)
    draw = ImageDraw.Draw(canvas)
    _draw_body(draw, content, geometry)
    _draw_footer(canvas, draw, content, geometry)
    return canvas


@functools.cache
def _base(layout: Layout) -> Image.Image:
    """The background gradient and the picture's drop shadow, made once per layout."""
    geometry = _GEOMETRY[layout]
    ramp = Image.linear_gradient("L").resize(geometry.size)
    top = Image.new("RGB", geometry.size, BACKGROUND_TOP)
    bottom = Image.new("RGB", geometry.size, BACKGROUND_BOTTOM)
    canvas = Image.composite(bottom, top, ramp)
    left, upper, right, lower = geometry.image
    shadow = Image.new("L", geometry.size, 0)
    ImageDraw.Draw(shadow).rounded_rectangle(
        (left + 8, upper + 14, right + 8, lower + 14), _radius(geometry.image), fill=110
    )
    canvas.paste((0, 0, 0), mask=shadow.filter(ImageFilter.BoxBlur(14)))
    return canvas


@functools.cache
def _rounded_mask(size: tuple[int, int], radius: int) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius, fill=255)
    return mask


def _radius(box: Box) -> int:
    return max(12, (box[2] - box[0]) // 24)


def _paste_picture(canvas: Image.Image, content: CardContent, box: Box) -> None:
    size = (box[2] - box[0], box[3] - box[1])
    picture = _product_picture(content.image, content.image_focal, size)
    canvas.paste(picture, box[:2], _rounded_mask(size, _radius(box)))


@functools.lru_cache(maxsize=12)
def _product_picture(data: bytes | None, focal: Focal, size: tuple[int, int]) -> Image.Image:
    """The product image cropped around its focal point, or a placeholder.

    Cached, because one product is rendered in several locales and currencies in a row.
    """
    if data is not None:
        try:
            decoded = decode_upload(data, longest_side_needed=max(size), shortest_side_needed=max(size))
        except MediaError:
            decoded = None
        if decoded is not None:
            image = decoded.image
            left, top, right, bottom = crop_box(image.width, image.height, size[0] / size[1], focal)
            image = image.crop((left, top, right, bottom)).resize(
                size, Image.Resampling.BILINEAR, reducing_gap=2.0
            )
            panel = Image.new("RGB", size, PANEL)
            panel.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
            return panel
    return _placeholder(size)


def _placeholder(size: tuple[int, int]) -> Image.Image:
    ramp = diagonal_ramp(size, 45)
    image = Image.composite(Image.new("RGB", size, (58, 86, 120)), Image.new("RGB", size, (34, 52, 78)), ramp)
    draw = ImageDraw.Draw(image)
    w, h = size
    unit = min(w, h) / 10
    cx, cy = w / 2, h / 2
    # A simple parcel: box, lid line and a tied ribbon.
    draw.rounded_rectangle(
        (cx - 2.2 * unit, cy - 1.6 * unit, cx + 2.2 * unit, cy + 1.9 * unit),
        unit * 0.25,
        outline=(200, 216, 232),
        width=max(2, int(unit * 0.18)),
    )
    draw.line(
        (cx - 2.2 * unit, cy - 0.5 * unit, cx + 2.2 * unit, cy - 0.5 * unit),
        fill=(200, 216, 232),
        width=max(2, int(unit * 0.18)),
    )
    draw.line(
        (cx, cy - 1.6 * unit, cx, cy + 1.9 * unit),
        fill=(200, 216, 232),
        width=max(2, int(unit * 0.18)),
    )
    return image


def _draw_body(draw: ImageDraw.ImageDraw, content: CardContent, geometry: _Geometry) -> None:
    left, top, right, bottom = geometry.body
    width = right - left
    price_height = round(geometry.price_size * 1.25)
    flash_height = round(geometry.meta_size * 1.6) if content.regular_price else 0
    name = _fit_name(content.name, bool(content.highlights), geometry, price_height + flash_height)
    draw_fitted(draw, (left, top), name, TEXT, "bold")
    y = top + name.height + round(geometry.meta_size * 0.5)
    if content.regular_price:
        y = _draw_flash_tag(draw, content.labels.flash, (left, y), geometry.meta_size)
    y = _draw_price(draw, content, (left, y), width, geometry.price_size)
    highlights = [h for h in content.highlights if h.strip()]
    if highlights:
        _draw_highlights(draw, highlights, (left, y + 10, right, bottom), geometry.highlight_sizes)


def _fit_name(
    name: str, with_highlights: bool, geometry: _Geometry, below: int, ellipsis: bool = True
) -> FittedText:
    """The product name wrapped into the body, leaving *below* pixels for the prices."""
    left, top, right, bottom = geometry.body
    return fit_text(
        name,
        width=right - left,
        height=(bottom - top - below) * (0.5 if with_highlights else 0.9),
        max_size=geometry.name_sizes[0],
        min_size=geometry.name_sizes[1],
        max_lines=3,
        weight="bold",
        line_spacing=1.18,
        ellipsis=ellipsis,
    )


def overflow(name: str, highlights: Sequence[str], layout: Layout, flash: bool = False) -> tuple[str, ...]:
    """Which of ``name`` and ``highlights`` the card in *layout* cuts short (ellipsis or hidden lines)."""
    geometry = _GEOMETRY[layout]
    left, top, right, bottom = geometry.body
    below = round(geometry.price_size * 1.25) + (round(geometry.meta_size * 1.6) if flash else 0)
    shown = [h for h in highlights if h.strip()]
    fitted_name = _fit_name(name, bool(shown), geometry, below, ellipsis=False)  # measured, not drawn
    cut: list[str] = ["name"] if fitted_name.truncated else []
    y = top + fitted_name.height + round(geometry.meta_size * 0.5) + below
    if shown and _cut_highlights(shown, (left, y + 10, right, bottom), geometry.highlight_sizes):
        cut.append("highlights")
    return tuple(cut)


def _cut_highlights(highlights: list[str], box: Box, sizes: tuple[int, int]) -> bool:
    """Whether some highlight ends in an ellipsis or falls below *box*."""
    top, bottom = box[1], box[3]
    y = float(top)
    for item in _fit_highlights(highlights, box, sizes, ellipsis=False):
        if item.truncated or y + item.height > bottom:
            return True
        y += item.height + item.size * 0.5
    return False


def _draw_flash_tag(draw: ImageDraw.ImageDraw, label: str, xy: tuple[int, int], size: int) -> int:
    x, y = xy
    label_size = round(size * 0.8)
    fitted = fit_text(
        label,
        width=900,
        height=label_size * 1.3,
        max_size=label_size,
        min_size=label_size,
        max_lines=1,
        weight="bold",
    )
    pad = label_size // 2
    text_w = text_width(fitted.lines[0], label_size, "bold") if fitted.lines else 0
    draw.rounded_rectangle(
        (x, y, x + text_w + 2 * pad, y + round(label_size * 1.45)), label_size // 2, fill=FLASH
    )
    if fitted.lines:
        draw_text(draw, (x + pad, y + round(label_size * 1.1)), fitted.lines[0], label_size, TEXT, "bold")
    return y + round(size * 1.6)


def _draw_price(
    draw: ImageDraw.ImageDraw, content: CardContent, xy: tuple[int, int], width: int, size: int
) -> int:
    x, y = xy
    price_size = size
    while price_size > size // 3 and _price_width(content, price_size) > width:
        price_size = int(price_size * 0.9)
    baseline = y + round(price_size * 0.95)
    end = draw_text(draw, (x, baseline), content.price, price_size, PRICE, "bold")
    if content.regular_price:
        regular_size = max(20, round(price_size * 0.45))
        start = end + regular_size
        stop = draw_text(draw, (start, baseline), content.regular_price, regular_size, MUTED)
        strike_y = baseline - regular_size * 0.32
        draw.line((start - 4, strike_y, stop + 4, strike_y), fill=MUTED, width=max(3, regular_size // 10))
    return y + round(price_size * 1.25)


def _price_width(content: CardContent, size: int) -> float:
    """Width of the price, plus the struck regular price beside it if there is one."""
    width = text_width(content.price, size, "bold")
    if content.regular_price:
        regular_size = max(20, round(size * 0.45))
        width += regular_size + text_width(content.regular_price, regular_size) + 4
    return width


def _draw_highlights(
    draw: ImageDraw.ImageDraw, highlights: list[str], box: Box, sizes: tuple[int, int]
) -> None:
    left, top, _right, bottom = box
    bullet_gap = round(sizes[0] * 0.9)
    y = float(top)
    for item in _fit_highlights(highlights, box, sizes):
        if y + item.line_height > bottom:
            break
        radius = item.size * 0.16
        cy = y + item.size * 0.62
        draw.ellipse((left + 4, cy - radius, left + 4 + 2 * radius, cy + radius), fill=PRICE)
        visible = _visible_lines(item, bottom - y)
        draw_fitted(draw, (left + bullet_gap, round(y)), visible, TEXT)
        y += visible.height + item.size * 0.5


def _fit_highlights(
    highlights: list[str], box: Box, sizes: tuple[int, int], ellipsis: bool = True
) -> list[FittedText]:
    """Each highlight at the largest size (and up to two lines) at which all of them fit *box*."""
    left, top, right, bottom = box
    bullet_gap = round(sizes[0] * 0.9)
    room = bottom - top
    size, max_lines = sizes[0], 2
    while True:
        fitted = [
            fit_text(
                text,
                width=right - left - bullet_gap,
                height=size * 1.25 * max_lines,
                max_size=size,
                min_size=size,
                max_lines=max_lines,
                line_spacing=1.25,
                ellipsis=ellipsis,
            )
            for text in highlights
        ]
        total = sum(item.height for item in fitted) + size * 0.5 * (len(fitted) - 1)
        if total <= room or (size <= sizes[1] and max_lines == 1):
            return fitted
        if size > sizes[1]:
            size = max(sizes[1], size - 2)
        else:
            max_lines = 1  # Still too tall at the smallest size: one line each, ellipsized.


def _visible_lines(item: FittedText, room: float) -> FittedText:
    count = max(1, min(len(item.lines), int(room // item.line_height)))
    return FittedText(item.lines[:count], item.size, item.line_height, item.truncated)


def _draw_footer(
    canvas: Image.Image, draw: ImageDraw.ImageDraw, content: CardContent, geometry: _Geometry
) -> None:
    left, top, right, bottom = geometry.footer
    height = bottom - top
    draw.line((left, top, right, top), fill=(64, 98, 122), width=3)
    qr_right = right
    if content.qr_url:
        qr_size = height - 24
        qr = qr_image(content.qr_url, qr_size)
        canvas.paste(qr, (right - qr_size, top + 24))
        qr_right = right - qr_size - 30
        scan = fit_text(
            content.labels.scan,
            width=qr_right - left,
            height=geometry.meta_size * 1.3,
            max_size=round(geometry.meta_size * 0.8),
            min_size=18,
            max_lines=1,
        )
        if scan.lines:
            x = qr_right - text_width(scan.lines[0], scan.size)
            draw_text(draw, (x, bottom - 8), scan.lines[0], scan.size, MUTED)
    size = geometry.meta_size
    y = top + 24
    if content.origin_country or content.origin_code:
        flag_height = round(size * 1.1)
        x = left
        if content.origin_code:
            canvas.paste(draw_flag(content.origin_code, flag_height), (left, y))
            x = left + round(flag_height * 1.5) + round(size * 0.4)
        label = f"{content.labels.origin}: {content.origin_country or content.origin_code.upper()}"
        _draw_meta(draw, label, (x, y + round(flag_height * 0.78)), qr_right - x, size)
        y += round(size * 1.8)
    if content.booth:
        _draw_meta(
            draw,
            f"{content.labels.booth}: {content.booth}",
            (left, y + round(size * 0.86)),
            qr_right - left,
            size,
        )


def _draw_meta(draw: ImageDraw.ImageDraw, text: str, xy: tuple[int, int], width: int, size: int) -> None:
    fitted = fit_text(
        text,
        width=width,
        height=size * 1.3,
        max_size=size,
        min_size=max(16, size * 2 // 3),
        max_lines=1,
    )
    if fitted.lines:
        draw_text(draw, xy, fitted.lines[0], fitted.size, TEXT)
