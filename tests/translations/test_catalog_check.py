"""The UI catalog checker on small PO texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from translations.catalog_check import assert_catalog_complete
from translations.catalog_check import check_catalog
from translations.catalog_check import check_catalog_text
from translations.catalog_check import expected_plural_count

PLURALS = {
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
        "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "kk": "nplurals=2; plural=(n != 1);",
    "zh": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
}


def header(locale: str, plural_forms: str | None = None) -> str:
    forms = PLURALS[locale] if plural_forms is None else plural_forms
    lines = [f"Language: {locale}", "Content-Type: text/plain; charset=UTF-8"]
    if forms:
        lines.append(f"Plural-Forms: {forms}")
    body = "".join(f'"{line}\\n"\n' for line in lines)
    return f'msgid ""\nmsgstr ""\n{body}\n'


GOOD_RU = header("ru") + (
    '#, python-format\nmsgid "Hello, %(name)s"\nmsgstr "Здравствуйте, %(name)s"\n\n'
    '#, python-format\nmsgid "%(num)d item"\nmsgid_plural "%(num)d items"\n'
    'msgstr[0] "%(num)d товар"\nmsgstr[1] "%(num)d товара"\nmsgstr[2] "%(num)d товаров"\n\n'
    'msgid "Next show {when}"\nmsgstr "Следующий эфир {when}"\n'
)


@pytest.mark.parametrize(("locale", "count"), [("ru", 3), ("kk", 2), ("zh", 1), ("en", 2)])
def test_plural_form_counts(locale: str, count: int) -> None:
    assert expected_plural_count(locale) == count


def test_a_complete_catalog_is_ok() -> None:
    report = check_catalog_text(GOOD_RU, "ru")
    assert report.ok, str(report)
    assert str(report) == "ru: catalog is complete"


def test_untranslated_and_fuzzy_entries_are_reported_with_lines() -> None:
    text = header("kk") + 'msgid "Search"\nmsgstr ""\n\n#, fuzzy\nmsgid "Price"\nmsgstr "Баға"\n'
    report = check_catalog_text(text, "kk")
    assert [str(issue) for issue in report.issues] == [
        "line 7: [untranslated] 'Search' is not translated",
        "line 11: [fuzzy] 'Price' is marked fuzzy (needs review)",
    ]
    assert str(report).startswith("kk: 2 problem(s)\n  line 7: [untranslated]")


def test_python_format_placeholders_must_match() -> None:
    text = header("en") + '#, python-format\nmsgid "Hello, %(name)s"\nmsgstr "Hello, %(nom)s"\n'
    (issue,) = check_catalog_text(text, "en").issues
    assert issue.kind == "placeholders"
    assert issue.line == 8
    assert "placeholders ['%(nom)s'] in msgstr do not match ['%(name)s'] in msgid" in issue.message


def test_brace_format_placeholders_must_match() -> None:
    text = header("zh") + '#, brace-format\nmsgid "Starts {when}"\nmsgstr "开始"\n'
    (issue,) = check_catalog_text(text, "zh").issues
    assert issue.kind == "placeholders"
    assert "[] in msgstr do not match ['{when}']" in issue.message


def test_unflagged_entries_are_not_checked_for_format_placeholders() -> None:
    text = header("en") + 'msgid "100% natural"\nmsgstr "100% natural"\n\nmsgid "{x}"\nmsgstr "y"\n'
    assert check_catalog_text(text, "en").ok


def test_plural_forms_may_drop_but_not_invent_placeholders() -> None:
    text = header("kk") + (
        '#, python-format\nmsgid "%(num)d item"\nmsgid_plural "%(num)d items"\n'
        'msgstr[0] "бір зат"\nmsgstr[1] "%(num)d зат %(oops)s"\n'
    )
    (issue,) = check_catalog_text(text, "kk").issues
    assert issue.message.endswith("msgstr[1] uses ['%(oops)s'], not in msgid or msgid_plural")


def test_wrong_number_of_plural_forms() -> None:
    text = header("ru") + 'msgid "item"\nmsgid_plural "items"\nmsgstr[0] "товар"\nmsgstr[1] "товара"\n'
    report = check_catalog_text(text, "ru")
    assert [issue.kind for issue in report.issues] == ["plural-forms", "untranslated"]
    assert "has msgstr[0, 1] forms; ru needs 0..2" in report.issues[0].message
    assert "misses some plural forms" in report.issues[1].message


def test_plural_forms_header_is_checked() -> None:
    wrong = check_catalog_text(header("ru", "nplurals=2; plural=(n != 1);"), "ru")
    assert [str(i) for i in wrong.issues] == ["line 1: [plural-forms] Plural-Forms says nplurals=2; ru has 3"]
    missing = check_catalog_text(header("zh", ""), "zh")
    assert [str(i) for i in missing.issues] == [
        "line 1: [plural-forms] no Plural-Forms header; zh needs nplurals=1"
    ]


def test_language_header_must_match() -> None:
    report = check_catalog_text(header("kk").replace("Language: kk", "Language: ru"), "kk")
    assert [i.kind for i in report.issues] == ["header"]
    assert report.issues[0].message == "Language header is 'ru', expected 'kk'"


def test_syntax_errors_are_reported_not_raised() -> None:
    report = check_catalog_text(header("en") + 'msgid "a\nmsgstr "b"\n', "en")
    assert [str(issue) for issue in report.issues] == ["line 7: [syntax] expected a quoted string, got '\"a'"]


def test_files_in_the_babel_layout(tmp_path: Path) -> None:
    folder = tmp_path / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    good = folder / "messages.po"
    good.write_text(GOOD_RU, encoding="utf-8")
    assert check_catalog(good).ok
    assert_catalog_complete(good)

    bad = tmp_path / "ru" / "LC_MESSAGES" / "broken.po"
    bad.write_text(header("ru") + 'msgid "Search"\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="line 7: \\[untranslated\\] 'Search' is not translated"):
        assert_catalog_complete(bad)


def test_file_checks_need_a_known_locale_and_utf8(tmp_path: Path) -> None:
    stray = tmp_path / "messages.po"
    stray.write_text(GOOD_RU, encoding="utf-8")
    with pytest.raises(ValueError, match="cannot tell the locale of"):
        check_catalog(stray)
    assert check_catalog(stray, "ru").ok
    stray.write_bytes(GOOD_RU.encode("cp1251"))
    (issue,) = check_catalog(stray, "ru").issues
    assert issue.kind == "syntax"
    assert issue.message.startswith("not UTF-8 at byte")
