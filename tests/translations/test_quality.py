"""Quality checks per locale: amounts, placeholders, brackets, quotes, spaces, scripts, glossary."""

from __future__ import annotations

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from translations.checks import GlossaryTerm
from translations.quality import CheckContext
from translations.quality import Finding
from translations.quality import check_field
from translations.quality import count_by_severity
from translations.quality_glossary import contains_term
from translations.quality_glossary import kazakh_stem
from translations.quality_numbers import quantity_difference
from translations.quality_scripts import kazakh_dictionary
from translations.quality_scripts import mixed_script_words
from translations.quality_scripts import russian_fold

RU_TO_KK = CheckContext("ru", "kk")
ZH_TO_RU = CheckContext("zh", "ru")


def _checks(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.check, f.severity) for f in findings]


def test_another_amount_is_an_error_naming_both_sides() -> None:
    findings = check_field("Мёд 500 г", "Бал 250 г", RU_TO_KK)
    assert _checks(findings) == [("numbers", "error"), ("numbers", "error")]
    assert "500 г" in findings[0].message
    assert "250 г" in findings[1].message


def test_the_same_amount_in_another_unit_is_fine() -> None:
    assert check_field("Сок 750 мл", "Шырын 0,75 л", RU_TO_KK) == []
    assert check_field("蜂蜜 1.5公斤", "Мёд 1500 г", ZH_TO_RU) == []
    assert check_field("Honey 1,500 g", "Мёд 1,5 кг", CheckContext("en", "ru")) == []


def test_a_unit_spelled_out_still_matches_the_number() -> None:
    assert quantity_difference("Мёд 500 г", "ru", "Honey 500 grams", "en") == ([], [])


def test_numbers_without_units_must_match_too() -> None:
    missing, unexpected = quantity_difference("Набор из 12 штук", "ru", "12 piece set of 3", "en")
    assert (missing, unexpected) == ([], ["3"])


def test_lost_placeholders_are_errors() -> None:
    findings = check_field("Скидка {percent}", "Жеңілдік", RU_TO_KK)
    assert _checks(findings) == [("placeholders", "error")]
    assert "{percent}" in findings[0].message


def test_brackets_must_close_in_order() -> None:
    assert _checks(check_field("Чай (зелёный)", "Шай (жасыл", RU_TO_KK)) == [("brackets", "error")]
    assert _checks(check_field("Чай (зелёный)", "Шай жасыл)", RU_TO_KK)) == [("brackets", "error")]
    assert _checks(check_field("Чай [x (y)]", "Шай [x (y])", RU_TO_KK)) == [("brackets", "error")]


def test_quotes_follow_the_locale() -> None:
    findings = check_field("Чай «Алтай»", 'Шай "Алтай"', RU_TO_KK)
    assert _checks(findings) == [("quotes", "warning")]
    assert findings[0].suggestion == "Шай «Алтай»"
    assert check_field("Чай «Алтай»", "Шай «Алтай»", RU_TO_KK) == []
    english = check_field("Чай «Алтай»", "Tea «Altai»", CheckContext("ru", "en"))
    assert [f.suggestion for f in english] == ["Tea “Altai”"]
    assert check_field("茶「阿尔泰」", "茶“阿尔泰”", CheckContext("zh", "zh")) == []
    assert _checks(check_field("x", "Шай «Алтай", RU_TO_KK)) == [("quotes", "warning")]


def test_leading_trailing_and_double_spaces_are_warnings_with_the_fixed_text() -> None:
    findings = check_field("Мёд", " Бал  таза ", RU_TO_KK)
    assert _checks(findings) == [("spaces", "warning")] * 3
    assert [f.suggestion for f in findings] == ["Бал  таза ", " Бал  таза", " Бал таза "]


def test_latin_look_alikes_in_a_cyrillic_word_are_an_error_with_the_fix() -> None:
    findings = check_field("Мёд", "Табиғи бaл", RU_TO_KK)  # a Latin "a"
    assert _checks(findings) == [("mixed-script", "error")]
    assert findings[0].suggestion == "бал"
    assert mixed_script_words("Kазақ", "kk")[0].fix == "Қазақ".replace("Қ", "К")
    assert mixed_script_words("Kазақ", "kk")[0].fix == "Казақ"


def test_cyrillic_look_alikes_in_a_latin_word_are_fixed_to_latin() -> None:
    found = mixed_script_words("Fresh hоney", "en")  # a Cyrillic "о"
    assert [(f.word, f.fix) for f in found] == [("hоney", "honey")]


def test_a_stray_letter_without_a_twin_is_a_warning_without_fix() -> None:
    findings = check_field("Мёд", "Бaлдың iPhoneның", RU_TO_KK)
    assert ("mixed-script", "warning") in _checks(findings)
    assert any(f.suggestion == "Балдың" for f in findings)


def test_kazakh_words_typed_with_russian_letters_get_the_reviewed_spelling() -> None:
    context = CheckContext("ru", "kk", kazakh_words=kazakh_dictionary({"қазақ", "бал", "тәтті", "бақ"}))
    findings = check_field("Сладкий мёд", "Казак балы Татти", context)
    assert [(f.check, f.suggestion) for f in findings] == [
        ("kazakh-letters", "Қазақ"),
        ("kazakh-letters", "Тәтті"),
    ]
    assert check_field("Сладкий мёд", "Қазақ бал", context) == []


def test_an_unknown_word_is_not_respelled_without_a_dictionary() -> None:
    assert check_field("Мёд", "Казак", RU_TO_KK) == []
    assert russian_fold("Қазақ тәтті") == "казак татти"
    assert kazakh_dictionary(["Бал", "бәл", "шай"]) == {"бал": ("бал", "бәл"), "шай": ("шай",)}


def test_glossary_terms_match_inflected_russian_and_kazakh_forms() -> None:
    terms = (GlossaryTerm("мёд", "бал"), GlossaryTerm("Алтай", None))
    context = CheckContext("ru", "kk", glossary=terms)
    assert check_field("Алтайский мёд с мёдом", "Алтайдың балы", context) == []
    findings = check_field("Мёда из Алтая", "Шырын", context)
    assert [(f.check, f.suggestion) for f in findings] == [("glossary", "бал"), ("glossary", "Алтай")]
    assert contains_term("Купить мёда", "мёд", "ru")
    assert kazakh_stem("бидайдың") == "бидай"
    assert not contains_term("балық", "бал", "kk")


def test_counts_by_severity() -> None:
    findings = check_field("Мёд 500 г", " Бал 250 г", RU_TO_KK)
    assert count_by_severity(findings) == {"error": 2, "warning": 1}


def test_the_source_text_itself_gets_only_its_own_checks() -> None:
    context = CheckContext("ru", "ru")
    assert _checks(check_field("Мёд 500 г", "Мёд  250 г", context)) == [("spaces", "warning")]


ODD = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list('«»„“”「」『』"()[]{}（）0123456789.,% гмлкаоуңқәі\u200f\u202e\u0301🍯')),
    ),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(source=ODD, target=ODD, locale=st.sampled_from(["zh", "ru", "kk", "en", "uz"]))
def test_checks_never_raise_on_odd_text(source: str, target: str, locale: str) -> None:
    terms = (GlossaryTerm("мёд", "бал"), GlossaryTerm("Алтай", None), GlossaryTerm("蜂蜜", "honey"))
    context = CheckContext("ru", locale, terms, kazakh_dictionary({"қазақ", "бал"}))
    for finding in check_field(source, target, context):
        assert finding.severity in ("error", "warning")
        assert finding.message


def test_very_long_words_are_checked_quickly_and_without_error() -> None:
    word = "казак" * 2000
    context = CheckContext("ru", "kk", kazakh_words=kazakh_dictionary({"қазақ"}))
    assert check_field("9" * 5000, word + " " + "9" * 5000, context) == []
