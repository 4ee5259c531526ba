"""The names a product is found by besides its own text, per content locale.

Every engine indexes them and ranks them with the product's name: the origin country's CLDR name in every
locale (through Babel) with the adjectives readers type, the category's and booth's names
(:attr:`SearchDocument.labels`) with everyday category words, and the brand in both scripts.
So "грузинское вино", "韩国化妆品", "напитки" or "Алатау"/"Alatau" find their products even
when the listing's own text never says so.
"""

from __future__ import annotations

import functools

from babel import Locale
from babel import UnknownLocaleError

from search.analysis import is_cyrillic
from search.documents import LOCALES
from search.documents import SearchDocument
from search.documents import category_ancestors
from search.place_words import CATEGORY_WORDS
from search.place_words import COUNTRY_WORDS
from search.transliterate import latin_to_russian
from search.transliterate import russian_to_latin

#: CLDR locales whose country names are indexed; one that is not a content locale yet is
#: indexed with the English text (both are written in Latin letters).
NAME_LOCALES: tuple[str, ...] = ("zh", "ru", "kk", "en", "uz")


def text_locale(locale: str) -> str:
    """The content locale whose fields carry names written in *locale*."""
    return locale if locale in LOCALES else "en"


@functools.lru_cache(maxsize=1024)
def country_names(code: str) -> dict[str, str]:
    """The CLDR name of country *code* and the words readers use for it, per content locale."""
    names: dict[str, list[str]] = {}
    for locale in NAME_LOCALES:
        try:
            name = Locale.parse(locale).territories.get(code.upper())
        except (UnknownLocaleError, ValueError):
            name = None
        if name:
            names.setdefault(text_locale(locale), []).append(name)
    for locale, words in COUNTRY_WORDS.get(code.upper(), {}).items():
        names.setdefault(text_locale(locale), []).append(words)
    return {locale: " ".join(parts) for locale, parts in names.items()}


def brand_spellings(brand: str | None) -> dict[str, str]:
    """The brand in the other script: Cyrillic brands in Latin letters, Latin ones in Cyrillic."""
    if not brand or not brand.strip():
        return {}
    if is_cyrillic(brand):
        return {"en": russian_to_latin(brand)}
    return {"ru": latin_to_russian(brand.lower())}


def document_names(doc: SearchDocument) -> dict[str, str]:
    """Per content locale, the names *doc* is also found by (country, category, booth, brand)."""
    parts: dict[str, list[str]] = {}

    def add(locale: str, text: str) -> None:
        if text.strip():
            parts.setdefault(text_locale(locale), []).append(text)

    for locale, text in country_names(doc.origin_country).items():
        add(locale, text)
    for locale, labels in doc.labels.items():
        for label in labels:
            add(locale, label)
    for path in category_ancestors(doc.category):
        for locale, words in CATEGORY_WORDS.get(path, {}).items():
            add(locale, words)
    for locale, spelling in brand_spellings(doc.brand).items():
        add(locale, spelling)
    return {locale: "\n".join(dict.fromkeys(texts)) for locale, texts in parts.items()}
