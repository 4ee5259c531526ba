"""Locale names, negotiation and fallback chains."""

from __future__ import annotations

import pytest

from translations.formatting import currency_digits
from translations.locales import CONTENT_LOCALES
from translations.locales import DEFAULT_FALLBACK_CHAIN
from translations.locales import REGISTRY
from translations.locales import FallbackChain
from translations.locales import InvalidFallbackChain
from translations.locales import UnknownLocale
from translations.locales import content_locale
from translations.locales import fallback_chain
from translations.locales import language_name
from translations.locales import locale_info
from translations.locales import match_language_tag
from translations.locales import negotiate_locale
from translations.locales import normalize_locale
from translations.locales import parse_accept_language
from translations.locales import parse_locale
from translations.locales import render_text
from translations.locales import switcher_options
from translations.locales import to_latin
from translations.timezones import check_zone_name


def test_switcher_shows_each_locale_in_its_own_language() -> None:
    assert switcher_options() == [
        ("zh", "中文"),
        ("ru", "Русский"),
        ("kk", "Қазақша"),
        ("kk-Latn", "Qazaqşa"),
        ("uz", "Oʻzbekcha"),
        ("en", "English"),
    ]


def test_latin_switcher_label_is_the_transliterated_kazakh_label() -> None:
    assert to_latin("Қазақша") == "Qazaqşa"


@pytest.mark.parametrize(
    ("locale", "in_locale", "expected"),
    [
        ("kk", "ru", "казахский"),
        ("ru", "kk", "орыс тілі"),
        ("en", "zh", "英语"),
        ("zh", "en", "Chinese"),
        ("kk-Latn", "ru", "казахский (латиница)"),
        ("kk-Latn", "en", "Kazakh (Latin)"),
        ("ru", "kk-Latn", "orys tılı"),
        ("ru", "ru", "Русский"),
    ],
)
def test_language_names_in_each_language(locale: str, in_locale: str, expected: str) -> None:
    assert language_name(locale, in_locale) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("kk", "kk"), ("RU", "ru"), ("kk-Latn", "kk-Latn"), ("kk_latn", "kk-Latn"), (" en ", "en")],
)
def test_parse_locale_accepts_supported_spellings(value: str, expected: str) -> None:
    assert parse_locale(value) == expected


@pytest.mark.parametrize("value", ["fr", "ru-RU", "kk-Cyrl", "", "zh-Hans", "x" * 50])
def test_parse_locale_rejects_others_and_lists_allowed_values(value: str) -> None:
    with pytest.raises(UnknownLocale) as raised:
        parse_locale(value)
    assert str(raised.value) == (f"unknown locale {value!r}; use one of: zh, ru, kk, kk-Latn, uz, en")
    assert raised.value.allowed == ("zh", "ru", "kk", "kk-Latn", "uz", "en")


def test_accept_language_is_sorted_by_quality_then_position() -> None:
    header = "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5, ru;q=0.9"
    assert parse_accept_language(header) == [
        ("fr-CH", 1.0),
        ("fr", 0.9),
        ("ru", 0.9),
        ("en", 0.8),
        ("de", 0.7),
        ("*", 0.5),
    ]


def test_accept_language_drops_refused_and_malformed_ranges() -> None:
    header = "ru;q=0, en;q=abc, 12;q=1, kk;q=0.3, zh;q=1.5, ;q=1"
    assert parse_accept_language(header) == [("kk", 0.3)]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("ru-RU", "ru"),
        ("zh-Hans-CN", "zh"),
        ("zh-TW", "zh"),
        ("kk-KZ", "kk"),
        ("kk-Latn-KZ", "kk-Latn"),
        ("EN-gb", "en"),
        ("fr", None),
        ("*", None),
    ],
)
def test_language_tags_map_to_supported_locales(tag: str, expected: str | None) -> None:
    assert match_language_tag(tag) == expected


def test_explicit_locale_wins_over_cookie_and_header() -> None:
    assert negotiate_locale("en", "ru", "kk-KZ") == "en"


def test_invalid_explicit_locale_is_an_error_even_with_a_good_cookie() -> None:
    with pytest.raises(UnknownLocale, match="'fr'"):
        negotiate_locale("fr", "ru", "ru-RU")


def test_saved_choice_wins_over_header() -> None:
    assert negotiate_locale(None, "kk-Latn", "ru-RU,ru;q=0.9") == "kk-Latn"


def test_stale_cookie_is_ignored() -> None:
    assert negotiate_locale(None, "de", "ru-RU,ru;q=0.9") == "ru"


def test_header_picks_best_supported_language() -> None:
    assert negotiate_locale(None, None, "de-DE, fr;q=0.9, kk-KZ;q=0.5, ru;q=0.4") == "kk"
    assert negotiate_locale(None, None, "ru;q=0.5, zh-Hans-CN;q=0.8") == "zh"


def test_unknown_everything_gives_the_default() -> None:
    assert negotiate_locale(None, None, "de, fr") == "zh"
    assert negotiate_locale("", "", "", default="en") == "en"


def test_default_chain_starts_at_the_asked_locale_and_covers_all() -> None:
    assert DEFAULT_FALLBACK_CHAIN == ("kk", "ru", "en", "zh")
    assert fallback_chain("kk").locales == ("kk", "ru", "en", "zh")
    assert fallback_chain("ru").locales == ("ru", "en", "zh", "kk")
    assert fallback_chain("zh").locales == ("zh", "kk", "ru", "en")


def test_per_product_chain() -> None:
    chain = fallback_chain("kk", ["en", "zh"])
    assert chain.locales == ("kk", "en", "zh")
    assert fallback_chain("en", ["ru", "en", "zh"]).locales == ("en", "zh", "ru")


def test_kazakh_latin_uses_kazakh_chain_and_asks_for_rendering() -> None:
    chain = fallback_chain("kk-Latn")
    assert chain == FallbackChain("kk-Latn", ("kk", "ru", "en", "zh"), latin_rendering=True)
    assert not fallback_chain("kk").latin_rendering


def test_pick_names_the_locale_actually_used() -> None:
    chain = fallback_chain("kk")
    assert chain.pick({"zh", "ru"}) == "ru"
    assert chain.pick({"zh"}) == "zh"
    assert chain.pick(set()) is None
    assert chain.fallback_from("ru") == "ru"
    assert chain.fallback_from("kk") is None
    assert fallback_chain("kk-Latn").fallback_from("kk") is None


def test_render_text_transliterates_only_kazakh_text_for_latin_readers() -> None:
    latin = fallback_chain("kk-Latn")
    assert render_text("Қазақстан ұны", latin, "kk") == "Qazaqstan ūny"
    assert render_text("Мука", latin, "ru") == "Мука"
    assert render_text("Қазақстан ұны", fallback_chain("kk"), "kk") == "Қазақстан ұны"


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        ([], "a fallback chain needs at least one locale"),
        (["kk", "fr"], "unknown locale(s) in fallback chain: 'fr'; use content locales"),
        (["kk", "kk-Latn"], "unknown locale(s) in fallback chain: 'kk-Latn'"),
        (["ru", "en", "ru"], "fallback chain repeats ru"),
    ],
)
def test_bad_product_chains_are_refused(chain: list[str], message: str) -> None:
    with pytest.raises(InvalidFallbackChain, match=message.replace("(", r"\(").replace(")", r"\)")):
        fallback_chain("kk", chain)


def test_fallback_chain_refuses_unknown_asked_locale() -> None:
    with pytest.raises(UnknownLocale):
        fallback_chain("de")


def test_uzbek_falls_back_to_russian_then_the_default_ring() -> None:
    assert fallback_chain("uz").locales == ("uz", "ru", "en", "zh", "kk")
    assert fallback_chain("uz", ["en", "ru", "zh"]).locales == ("uz", "ru", "zh", "en")
    assert fallback_chain("uz", ["en", "zh"]).locales == ("uz", "en", "zh")
    assert fallback_chain("uz").pick({"zh", "ru", "en"}) == "ru"


@pytest.mark.parametrize(
    ("header", "expected"),
    [("uz-UZ, ru;q=0.8", "uz"), ("uz-Latn-UZ", "uz"), ("uz-Cyrl", "uz"), ("de, uz;q=0.3, fr;q=0.2", "uz")],
)
def test_uzbek_is_negotiated_from_the_header(header: str, expected: str) -> None:
    assert negotiate_locale(None, None, header) == expected


@pytest.mark.parametrize(
    ("locale", "in_locale", "expected"),
    [("uz", "ru", "узбекский"), ("ru", "uz", "ruscha"), ("uz", "uz", "Oʻzbekcha"), ("uz", "en", "Uzbek")],
)
def test_uzbek_language_names(locale: str, in_locale: str, expected: str) -> None:
    assert language_name(locale, in_locale) == expected


def test_registry_facts_of_uzbek() -> None:
    info = locale_info("UZ")
    assert (info.code, info.content, info.script, info.currency, info.time_zone) == (
        "uz", "uz", "Latn", "UZS", "Asia/Tashkent"
    )  # fmt: skip
    assert (info.falls_back_to, info.analyzer, info.stemmer) == ("ru", "uzbek", "none")
    assert content_locale("kk-Latn") == "kk" and content_locale("uz") == "uz"


@pytest.mark.parametrize("code", list(REGISTRY))
def test_every_registry_entry_is_consistent(code: str) -> None:
    info = REGISTRY[code]
    assert check_zone_name(info.time_zone) == info.time_zone
    assert currency_digits(info.currency) >= 0
    assert info.content in CONTENT_LOCALES
    assert info.falls_back_to is None or info.falls_back_to in CONTENT_LOCALES
    assert normalize_locale(info.code) == code and match_language_tag(info.html_lang) == code
    assert (info.rendering is not None) == info.is_reading
