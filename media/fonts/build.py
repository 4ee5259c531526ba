"""Rebuild the shipped font subsets (a maintenance tool; not imported at run time).

Usage::

    python -m media.fonts.build --noto-sans 'NotoSans[wdth,wght].ttf' \\
        --cjk-regular NotoSansCJK-Regular.ttc --cjk-bold NotoSansCJK-Bold.ttc

The Latin/Cyrillic font is Noto Sans (variable), instanced at weights 400 and 700. The CJK
font is the Simplified Chinese face of Noto Sans CJK, cut down to GB 2312 plus CJK
punctuation, full-width forms and every non-ASCII character it has that appears in
``extra-chars.txt`` or the demo catalog's JSON files.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LATIN_RANGES = [
    (0x0020, 0x007E),
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A/B (Kazakh Latin: á ǵ ı ń ó ú ý ş ...)
    (0x02B0, 0x02FF),
    (0x0300, 0x036F),  # combining marks
    (0x0370, 0x03FF),  # Greek (α, µ in product descriptions)
    (0x0400, 0x052F),  # Cyrillic and Cyrillic Supplement (Kazakh: ә ғ қ ң ө ұ ү һ і)
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),  # punctuation: dashes, quotes, bullet, ellipsis
    (0x20A0, 0x20C0),  # currency: ₸ ₽ € ₴
    (0x2100, 0x2150),  # № ™
    (0x2190, 0x2199),
    (0x2200, 0x22FF),  # mathematical operators: ≤ ≥ ± × −
    (0x25A0, 0x25FF),
]
CJK_RANGES = [
    (0x3000, 0x303F),  # CJK punctuation
    (0xFF00, 0xFFEF),  # full-width forms
]


def gb2312_characters() -> set[str]:
    """Every character of GB 2312 (rows 1-87), decoded from its two-byte codes."""
    characters: set[str] = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                characters.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return characters


def demo_characters() -> set[str]:
    """Non-ASCII characters used by ``extra-chars.txt`` and the demo catalog's JSON files."""
    text = (HERE / "extra-chars.txt").read_text(encoding="utf-8")
    for path in sorted((REPO / "catalog" / "demo_data").rglob("*.json")):
        text += json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
    return {ch for ch in text if ord(ch) >= 0x80}


def _subset(font: TTFont, codepoints: set[int], output: Path) -> None:
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["kern", "liga", "locl", "ccmp", "mark", "mkmk", "calt", "vert"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.save(output)
    print(f"{output.name}: {len(codepoints)} code points, {output.stat().st_size // 1024} KB")


def build_latin(variable_font: Path) -> None:
    codepoints = {cp for low, high in LATIN_RANGES for cp in range(low, high + 1)}
    for weight, name in ((400, "Regular"), (700, "Bold")):
        font = instancer.instantiateVariableFont(TTFont(variable_font), {"wght": weight, "wdth": 100})
        _subset(font, codepoints, HERE / f"NotoSans-{name}.ttf")


def build_cjk(collection: Path, name: str) -> None:
    fonts = TTCollection(collection).fonts
    font = next(f for f in fonts if f["name"].getDebugName(1).startswith("Noto Sans CJK SC"))
    characters = gb2312_characters() | demo_characters()
    codepoints = {ord(ch) for ch in characters if ord(ch) >= 0x80}
    codepoints |= {cp for low, high in CJK_RANGES for cp in range(low, high + 1)}
    _subset(font, codepoints, HERE / f"NotoSansSC-{name}.otf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--noto-sans", type=Path, required=True)
    parser.add_argument("--cjk-regular", type=Path, required=True)
    parser.add_argument("--cjk-bold", type=Path, required=True)
    arguments = parser.parse_args()
    build_latin(arguments.noto_sans)
    build_cjk(arguments.cjk_regular, "Regular")
    build_cjk(arguments.cjk_bold, "Bold")


if __name__ == "__main__":
    main()
