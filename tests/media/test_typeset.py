"""Text layout: font coverage of every script the cards use, wrapping and fitting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from media.typeset import FONT_FILES
from media.typeset import break_units
from media.typeset import clusters
from media.typeset import fit_text
from media.typeset import font_path_for
from media.typeset import missing_characters
from media.typeset import text_width
from media.typeset import wrap
from tests.media.conftest import REPO

SAMPLE = (
    "哈萨克斯坦优质面粉，产地直供！限时秒杀：原价¥39.90 "
    "Мука пшеничная высшего сорта «Цесна», 5 кг — 1 250 ₸ № 7 "
    "Қазақстандық ұн: ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І "
    "Qazaqstandyq un: á ǵ ı ń ó ú ý ş Á Ǵ İ Ń Ó Ú Ý Ş "
    "Premium flour from Kazakhstan, 25% off — €4.99 / $5.49"
)


def cmap(path: Path) -> set[int]:
    font = TTFont(path)
    try:
        return set(font.getBestCmap())
    finally:
        font.close()


@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_every_character_of_the_mixed_sample_is_in_a_shipped_font(weight: str) -> None:
    maps = [cmap(path) for path in FONT_FILES[weight]]  # type: ignore[index]
    for char in SAMPLE:
        if char == " ":
            continue
        assert any(ord(char) in table for table in maps), f"{char!r} U+{ord(char):04X} has no glyph"
    assert missing_characters(SAMPLE, weight) == set()  # type: ignore[arg-type]


def test_the_chinese_subset_covers_all_of_gb2312() -> None:
    table = cmap(FONT_FILES["regular"][1])
    missing = []
    for row in range(0xB0, 0xF8):  # the 6,763 hanzi of GB 2312
        for cell in range(0xA1, 0xFF):
            try:
                char = bytes((row, cell)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            if ord(char) not in table:
                missing.append(char)
    assert missing == []


def test_every_character_of_the_demo_catalog_has_a_glyph() -> None:
    text = "".join(
        json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
        for path in sorted((REPO / "catalog" / "demo_data").rglob("*.json"))
    )
    assert len(text) > 1000, "the demo catalog should be there"
    for weight in ("regular", "bold"):
        missing = missing_characters(text, weight)
        assert missing == set(), f"rebuild the font subset (media/fonts/README.md): {missing}"


def test_missing_characters_reports_what_no_font_has() -> None:
    assert missing_characters("ok 한국어 ✓") >= {"한", "국", "어"}


def test_each_character_is_drawn_by_the_font_that_has_it() -> None:
    latin, chinese = FONT_FILES["bold"]
    assert font_path_for("Қ", "bold") == latin
    assert font_path_for("面", "bold") == chinese


def test_breaks_between_chinese_characters_but_not_inside_words() -> None:
    assert break_units("面粉 flour мука") == ["面", "粉 ", "flour ", "мука"]
    assert break_units("价格，很好。") == ["价", "格，", "很", "好。"]


def test_combining_marks_stay_with_their_letter() -> None:
    assert clusters("и\u0306e\u0301") == ["и\u0306", "e\u0301"]


def test_wrapped_lines_fit_and_keep_every_character() -> None:
    text = "Қазақстандық бидай ұны жоғары сорт 哈萨克斯坦优质面粉 Premium wheat flour"
    lines = wrap(text, 48, 420, "bold")
    assert len(lines) > 1
    assert all(text_width(line, 48, "bold") <= 420 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_word_longer_than_the_line_is_split_between_characters() -> None:
    word = "Donaudampfschifffahrtsgesellschaftskapitän"
    lines = wrap(word, 60, 300)
    assert len(lines) > 1 and "".join(lines) == word
    assert all(text_width(line, 60) <= 300 for line in lines)


def test_fit_text_shrinks_before_it_truncates() -> None:
    short = fit_text("Мёд", width=600, height=200, max_size=80, min_size=30, max_lines=2)
    assert short.size == 80 and short.lines == ("Мёд",) and not short.truncated
    long = fit_text("очень " * 12, width=600, height=200, max_size=80, min_size=30, max_lines=2)
    assert 30 <= long.size < 80


def test_fit_text_ends_with_an_ellipsis_when_it_cannot_fit() -> None:
    fitted = fit_text("слово " * 80, width=300, height=100, max_size=40, min_size=30, max_lines=2)
    assert fitted.truncated and fitted.size == 30 and len(fitted.lines) == 2
    assert fitted.lines[-1].endswith("…")
    assert all(text_width(line, fitted.size) <= 300 for line in fitted.lines)


_WORDS = st.sampled_from(
    [
        "мука",
        "Қазақстан",
        "ұн",
        "哈萨克斯坦",
        "面粉",
        "flour",
        "5 kg",
        "—",
        "，",
        "（一级）",
        "ә",
        "é",
        "Donaudampfschiff",
    ]
)


@settings(max_examples=60, deadline=None)
@given(words=st.lists(_WORDS, min_size=1, max_size=25), width=st.integers(min_value=60, max_value=700))
def test_wrapping_never_loses_or_cuts_characters(words: list[str], width: int) -> None:
    text = " ".join(words)
    lines = wrap(text, 36, width, "bold")
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert line == line.strip()
        assert text_width(line, 36, "bold") <= width or len(clusters(line)) == 1


@settings(max_examples=40, deadline=None)
@given(key=st.text(min_size=0, max_size=90))
def test_no_random_key_escapes_the_storage_root(key: str) -> None:
    from media import InvalidKey
    from media import validate_key

    try:
        validate_key(key)
    except InvalidKey:
        return
    assert ".." not in key and not key.startswith("/") and "\\" not in key
