"""Multilingual text on images: font fallback by cmap, wrapping, shrink-to-fit.

Latin and Cyrillic (including Kazakh) come from Noto Sans; Chinese from the shipped
Noto Sans CJK SC subset. Each character is drawn with the first font whose cmap has it,
and lines are only ever broken between whole characters (a base letter keeps its
combining marks), so no glyph is cut.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fontTools.ttLib import TTFont
from PIL import ImageDraw
from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
Weight = Literal["regular", "bold"]
FONT_FILES: dict[Weight, tuple[Path, ...]] = {
    "regular": (FONT_DIR / "NotoSans-Regular.ttf", FONT_DIR / "NotoSansSC-Regular.otf"),
    "bold": (FONT_DIR / "NotoSans-Bold.ttf", FONT_DIR / "NotoSansSC-Bold.otf"),
}
ELLIPSIS = "…"
# No line may start with these, nor end with the opening ones.
_NO_LINE_START = set("，。、！？：；）」』》〉】”’,.!?:;)]}%…·–—")
_NO_LINE_END = set("（「『《〈【“‘([{")
RGB = tuple[int, int, int]


@functools.cache
def coverage(path: Path) -> frozenset[int]:
    """The code points a font file maps to glyphs."""
    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@functools.lru_cache(maxsize=256)
def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A FreeType font at *size* pixels, cached."""
    return ImageFont.truetype(str(path), size)


@functools.lru_cache(maxsize=8192)
def font_path_for(char: str, weight: Weight = "regular") -> Path | None:
    """The first font of the stack that has *char*, or None if none has it."""
    for path in FONT_FILES[weight]:
        if ord(char) in coverage(path):
            return path
    return None


def missing_characters(text: str, weight: Weight = "regular") -> set[str]:
    """Characters of *text* (other than spaces and controls) no shipped font can draw."""
    return {
        char
        for char in text
        if not char.isspace() and unicodedata.category(char)[0] != "C" and font_path_for(char, weight) is None
    }


def runs(text: str, weight: Weight) -> list[tuple[str, Path]]:
    """Split *text* into runs that one font can draw each."""
    result: list[tuple[str, Path]] = []
    primary = FONT_FILES[weight][0]
    if coverage(primary).issuperset(map(ord, text)):
        return [(text, primary)] if text else []  # the common case: one font draws it all
    for char in text:
        if char.isspace():
            path = primary  # CJK fonts have wide spaces; Latin spacing reads better.
        elif unicodedata.combining(char):
            path = result[-1][1] if result else primary
        else:
            path = font_path_for(char, weight) or primary
        if result and (result[-1][1] is path or result[-1][1] == path):
            result[-1] = (result[-1][0] + char, path)
        else:
            result.append((char, path))
    return result


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: int, weight: Weight = "regular") -> float:
    """The advance width of *text* at *size* pixels, across fallback fonts."""
    return sum(load_font(path, size).getlength(part) for part, path in runs(text, weight))


def draw_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    size: int,
    fill: RGB | tuple[int, int, int, int],
    weight: Weight = "regular",
) -> float:
    """Draw one line with its baseline at ``xy[1]``; return the x where it ends."""
    x, baseline = xy
    for part, path in runs(text, weight):
        font = load_font(path, size)
        draw.text((x, baseline), part, font=font, fill=fill, anchor="ls")
        x += font.getlength(part)
    return x


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF


def clusters(text: str) -> list[str]:
    """Split *text* into user-perceived characters: a base plus its combining marks."""
    result: list[str] = []
    for char in text:
        if result and (unicodedata.combining(char) or char in "\u200d\ufe0f"):
            result[-1] += char
        else:
            result.append(char)
    return result


def break_units(text: str) -> list[str]:
    """Units a line may break between: words (with their trailing space) and CJK characters."""
    return list(_break_units(text))


@functools.lru_cache(maxsize=1024)
def _break_units(text: str) -> tuple[str, ...]:
    """:func:`break_units`, remembered: shrink-to-fit wraps the same text at several sizes."""
    units: list[str] = []
    for cluster in clusters(" ".join(text.split())):
        glue_to_previous = units and (cluster in _NO_LINE_START or units[-1][-1:] in _NO_LINE_END)
        if glue_to_previous:
            units[-1] += cluster
        elif cluster == " ":
            if units:
                units[-1] += " "
        elif _is_cjk(cluster[0]) or not units or units[-1].endswith(" ") or _is_cjk(units[-1][-1]):
            units.append(cluster)
        else:
            units[-1] += cluster
    return tuple(units)


def wrap(text: str, size: int, width: float, weight: Weight = "regular") -> list[str]:
    """Greedy line breaking; a word longer than a line is split between characters."""
    lines: list[str] = []
    current = ""
    for unit in _break_units(text):
        candidate = current + unit
        if text_width(candidate.rstrip(), size, weight) <= width:
            current = candidate
            continue
        if current:
            lines.append(current.rstrip())
            current = ""
        if text_width(unit.rstrip(), size, weight) <= width:
            current = unit
            continue
        for cluster in clusters(unit):  # A single word wider than the line.
            if current and text_width((current + cluster).rstrip(), size, weight) > width:
                lines.append(current.rstrip())
                current = ""
            current += cluster
    if current.strip():
        lines.append(current.rstrip())
    return lines


def ellipsize(line: str, size: int, width: float, weight: Weight = "regular") -> str:
    """Shorten *line* by whole characters and end it with an ellipsis so it fits *width*."""
    parts = clusters(line)
    while parts and text_width("".join(parts).rstrip() + ELLIPSIS, size, weight) > width:
        parts.pop()
    return "".join(parts).rstrip() + ELLIPSIS


@dataclass(frozen=True)
class FittedText:
    """Lines of text at the size that made them fit."""

    lines: tuple[str, ...]
    size: int
    line_height: int
    truncated: bool

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)


def fit_text(
    text: str,
    *,
    width: float,
    height: float,
    max_size: int,
    min_size: int,
    max_lines: int,
    weight: Weight = "regular",
    line_spacing: float = 1.2,
    ellipsis: bool = True,
) -> FittedText:
    """Wrap *text* at the largest size from *max_size* down to *min_size* that fits the box.

    If even *min_size* needs too many lines, the last line that fits ends with an ellipsis
    (left as it is with ``ellipsis=False``, for callers that only measure).
    """
    size = max_size
    while True:
        line_height = round(size * line_spacing)
        lines = wrap(text, size, width, weight)
        allowed = max(1, min(max_lines, int(height // line_height)))
        if len(lines) <= allowed or size <= min_size:
            break
        size = max(min_size, int(size * 0.9))
    truncated = len(lines) > allowed
    if truncated and not ellipsis:
        lines = lines[:allowed]
    elif truncated:
        lines = [*lines[: allowed - 1], ellipsize(lines[allowed - 1], size, width, weight)]
    return FittedText(tuple(lines), size, line_height, truncated)


def draw_fitted(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    fitted: FittedText,
    fill: RGB,
    weight: Weight = "regular",
) -> None:
    """Draw fitted lines with the first line's top at *xy*."""
    x, top = xy
    ascent = round(fitted.size * 0.95)
    for index, line in enumerate(fitted.lines):
        draw_text(draw, (x, top + ascent + index * fitted.line_height), line, fitted.size, fill, weight)


def lines_fit(lines: Sequence[str], size: int, width: float, weight: Weight = "regular") -> bool:
    """Whether every line is at most *width* wide at *size*."""
    return all(text_width(line, size, weight) <= width + 0.5 for line in lines)
