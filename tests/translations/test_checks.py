"""Placeholders and markup, field limits and glossary warnings."""

from __future__ import annotations

import pytest

from translations.checks import FieldError
from translations.checks import GlossaryTerm
from translations.checks import PlaceholderMismatch
from translations.checks import check_glossary
from translations.checks import check_placeholders
from translations.checks import extract_placeholders
from translations.checks import limit_error
from translations.checks import listing_errors


def test_placeholders_of_every_style_are_found_in_order() -> None:
    text = 'Hi {name}, %d items, %(count)s left, <b>bold</b> <a href="x">link</a><br/>'
    assert extract_placeholders(text) == [
        "{name}",
        "%d",
        "%(count)s",
        "<b>",
        "</b>",
        "<a>",
        "</a>",
        "<br/>",
    ]


def test_escapes_and_plain_percent_signs_are_not_placeholders() -> None:
    assert extract_placeholders("50% off, 100%% sure, {{literal}}, 5 < 6 > 4") == []
    assert extract_placeholders("скидка 30% на всё") == []
    assert extract_placeholders("{0} and {} and {x!r:>10} and %.2f and %5s") == [
        "{0}",
        "{}",
        "{x!r:>10}",
        "%.2f",
        "%5s",
    ]


def test_matching_placeholders_pass_in_any_order() -> None:
    check_placeholders("{count} шт. по {price}", "{price} за {count} дана")
    check_placeholders("<b>Новинка</b>: %s", '%s: <b class="new">Жаңа</b>')


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        (
            "Hi {name}",
            "Сәлем",
            "placeholders or markup differ from the source; missing from the translation: {name}",
        ),
        ("Hi", "Сәлем {name}", "not in the source: {name}"),
        ("<b>x</b>", "<b>x", "missing from the translation: </b>"),
        ("%(n)s kg", "%(count)s кг", "missing from the translation: %(n)s; not in the source: %(count)s"),
        ("%s and %s", "%s", "missing from the translation: %s"),
        ("<i>x</i>", "<b>x</b>", "missing from the translation: </i>, <i>; not in the source: </b>, <b>"),
    ],
)
def test_mismatches_name_the_placeholders(source: str, target: str, message: str) -> None:
    with pytest.raises(PlaceholderMismatch) as raised:
        check_placeholders(source, target)
    assert message in str(raised.value)


def test_limits_per_field() -> None:
    assert limit_error("name", "x" * 200) is None
    assert limit_error("name", "x" * 201) == "is 201 characters long; at most 200 are allowed"
    assert limit_error("description", "ы" * 5000) is None
    assert limit_error("description", "ы" * 5001) == "is 5001 characters long; at most 5000 are allowed"
    assert limit_error("highlights.9", "x" * 200) is None
    assert limit_error("highlights.3", "x" * 201) == "is 201 characters long; at most 200 are allowed"
    assert limit_error("highlights.10", "x") == "at most 10 highlights are allowed"
    with pytest.raises(ValueError, match="unknown field 'title'"):
        limit_error("title", "x")


def test_listing_errors_combine_limits_and_placeholders() -> None:
    errors = listing_errors(
        "x" * 201,
        "Мука <b>высший сорт",
        ["ok"] * 11,
        source=("面粉", "面粉<b>特级</b>", ["好"] * 11),
    )
    assert errors == [
        FieldError("highlights", "has 11 items; at most 10"),
        FieldError("name", "is 201 characters long; at most 200 are allowed"),
        FieldError(
            "description", "placeholders or markup differ from the source; missing from the translation: </b>"
        ),
    ]
    assert listing_errors("Ұн", "", ["Күшті"], source=("面粉", "", ["高筋"])) == []


def test_empty_translated_fields_are_not_checked_for_placeholders() -> None:
    assert listing_errors("Ұн", "", [], source=("面粉", "<b>特级</b>", [])) == []


GLOSSARY = [
    GlossaryTerm("Dilmah"),
    GlossaryTerm("tea", "чай"),
    GlossaryTerm("Ceylon", "Цейлон"),
    GlossaryTerm("面粉", "ұн"),
]


def test_glossary_warns_about_missing_required_terms() -> None:
    warnings = check_glossary("Dilmah Ceylon tea", "Дилма, напиток со Шри-Ланки", GLOSSARY)
    assert [w.message for w in warnings] == [
        "keep 'Dilmah' as is in the translation",
        "translate 'tea' as 'чай'",
        "translate 'Ceylon' as 'Цейлон'",
    ]


def test_glossary_is_satisfied_case_insensitively_and_with_endings() -> None:
    assert check_glossary("DILMAH tea", "Чай dilmah", GLOSSARY) == []
    assert check_glossary("Tea from Ceylon", "Чай с Цейлона", GLOSSARY) == []


def test_brands_must_stay_whole_words() -> None:
    warnings = check_glossary("Dilmah tea", "Чай Dilmahs", GLOSSARY)
    assert [w.message for w in warnings] == ["keep 'Dilmah' as is in the translation"]


def test_glossary_respects_word_boundaries_in_spaced_scripts_only() -> None:
    # "tea" inside "steam" is not the term; "面粉" inside a longer Chinese word is.
    assert check_glossary("steam oven", "пароварка", GLOSSARY) == []
    warnings = check_glossary("哈萨克斯坦面粉", "Қазақстан бидайы", GLOSSARY)
    assert [w.term.source for w in warnings] == ["面粉"]
    assert check_glossary("哈萨克斯坦面粉", "Қазақстан ұны", GLOSSARY) == []
