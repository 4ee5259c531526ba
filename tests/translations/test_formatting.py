"""Money, numbers, dates, relative times and countries per locale."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import Decimal

import pytest

from translations.formatting import ISO_COUNTRY_CODES
from translations.formatting import MoneyError
from translations.formatting import UnknownCountry
from translations.formatting import check_country_code
from translations.formatting import convert_money
from translations.formatting import country_name
from translations.formatting import currency_digits
from translations.formatting import flag_emoji
from translations.formatting import format_date
from translations.formatting import format_datetime
from translations.formatting import format_money
from translations.formatting import format_number
from translations.formatting import format_percent
from translations.formatting import format_relative
from translations.formatting import format_time
from translations.formatting import has_valid_minor_digits
from translations.formatting import is_country_code
from translations.formatting import quantize_money
from translations.locales import UnknownLocale
from translations.timezones import NaiveDatetime
from translations.timezones import UnknownTimeZone

NBSP = "\u00a0"  # Babel's grouping and currency separator in kk and ru
NNBSP = "\u202f"  # narrow no-break space: Babel uses it in dates ("2026 г.") and en times


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        ("1850", "KZT", "kk", f"1{NBSP}850,00{NBSP}₸"),
        ("25", "CNY", "ru", f"25,00{NBSP}CN¥"),
        ("25", "CNY", "zh", "¥25.00"),
        ("25", "CNY", "en", "CN¥25.00"),
        ("1850", "KZT", "ru", f"1{NBSP}850,00{NBSP}KZT"),
        ("1234567.5", "RUB", "ru", f"1{NBSP}234{NBSP}567,50{NBSP}₽"),
        ("1850", "KZT", "kk-Latn", f"1{NBSP}850,00{NBSP}₸"),
        ("25", "CNY", "kk-Latn", f"25,00{NBSP}CN¥"),
        ("1500", "JPY", "en", "¥1,500"),
        ("1.5", "KWD", "en", "KWD1.500"),
        ("125000", "UZS", "uz", f"125{NBSP}000,00{NBSP}soʻm"),
        ("25", "CNY", "uz", f"25,00{NBSP}CN¥"),
    ],
)
def test_money_is_formatted_as_babel_does_for_the_locale(
    amount: str, currency: str, locale: str, expected: str
) -> None:
    assert format_money(Decimal(amount), currency, locale) == expected


def test_money_formatting_rounds_half_up_to_minor_digits() -> None:
    assert format_money(Decimal("0.125"), "CNY", "en") == "CN¥0.13"
    assert format_money(Decimal("0.135"), "CNY", "en") == "CN¥0.14"
    assert format_money(Decimal("2.5"), "JPY", "en") == "¥3"


def test_money_refuses_floats_and_non_numbers() -> None:
    with pytest.raises(MoneyError, match="money must be a Decimal, not float"):
        format_money(25.0, "CNY", "en")  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="finite"):
        format_money(Decimal("NaN"), "CNY", "en")
    with pytest.raises(MoneyError, match="unknown currency 'XYZ'; use an ISO 4217 code"):
        format_money(Decimal(1), "XYZ", "en")
    with pytest.raises(UnknownLocale):
        format_money(Decimal(1), "CNY", "de")


@pytest.mark.parametrize(("currency", "digits"), [("CNY", 2), ("KZT", 2), ("JPY", 0), ("KWD", 3)])
def test_currency_digits_come_from_babel(currency: str, digits: int) -> None:
    assert currency_digits(currency) == digits


def test_quantize_and_minor_digit_validation() -> None:
    assert quantize_money(Decimal("25"), "CNY") == Decimal("25.00")
    assert str(quantize_money(Decimal("25"), "CNY")) == "25.00"
    assert has_valid_minor_digits(Decimal("25.5"), "CNY")
    assert has_valid_minor_digits(Decimal("25.50"), "CNY")
    assert not has_valid_minor_digits(Decimal("25.505"), "CNY")
    assert not has_valid_minor_digits(Decimal("1.5"), "JPY")


def test_conversion_goes_through_cny_with_decimal_rates() -> None:
    rates = {"KZT": Decimal("74"), "RUB": Decimal("12.8"), "USD": Decimal("0.1375")}
    assert convert_money(Decimal("25.00"), "CNY", "KZT", rates) == Decimal("1850.00")
    assert convert_money(Decimal("1850"), "KZT", "CNY", rates) == Decimal("25.00")
    # 100 RUB = 7.8125 CNY = 578.125 KZT → half up → 578.13
    assert convert_money(Decimal("100"), "RUB", "KZT", rates) == Decimal("578.13")
    assert convert_money(Decimal("10"), "USD", "USD", rates) == Decimal("10.00")


def test_conversion_errors_are_clear() -> None:
    with pytest.raises(MoneyError, match="no exchange rate for KZT"):
        convert_money(Decimal(1), "CNY", "KZT", {})
    with pytest.raises(MoneyError, match="exchange rate for KZT must be positive, not 0"):
        convert_money(Decimal(1), "CNY", "KZT", {"KZT": Decimal(0)})
    with pytest.raises(MoneyError, match="not float"):
        convert_money(Decimal(1), "CNY", "KZT", {"KZT": 74.0})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        (Decimal("1234567.891"), "ru", f"1{NBSP}234{NBSP}567,891"),
        (Decimal("1234567.891"), "kk", f"1{NBSP}234{NBSP}567,891"),
        (Decimal("1234567.891"), "en", "1,234,567.891"),
        (1234567, "zh", "1,234,567"),
    ],
)
def test_numbers(value: int | Decimal, locale: str, expected: str) -> None:
    assert format_number(value, locale) == expected


def test_numbers_refuse_float_and_percent_works() -> None:
    with pytest.raises(TypeError, match="not float"):
        format_number(1.5, "en")  # type: ignore[arg-type]
    assert format_percent(Decimal("0.25"), "en") == "25%"
    assert format_percent(Decimal("0.25"), "ru") == f"25{NBSP}%"


SHOW = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "zone", "style", "expected"),
    [
        ("ru", "Asia/Almaty", "long", f"1 декабря 2026{NNBSP}г., 18:00:00 +0500"),
        ("kk", "Asia/Almaty", "long", f"2026{NNBSP}ж. 1 желтоқсан, 18:00:00 +0500"),
        ("kk-Latn", "Asia/Almaty", "long", f"2026{NNBSP}j. 1 jeltoqsan, 18:00:00 +0500"),
        ("zh", "Asia/Shanghai", "medium", "2026年12月1日 21:00:00"),
        ("en", "Europe/Moscow", "medium", f"Dec 1, 2026, 4:00:00{NNBSP}PM"),
        ("ru", "Asia/Urumqi", "short", "01.12.2026, 19:00"),
    ],
)
def test_datetimes_in_zone_and_locale(locale: str, zone: str, style: str, expected: str) -> None:
    assert format_datetime(SHOW, locale, zone, style) == expected  # type: ignore[arg-type]


def test_dates_and_times() -> None:
    assert format_time(SHOW, "ru", "Asia/Tashkent") == "18:00"
    assert format_time(SHOW, "en", "Asia/Bishkek") == f"7:00{NNBSP}PM"
    assert format_date(date(2026, 12, 1), "ru", "long") == f"1 декабря 2026{NNBSP}г."
    late = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)
    assert format_date(late, "en", "medium", zone="Asia/Shanghai") == "Dec 2, 2026"
    with pytest.raises(ValueError, match="needs a time zone"):
        format_date(late, "en")


def test_datetime_errors() -> None:
    with pytest.raises(NaiveDatetime, match="has no UTC offset"):
        format_datetime(datetime(2026, 12, 1, 13), "ru", "Asia/Almaty")
    with pytest.raises(UnknownTimeZone, match="unknown time zone 'Asia/Alma'"):
        format_datetime(SHOW, "ru", "Asia/Alma")


@pytest.mark.parametrize(
    ("locale", "ahead", "behind"),
    [
        ("ru", "через 2 часа", "2 часа назад"),
        ("kk", "2 сағаттан кейін", "2 сағат бұрын"),
        ("zh", "2小时后", "2小时前"),
        ("en", "in 2 hours", "2 hours ago"),
        ("kk-Latn", "2 sağattan keiın", "2 sağat būryn"),
    ],
)
def test_relative_times(locale: str, ahead: str, behind: str) -> None:
    now = SHOW
    assert format_relative(now + timedelta(hours=2), now, locale) == ahead
    assert format_relative(now - timedelta(hours=2), now, locale) == behind


def test_relative_time_needs_aware_datetimes() -> None:
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        format_relative(SHOW, datetime(2026, 12, 1), "ru")


@pytest.mark.parametrize(
    ("code", "locale", "name"),
    [
        ("KZ", "ru", "Казахстан"),
        ("KZ", "kk", "Қазақстан"),
        ("KZ", "kk-Latn", "Qazaqstan"),
        ("LK", "zh", "斯里兰卡"),
        ("FR", "kk", "Франция"),
        ("TH", "en", "Thailand"),
        ("CN", "ru", "Китай"),
    ],
)
def test_country_names(code: str, locale: str, name: str) -> None:
    assert country_name(code, locale) == name


def test_iso_country_codes_are_exactly_the_assigned_ones() -> None:
    assert len(ISO_COUNTRY_CODES) == 249
    for code in ("KZ", "CN", "RU", "LK", "TH", "FR", "AQ", "SS", "BQ"):
        assert is_country_code(code)
    for code in ("EU", "UN", "XK", "ZZ", "QO", "AC", "kz", "KAZ", "", "001", "SU"):
        assert not is_country_code(code)


def test_bad_country_codes_get_a_hint() -> None:
    with pytest.raises(UnknownCountry, match=r"'kz' is not an ISO 3166-1 alpha-2 .*'KZ'"):
        check_country_code("kz")
    with pytest.raises(UnknownCountry, match="'EU' is not"):
        country_name("EU", "en")


def test_flags() -> None:
    assert flag_emoji("KZ") == "🇰🇿"
    assert flag_emoji("CN") == "\U0001f1e8\U0001f1f3"
    with pytest.raises(UnknownCountry):
        flag_emoji("XX")
