"""Word diff of source texts and its HTML rendering."""

from __future__ import annotations

from translations.diff import diff_html
from translations.diff import tokenize
from translations.diff import word_diff


def test_tokens_split_words_spaces_punctuation_and_cjk() -> None:
    assert tokenize("Мука, 2 кг 面粉") == ["Мука", ",", " ", "2", " ", "кг", " ", "面", "粉"]


def test_word_diff_of_russian_text() -> None:
    assert word_diff("Мука пшеничная высший сорт", "Мука пшеничная первый сорт, 2 кг") == [
        ("equal", "Мука пшеничная "),
        ("delete", "высший"),
        ("insert", "первый"),
        ("equal", " сорт"),
        ("insert", ", 2 кг"),
    ]


def test_word_diff_of_chinese_text_works_per_character() -> None:
    assert word_diff("哈萨克斯坦面粉", "哈萨克斯坦优质面粉") == [
        ("equal", "哈萨克斯坦"),
        ("insert", "优质"),
        ("equal", "面粉"),
    ]


def test_identical_and_empty_texts() -> None:
    assert word_diff("same text", "same text") == [("equal", "same text")]
    assert word_diff("", "") == []
    assert word_diff("", "new") == [("insert", "new")]
    assert word_diff("old", "") == [("delete", "old")]


def test_html_escapes_everything_and_marks_changes() -> None:
    segments = word_diff('<b>Tea</b> & "honey"', "Tea & <i>milk</i>")
    html = diff_html(segments)
    assert "<b>" not in html and "<i>" not in html
    assert html == (
        "<del>&lt;b&gt;</del>Tea<del>&lt;/b&gt;</del> &amp; "
        "<del>&quot;honey&quot;</del><ins>&lt;i&gt;milk&lt;/i&gt;</ins>"
    )


def test_html_of_plain_change() -> None:
    assert diff_html(word_diff("25 кг", "10 кг")) == "<del>25</del><ins>10</ins> кг"
