"""Property tests: money keeps every digit, exchange files carry any text, diffs and folds lose nothing."""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise

from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from translations.diff import word_diff
from translations.exchange import ExportEntry
from translations.exchange_po import export_po
from translations.exchange_po import import_po
from translations.exchange_xliff import export_xliff
from translations.exchange_xliff import import_xliff
from translations.formatting import convert_money
from translations.formatting import currency_digits
from translations.formatting import format_money
from translations.ics import fold_line
from translations.locales import READING_LOCALES
from translations.locales import negotiate_locale
from translations.workflow import ListingText

SKU = "KZ-FLOUR-001"
CURRENCIES = st.sampled_from(["CNY", "KZT", "RUB", "USD", "JPY", "KWD", "UZS", "KGS"])
LOCALES = st.sampled_from(["zh", "ru", "kk", "en", "kk-Latn", "uz"])
NUMBER = re.compile(r"[\d\s,.\u00a0\u202f]*\d")


@st.composite
def money(draw: st.DrawFn) -> tuple[Decimal, str]:
    currency = draw(CURRENCIES)
    minor_units = draw(st.integers(min_value=0, max_value=10**17))
    return Decimal(minor_units).scaleb(-currency_digits(currency)), currency


@settings(max_examples=300)
@given(money(), LOCALES)
def test_formatted_money_reads_back_to_the_same_amount(value: tuple[Decimal, str], locale: str) -> None:
    amount, currency = value
    text = format_money(amount, currency, locale)
    match = NUMBER.search(text)
    assert match is not None, text
    babel_locale = "kk" if locale == "kk-Latn" else locale
    assert parse_decimal(match.group(0), locale=babel_locale, strict=True) == amount


@settings(max_examples=300)
@given(
    st.integers(min_value=1, max_value=10**16),
    st.integers(min_value=1, max_value=10**4),
    st.sampled_from(["KZT", "RUB", "USD"]),
)
def test_conversion_with_whole_rates_is_exact(cents: int, rate: int, currency: str) -> None:
    amount = Decimal(cents).scaleb(-2)
    converted = convert_money(amount, "CNY", currency, {currency: Decimal(rate)})
    assert converted == amount * rate
    assert converted.as_tuple().exponent == -2


@settings(max_examples=300)
@given(
    st.integers(min_value=1, max_value=10**15),
    st.decimals(min_value=Decimal("1"), max_value=Decimal("100000"), places=4),
)
def test_conversion_there_and_back_is_within_one_minor_unit(cents: int, rate: Decimal) -> None:
    amount = Decimal(cents).scaleb(-2)
    there = convert_money(amount, "CNY", "KZT", {"KZT": rate})
    back = convert_money(there, "KZT", "CNY", {"KZT": rate})
    assert abs(back - amount) <= Decimal("0.01")
    assert isinstance(back, Decimal)


# Any text a UTF-8 file can hold (no lone surrogates), within the name limit.
ANY_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=200)
# What XML 1.0 can carry.
XML_TEXT = st.text(
    st.characters(
        blacklist_categories=["Cs"],
        blacklist_characters=[chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"],
    ),
    min_size=1,
    max_size=200,
)
# Text without placeholder or markup characters, so source and translation may differ freely.
PLAIN_TEXT = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="{}%<>"),
    min_size=1,
    max_size=200,
)


def entries(source: str, target: str) -> list[ExportEntry]:
    return [ExportEntry(SKU, "name", source, target, "draft")]


@settings(max_examples=200)
@given(ANY_TEXT)
def test_po_round_trip_keeps_any_text(text: str) -> None:
    plan = import_po(export_po("ru", entries(text, text)), "ru", {SKU: ListingText(text)})
    assert plan.ok, plan.errors
    assert [(e.text, e.source_in_file, e.stale) for e in plan.entries] == [(text, text, False)]


@settings(max_examples=200)
@given(PLAIN_TEXT, PLAIN_TEXT)
def test_po_round_trip_with_different_source_and_translation(source: str, target: str) -> None:
    plan = import_po(export_po("kk", entries(source, target)), "kk", {SKU: ListingText(source)})
    assert plan.ok, plan.errors
    assert [e.text for e in plan.entries] == [target]


@settings(max_examples=200)
@given(XML_TEXT)
def test_xliff_round_trip_keeps_any_xml_text(text: str) -> None:
    plan = import_xliff(export_xliff("en", entries(text, text)), "en", {SKU: ListingText(text)})
    assert plan.ok, plan.errors
    assert [(e.text, e.source_in_file, e.stale) for e in plan.entries] == [(text, text, False)]


@settings(max_examples=300)
@given(st.text(max_size=80), st.text(max_size=80))
def test_word_diff_reconstructs_both_texts(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert "".join(text for op, text in segments if op != "insert") == old
    assert "".join(text for op, text in segments if op != "delete") == new
    assert all(text for _, text in segments)
    assert all(a[0] != b[0] for a, b in pairwise(segments))


@settings(max_examples=300)
@given(st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=400))
def test_ics_folding_loses_nothing_and_respects_75_octets(value: str) -> None:
    folded = fold_line("DESCRIPTION:" + value)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + value


@given(st.text(max_size=200), st.one_of(st.none(), st.text(max_size=20)))
def test_negotiation_always_lands_on_a_supported_locale(header: str, saved: str | None) -> None:
    assert negotiate_locale(None, saved, header) in READING_LOCALES
