"""Locales, formatting, time zones and the listing-translation workflow.

Everything here takes and returns plain values: no Flask, no database. The web
layer maps the exceptions to problem responses: :class:`UnknownLocale`,
:class:`UnknownTimeZone`, :class:`MoneyError`, :class:`UnknownCountry`,
:class:`PlaceholderMismatch` and :class:`ExchangeError` (with its
:class:`FileTooLarge` → 413 and :class:`WrongLocale` cases) are the reader's
fault (4xx); their messages are written for people.

Locales (:mod:`translations.locales`)
    ``REGISTRY`` of :class:`LocaleInfo` (every fact of each locale; ``locale_info(code)``,
    ``content_locale(code)``); ``CONTENT_LOCALES`` (zh, ru, kk, uz, en); ``READING_LOCALES``
    adds ``kk-Latn``, Kazakh shown in the 2021 Latin alphabet by transliteration.
    ``negotiate_locale(explicit, saved, accept_language, default="zh") -> str``;
    ``parse_locale(value) -> str`` (raises :class:`UnknownLocale`);
    ``fallback_chain(asked, product_chain=None) -> FallbackChain`` with
    ``.locales``, ``.pick(available)``, ``.fallback_from(used)`` and
    ``.latin_rendering``;
    ``render_text(text, chain, used_locale) -> str``;
    ``language_name(locale, in_locale)``; ``switcher_options()``.

Formatting (:mod:`translations.formatting`)
    ``format_money(amount: Decimal, currency, locale)``,
    ``convert_money(amount, from_currency, to_currency, per_cny) -> Decimal``,
    ``quantize_money``, ``currency_digits``, ``has_valid_minor_digits``,
    ``format_number``, ``format_datetime(moment, locale, zone, style)``,
    ``format_date``, ``format_time``, ``format_relative(moment, now, locale)``,
    ``country_name(code, locale)``, ``is_country_code(code)``, ``flag_emoji(code)``.

Time (:mod:`translations.timezones`, :mod:`translations.ics`)
    ``check_zone_name(name)``, ``load_zone(name)`` (always from ``tzdata``),
    ``to_zone(moment, zone)``, ``to_utc(moment)``, ``local_to_utc(local, zone)``;
    ``render_ics(events, generated_at)`` with :class:`CalendarEvent`.

Workflow (:mod:`translations.workflow`, :mod:`translations.checks`, :mod:`translations.diff`)
    ``ListingText``; ``source_hashes(source)``, ``field_source_hash(value)``;
    ``listing_status(source, translation, recorded_hashes, reviewed) -> ListingStatus``;
    ``STATE_PRIORITY`` for the queue order; ``word_diff(old, new)``, ``diff_html(segments)``;
    ``listing_errors(name, description, highlights, source) -> list[FieldError]``;
    ``check_placeholders(source, target)``; ``check_glossary(source, target, terms)``.

Quality checks (:mod:`translations.quality`, ``quality_numbers``, ``quality_scripts``, ``quality_glossary``)
    ``check_field(source, target, CheckContext(...)) -> list[Finding]``: amounts and units,
    placeholders, brackets, quotes per locale, spaces, mixed scripts, Kazakh look-alike
    letters and glossary terms by stem, each :class:`Finding` with a severity.

Exchange (:mod:`translations.exchange`, ``exchange_po``, ``exchange_xliff``)
    ``listing_export_entries(sku, source, translation, recorded_hashes, reviewed)``;
    ``export_po(locale, entries)`` / ``export_xliff(locale, entries)`` → bytes;
    ``import_po(data, locale, current_sources)`` / ``import_xliff(...)`` →
    :class:`ImportPlan` (``entries``, ``errors``, ``untranslated``,
    ``listing_updates(current_sources)``); apply it only when ``plan.ok``.

UI catalogs (:mod:`translations.catalog_check`)
    ``check_catalog(path, locale) -> CatalogReport``; ``assert_catalog_complete(path)``.
"""

from __future__ import annotations

from translations.checks import FieldError as FieldError
from translations.checks import GlossaryTerm as GlossaryTerm
from translations.checks import GlossaryWarning as GlossaryWarning
from translations.checks import PlaceholderMismatch as PlaceholderMismatch
from translations.checks import check_glossary as check_glossary
from translations.checks import check_placeholders as check_placeholders
from translations.checks import listing_errors as listing_errors
from translations.diff import diff_html as diff_html
from translations.diff import word_diff as word_diff
from translations.exchange import MAX_IMPORT_BYTES as MAX_IMPORT_BYTES
from translations.exchange import ExchangeError as ExchangeError
from translations.exchange import ExchangeProblem as ExchangeProblem
from translations.exchange import ExportEntry as ExportEntry
from translations.exchange import FileTooLarge as FileTooLarge
from translations.exchange import ImportEntry as ImportEntry
from translations.exchange import ImportPlan as ImportPlan
from translations.exchange import WrongLocale as WrongLocale
from translations.exchange import listing_export_entries as listing_export_entries
from translations.exchange_po import export_po as export_po
from translations.exchange_po import import_po as import_po
from translations.exchange_xliff import export_xliff as export_xliff
from translations.exchange_xliff import import_xliff as import_xliff
from translations.formatting import MoneyError as MoneyError
from translations.formatting import UnknownCountry as UnknownCountry
from translations.formatting import check_country_code as check_country_code
from translations.formatting import convert_money as convert_money
from translations.formatting import country_name as country_name
from translations.formatting import currency_digits as currency_digits
from translations.formatting import flag_emoji as flag_emoji
from translations.formatting import format_date as format_date
from translations.formatting import format_datetime as format_datetime
from translations.formatting import format_money as format_money
from translations.formatting import format_number as format_number
from translations.formatting import format_relative as format_relative
from translations.formatting import format_time as format_time
from translations.formatting import has_valid_minor_digits as has_valid_minor_digits
from translations.formatting import is_country_code as is_country_code
from translations.formatting import quantize_money as quantize_money
from translations.ics import CalendarEvent as CalendarEvent
from translations.ics import render_ics as render_ics
from translations.locales import CONTENT_LOCALES as CONTENT_LOCALES
from translations.locales import DEFAULT_FALLBACK_CHAIN as DEFAULT_FALLBACK_CHAIN
from translations.locales import DEFAULT_LOCALE as DEFAULT_LOCALE
from translations.locales import KAZAKH_LATIN as KAZAKH_LATIN
from translations.locales import READING_LOCALES as READING_LOCALES
from translations.locales import REGISTRY as REGISTRY
from translations.locales import FallbackChain as FallbackChain
from translations.locales import InvalidFallbackChain as InvalidFallbackChain
from translations.locales import LocaleInfo as LocaleInfo
from translations.locales import UnknownLocale as UnknownLocale
from translations.locales import content_locale as content_locale
from translations.locales import fallback_chain as fallback_chain
from translations.locales import language_name as language_name
from translations.locales import locale_info as locale_info
from translations.locales import negotiate_locale as negotiate_locale
from translations.locales import parse_locale as parse_locale
from translations.locales import render_text as render_text
from translations.locales import switcher_options as switcher_options
from translations.quality import CheckContext as CheckContext
from translations.quality import Finding as Finding
from translations.quality import check_field as check_field
from translations.timezones import UnknownTimeZone as UnknownTimeZone
from translations.timezones import check_zone_name as check_zone_name
from translations.timezones import load_zone as load_zone
from translations.timezones import to_utc as to_utc
from translations.timezones import to_zone as to_zone
from translations.workflow import STATE_PRIORITY as STATE_PRIORITY
from translations.workflow import ListingStatus as ListingStatus
from translations.workflow import ListingText as ListingText
from translations.workflow import TranslationState as TranslationState
from translations.workflow import listing_status as listing_status
from translations.workflow import source_hashes as source_hashes
