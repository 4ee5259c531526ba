"""Index settings, mappings and document sources for Elasticsearch and OpenSearch.

Pure functions from our value objects to the engines' JSON; both engines take the same
bodies. Text is indexed per content locale with the analyzer the locale registry names: the
engines' own (``cjk`` bigrams for Chinese, ``russian``, ``english``), a Kazakh analyzer that
folds Cyrillic, the 2021 Latin letters and their diacritic-free spellings together, and an
Uzbek one that drops every apostrophe spelling (``oʻ``, ``o'``, ``o‘``, ``o’``, ``o```) and
reads Uzbek Cyrillic in the Latin alphabet. What the engines cannot do
(our script-neutral transliteration keys) is computed by :mod:`search.analysis` at index
time and stored in ``keys_*`` fields. Queries live in :mod:`search.dsl_query`.

Each text group is indexed per locale (stems, highlights) and once more in a ``<group>_exact``
field that holds its exact words in every locale; :data:`EVERY_GROUP` repeats every group's
text in one set of fields for the cheap first pass of a search. Only what hits show or
highlight stays in ``_source``.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from search.analysis import APOSTROPHES
from search.analysis import field_keys
from search.documents import LOCALES
from search.documents import SearchDocument
from search.documents import category_ancestors
from search.names import document_names
from search.query_rules import DERIVED_FROM
from search.transliterate import KAZAKH_CYRILLIC_TO_LATIN
from translations.locales import REGISTRY
from translations.scripts import UZBEK_CYRILLIC_TO_LATIN

#: Text groups of a product, each indexed per locale, with their ranking weight.
GROUPS: dict[str, float] = {"name": 3.0, "highlights": 2.0, "description": 1.0}
#: Text groups a search marks in its own request: a hit shows a marked name or highlight when it
#: has one. Their fields keep each word's offsets, so that the highlighter reads where the words
#: are from the index instead of analysing every hit's texts again.
FIRST_MARKED_GROUPS: tuple[str, ...] = ("name", "highlights")
#: The names a product is also found by (see :mod:`search.names`), indexed per locale like
#: a text group, ranked with the name and never shown in highlights.
LABELS = "labels"
#: The fields that hold every group's text at once (``all_ru``, ``all_exact``, ``keys_all``...):
#: the first pass of a search matches and scores there, the ranking looks at each group.
EVERY_GROUP = "all"
#: Indexed once per locale and group, but never shown: left out of ``_source``.
UNSHOWN_SOURCE = ["keys_*", f"{LABELS}_*", "suggest", "sku_key", "barcode_key", "category_path"]
#: The analyzer of each locale's text fields (from the locale registry).
LOCALE_ANALYZERS: dict[str, str] = {locale: REGISTRY[locale].analyzer for locale in LOCALES}
#: Analyzers whose main field holds the exact forms of its locale (Cyrillic and Latin Kazakh
#: folded together, Uzbek without apostrophes); other locales' exact forms go to ``<group>_exact``.
FOLDING_ANALYZERS: frozenset[str] = frozenset({"kazakh", "uzbek"})
#: Analyzers whose own field is the exact form (Uzbek drops apostrophes as the query's words do):
#: their text is not copied to ``<group>_exact``.
OWN_EXACT_ANALYZERS: frozenset[str] = frozenset({"uzbek"})
#: Leading characters indexed on their own in the fields type-ahead completes (``index_prefixes``).
PREFIX_CHARS = (1, 5)
#: Locales whose name words are also found by a stem they begin with (``облепих`` finds
#: ``облепиховый``, see :data:`search.query_rules.DERIVED_FROM`).
DERIVED_LOCALES = ("ru", "en", "uz")
#: Leading characters of those name words indexed on their own, so that such a stem is one
#: term to look up instead of every term it begins (the engines allow at most 19).
DERIVED_PREFIX_CHARS = (DERIVED_FROM, 19)
#: Letters the Kazakh analyzer folds beyond the Cyrillic table: 2021 Latin with diacritics.
_LATIN_FOLDS: dict[str, str] = {"ı": "i", "ş": "sh", "ç": "ch", "q": "k", "ñ": "n", "ğ": "g"}
#: Longest text kept in one completion input (the engines cap it too).
SUGGEST_INPUT_CHARS = 100
#: Highest completion weight: the engines take a 32-bit integer.
MAX_SUGGEST_WEIGHT = 2**31 - 1


def field_name(group: str, locale: str) -> str:
    """The indexed field of one text group in one locale, e.g. ``name_ru``."""
    return f"{group}_{locale}"


def keys_field(group: str) -> str:
    """The field holding the transliteration keys of one text group."""
    return f"keys_{group}"


def exact_field(group: str) -> str:
    """The field holding one text group's exact words in every locale but the folding ones."""
    return f"{group}_exact"


def exact_fields(group: str) -> list[str]:
    """Every field an exact form of a word is looked up in, for one text group."""
    return list(_exact_fields(group))


@functools.cache
def _exact_fields(group: str) -> tuple[str, ...]:
    folding = [field_name(group, loc) for loc in LOCALES if LOCALE_ANALYZERS[loc] in FOLDING_ANALYZERS]
    return (exact_field(group), *folding)


def _copied_to_exact(locale: str) -> bool:
    return LOCALE_ANALYZERS[locale] not in OWN_EXACT_ANALYZERS and locale not in cjk_locales()


def _fold_latin(text: str) -> str:
    """Diacritic-free ASCII form of a 2021 Kazakh Latin spelling."""
    out = []
    for char in text:
        char = _LATIN_FOLDS.get(char, char)
        decomposed = unicodedata.normalize("NFKD", char)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def kazakh_fold_mappings() -> list[str]:
    """``mapping`` char filter rules folding Kazakh Cyrillic and 2021 Latin to plain Latin.

    ``Қазақстан``, ``Qazaqstan`` and ``Kazakstan`` all become ``kazakstan`` (after the
    analyzer's ``lowercase``): every Cyrillic letter goes to its 2021 Latin spelling without
    diacritics, every Latin letter with a diacritic to its plain form. Upper and lower case
    are both listed because char filters run before ``lowercase``.
    """
    rules: dict[str, str] = {}
    for cyrillic, latin in KAZAKH_CYRILLIC_TO_LATIN.items():
        plain = _fold_latin(latin)
        rules[cyrillic] = plain
        rules[cyrillic.upper()] = plain
        for letter in latin:
            if letter != _fold_latin(letter):
                rules[letter] = _fold_latin(letter)
                if not letter.upper().isascii():
                    rules[letter.upper()] = _fold_latin(letter)
    for letter, plain in _LATIN_FOLDS.items():
        rules.setdefault(letter, plain)
        if letter == "q" or not letter.upper().isascii():
            rules.setdefault(letter.upper(), plain)
    rules["İ"] = "i"
    return [f"{source} => {target}" for source, target in sorted(rules.items()) if source != target]


def apostrophe_fold_mappings() -> list[str]:
    """``mapping`` char filter rules dropping every apostrophe a word may hold (``oʻzbek`` → ``ozbek``)."""
    return [f"\\u{ord(char):04x} => " for char in APOSTROPHES]


def uzbek_fold_mappings() -> list[str]:
    """``mapping`` char filter rules writing Uzbek Cyrillic in the Latin alphabet, apostrophes dropped.

    ``Ўзбек`` becomes ``ozbek`` (after ``lowercase``), as ``Oʻzbek`` does once its apostrophe is
    dropped by :func:`apostrophe_fold_mappings`.
    """
    rules: dict[str, str] = {}
    for cyrillic, latin in UZBEK_CYRILLIC_TO_LATIN.items():
        plain = "".join(char for char in latin if char not in APOSTROPHES)
        rules[cyrillic] = plain
        rules[cyrillic.upper()] = plain
    return [f"{source} => {target}" for source, target in sorted(rules.items())]


def index_settings(*, shards: int = 1, replicas: int = 0, refresh_interval: str = "1s") -> dict[str, Any]:
    """Settings of a products index: shards, replicas, refresh and our analyzers."""
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "refresh_interval": refresh_interval,
        "max_result_window": 10_000,
        "analysis": {
            "char_filter": {
                "kazakh_fold": {"type": "mapping", "mappings": kazakh_fold_mappings()},
                "apostrophe_fold": {"type": "mapping", "mappings": apostrophe_fold_mappings()},
                "uzbek_fold": {"type": "mapping", "mappings": uzbek_fold_mappings()},
            },
            "normalizer": {
                "code": {"type": "custom", "filter": ["lowercase"]},
            },
            "analyzer": {
                "kazakh": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "char_filter": ["kazakh_fold"],
                    "filter": ["lowercase"],
                },
                "uzbek": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "char_filter": ["apostrophe_fold", "uzbek_fold"],
                    "filter": ["lowercase"],
                },
                "folded": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "char_filter": ["kazakh_fold", "apostrophe_fold"],
                    "filter": ["lowercase", "asciifolding"],
                },
                "keys": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
            },
        },
    }


def cjk_locales() -> tuple[str, ...]:
    """Content locales whose text is cut into bigrams (their fields get a ``.chars`` subfield)."""
    return tuple(locale for locale in LOCALES if LOCALE_ANALYZERS[locale] == "cjk")


def _text_field(group: str, locale: str) -> dict[str, Any]:
    """One group's text in one locale: its analyzer, copied to the exact and every-group fields.

    The per-group fields only match (constant scores) and highlight: no norms, and no frequencies
    but the offsets of :data:`FIRST_MARKED_GROUPS`. The every-group fields are scored by BM25 and
    keep frequencies.
    """
    analyzer = LOCALE_ANALYZERS[locale]
    every = group == EVERY_GROUP
    field: dict[str, Any] = {"type": "text", "analyzer": analyzer}
    if not every:
        field.update({"norms": False, "index_options": "offsets" if group in FIRST_MARKED_GROUPS else "docs"})
        copies = [field_name(EVERY_GROUP, locale)]
        if _copied_to_exact(locale):
            copies[:0] = [exact_field(group), exact_field(EVERY_GROUP)]
        field["copy_to"] = copies
    else:
        field["index_options"] = "freqs"
    if analyzer == "cjk":
        # the standard tokenizer emits Chinese characters one by one: single-character queries
        field["fields"] = {"chars": {"type": "text", "analyzer": "standard", "index_options": "docs"}}
    else:
        prefixes = _prefix_chars(group, locale)
        if prefixes is not None:
            field["index_prefixes"] = _index_prefixes(prefixes)
    return field


def _index_prefixes(chars: tuple[int, int]) -> dict[str, int]:
    """The ``index_prefixes`` setting of a field indexing its words' starts of *chars* letters."""
    return {"min_chars": chars[0], "max_chars": chars[1]}


def _prefix_chars(group: str, locale: str) -> tuple[int, int] | None:
    """The word starts one group's field in one locale indexes: for type-ahead, for stems, or both."""
    type_ahead = group == "name" and LOCALE_ANALYZERS[locale] in FOLDING_ANALYZERS
    derived = group in ("name", LABELS) and locale in DERIVED_LOCALES
    if derived:
        return (PREFIX_CHARS[0] if type_ahead else DERIVED_PREFIX_CHARS[0], DERIVED_PREFIX_CHARS[1])
    return PREFIX_CHARS if type_ahead else None


def _exact_group_field(group: str) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "text", "analyzer": "standard"}
    if group == EVERY_GROUP:
        field["index_options"] = "freqs"
    else:
        # the names' words keep their positions: type-ahead completes words in a row within one name
        field.update({"norms": False, "index_options": "positions" if group == "name" else "docs"})
    if group == "name":
        field["index_prefixes"] = _index_prefixes(PREFIX_CHARS)
    return field


def _keys_field(group: str) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "text", "analyzer": "keys", "norms": False}
    if group == EVERY_GROUP:
        return {**field, "index_options": "freqs"}
    field.update({"index_options": "docs", "copy_to": [keys_field(EVERY_GROUP)]})
    if group == "name":
        field["index_prefixes"] = _index_prefixes(PREFIX_CHARS)
    return field


def index_mappings() -> dict[str, Any]:
    """Mappings of a products index (``dynamic: strict``: a stray field is an error)."""
    keyword = {"type": "keyword"}
    facet = {"type": "keyword", "eager_global_ordinals": True}
    properties: dict[str, Any] = {
        "id": {"type": "long"},
        "version": {"type": "long"},
        "sku": keyword,
        "sku_key": {"type": "keyword", "normalizer": "code"},
        "barcode_key": {"type": "keyword", "normalizer": "code"},
        "origin_country": facet,
        "category": facet,
        "category_path": keyword,
        "booth": facet,
        "brand": keyword,
        "tags": keyword,
        "price": {"type": "keyword", "index": False},
        "currency": keyword,
        "price_cny": {"type": "double"},
        "created_at": {"type": "date"},
        "popularity": {"type": "float"},
        "thumbnail": {"type": "keyword", "index": False},
        "tax_refund_periods": {"type": "date_range", "format": "strict_date"},
        "suggest": {
            "type": "completion",
            "analyzer": "folded",
            "search_analyzer": "folded",
            "preserve_separators": True,
            "preserve_position_increments": True,
            "max_input_length": SUGGEST_INPUT_CHARS,
        },
    }
    for group in (*GROUPS, LABELS, EVERY_GROUP):
        properties[keys_field(group)] = _keys_field(group)
        properties[exact_field(group)] = _exact_group_field(group)
        for locale in LOCALES:
            properties[field_name(group, locale)] = _text_field(group, locale)
    return {"dynamic": "strict", "_source": {"excludes": UNSHOWN_SOURCE}, "properties": properties}


def index_body(*, shards: int = 1, replicas: int = 0, refresh_interval: str = "1s") -> dict[str, Any]:
    """The body of a create-index request."""
    return {
        "settings": index_settings(shards=shards, replicas=replicas, refresh_interval=refresh_interval),
        "mappings": index_mappings(),
    }


def sku_key(value: str | None) -> str | None:
    """Comparable form of a SKU or barcode: no spaces, uppercase."""
    if value is None:
        return None
    key = "".join(value.split()).upper()
    return key or None


def _group_texts(doc: SearchDocument, group: str, locale: str) -> str:
    text = doc.texts.get(locale)
    if text is None:
        return ""
    if group == "name":
        return text.name
    if group == "highlights":
        return "\n".join(text.highlights)
    return text.description


def _group_text(doc: SearchDocument, group: str, locale: str) -> str:
    """The text one field gets; the brand and tags ride along with the English description."""
    text = _group_texts(doc, group, locale)
    if group == "description" and locale == "en":
        text = " ".join(filter(None, [text, doc.brand or "", *doc.tags]))
    return text


def _keys(doc: SearchDocument, group: str) -> str:
    keys: dict[str, None] = {}
    for locale in LOCALES:
        source = _group_text(doc, group, locale)
        if source:
            keys.update(dict.fromkeys(field_keys(source, locale)))
    return " ".join(keys)


def suggest_inputs(doc: SearchDocument) -> list[dict[str, Any]]:
    """Completion inputs: every name whole, weighted by popularity.

    Names whose later words continue the typed text are found by the suggest query, on the
    word positions of the name fields (:func:`search.dsl_query.suggest_body`): an input from
    every later word start as well made the completion a third of the index and of a rebuild.
    """
    names: dict[str, None] = {}
    for locale in LOCALES:
        text = doc.texts.get(locale)
        name = text.name.strip() if text else ""
        if name:
            names[name[:SUGGEST_INPUT_CHARS]] = None
    return [{"input": list(names), "weight": max(0, min(int(doc.popularity), MAX_SUGGEST_WEIGHT))}]


def document_source(doc: SearchDocument) -> dict[str, Any]:
    """The indexed JSON of one product."""
    source: dict[str, Any] = {
        "id": doc.id,
        "version": doc.version,
        "sku": doc.sku,
        "sku_key": sku_key(doc.sku),
        "barcode_key": sku_key(doc.barcode),
        "origin_country": doc.origin_country.upper(),
        "category": doc.category,
        "category_path": list(category_ancestors(doc.category)),
        "booth": doc.booth,
        "brand": doc.brand,
        "tags": list(doc.tags),
        "price": str(doc.price),
        "currency": doc.currency,
        "price_cny": float(doc.price_cny),
        "created_at": doc.created_at.isoformat(),
        "popularity": float(doc.popularity),
        "thumbnail": doc.thumbnail,
        "tax_refund_periods": [
            {"gte": start.isoformat(), **({"lt": end.isoformat()} if end else {})}
            for start, end in doc.tax_refund_periods
        ],
        "suggest": suggest_inputs(doc),
    }
    for group in GROUPS:
        source[keys_field(group)] = _keys(doc, group)
        for locale in LOCALES:
            text = _group_text(doc, group, locale)
            if text:
                source[field_name(group, locale)] = text
    source.update(_label_fields(doc))
    return source


def _label_fields(doc: SearchDocument) -> dict[str, str]:
    """The labels group of *doc*: its other names per locale and their transliteration keys."""
    fields: dict[str, str] = {}
    keys: dict[str, None] = {}
    for locale, text in document_names(doc).items():
        fields[field_name(LABELS, locale)] = text
        keys.update(dict.fromkeys(field_keys(text, locale)))
    fields[keys_field(LABELS)] = " ".join(keys)
    return fields
