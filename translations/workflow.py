"""Listing-translation states: source hashes and missing / draft / reviewed / stale.

A translation records the hash of the source text it was made from. When the
source changes, the hashes differ and the translation is ``stale`` until a
translator updates it. Hashes are per field: ``name``, ``description`` and
``highlights`` (the whole list), so editing the description does not make a
good name translation stale.
"""

from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

TranslationState = Literal["missing", "stale", "draft", "reviewed"]

#: Translatable fields of a listing.
FIELDS: tuple[str, ...] = ("name", "description", "highlights")
#: Queue order: what needs work first (stale, then missing) gets the lowest number.
STATE_PRIORITY: dict[str, int] = {"stale": 0, "missing": 1, "draft": 2, "reviewed": 3}


@dataclass(frozen=True)
class ListingText:
    """A listing's translatable text in one locale."""

    name: str
    description: str = ""
    highlights: tuple[str, ...] = ()

    def field_value(self, field: str) -> str | tuple[str, ...]:
        """Return the value of *field* (``name``, ``description`` or ``highlights``)."""
        if field not in FIELDS:
            raise ValueError(f"unknown field {field!r}; use one of: {', '.join(FIELDS)}")
        value: str | tuple[str, ...] = getattr(self, field)
        return value


@dataclass(frozen=True)
class ListingStatus:
    """The state of one product's listing in one locale, overall and per field.

    A field whose source is empty has nothing to translate and is left out of *fields*.
    """

    state: TranslationState
    fields: dict[str, TranslationState]


@functools.lru_cache(maxsize=4096)
def text_hash(text: str) -> str:
    """Return a stable 16-hex-digit hash of *text* (NFC-normalized, SHA-256); recent ones are remembered."""
    normalized = unicodedata.normalize("NFC", text)
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def field_source_hash(value: str | Sequence[str]) -> str:
    """Hash a field's source value; a list (highlights) is hashed as a whole."""
    if isinstance(value, str):
        return text_hash(value)
    return _items_hash(tuple(value))


@functools.lru_cache(maxsize=4096)
def _items_hash(items: tuple[str, ...]) -> str:
    """The hash of a list of strings, as its compact JSON (a source's, asked for per translation)."""
    return text_hash(json.dumps(list(items), ensure_ascii=False, separators=(",", ":")))


def source_hashes(source: ListingText) -> dict[str, str]:
    """Return the hash of each field of the source listing."""
    return {field: field_source_hash(source.field_value(field)) for field in FIELDS}


def _is_empty(value: str | Sequence[str]) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return not any(item.strip() for item in value)


def field_state(
    source_value: str | Sequence[str],
    translated_value: str | Sequence[str] | None,
    recorded_source_hash: str | None,
    reviewed: bool,
) -> TranslationState | None:
    """Return the state of one translated field, or ``None`` if the source is empty.

    ``missing`` when there is no translated text, ``stale`` when the recorded
    source hash is not the current one (or was never recorded), otherwise
    ``reviewed`` or ``draft`` after *reviewed*.
    """
    if _is_empty(source_value):
        return None
    if translated_value is None or _is_empty(translated_value):
        return "missing"
    if recorded_source_hash != field_source_hash(source_value):
        return "stale"
    return "reviewed" if reviewed else "draft"


def overall_state(states: Sequence[TranslationState]) -> TranslationState:
    """Combine field states: the most urgent wins (stale, missing, draft, reviewed)."""
    if not states:
        return "reviewed"
    return min(states, key=lambda state: STATE_PRIORITY[state])


def listing_status(
    source: ListingText,
    translation: ListingText | None,
    recorded_hashes: Mapping[str, str],
    reviewed: bool = False,
) -> ListingStatus:
    """Compute the state of a listing translation, per field and overall.

    :param recorded_hashes: field → source hash stored with the translation.
    :param reviewed: whether a reviewer approved the translation as it stands.
    """
    fields: dict[str, TranslationState] = {}
    for field in FIELDS:
        state = field_state(
            source.field_value(field),
            None if translation is None else translation.field_value(field),
            recorded_hashes.get(field),
            reviewed,
        )
        if state is not None:
            fields[field] = state
    if translation is None:
        return ListingStatus("missing", fields)
    return ListingStatus(overall_state(list(fields.values())), fields)


def needs_work(state: TranslationState) -> bool:
    """Tell whether a listing in *state* belongs in the translators' queue."""
    return state != "reviewed"
