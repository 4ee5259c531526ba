"""What PO and XLIFF exchange share: export rows, the import plan, and its validation.

An export is a list of :class:`ExportEntry`, one per translatable text
(``name``, ``description``, ``highlights.N``). An import never writes
anything: it returns an :class:`ImportPlan` that the caller applies all or
nothing, and only when ``plan.errors`` is empty.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from translations.checks import describe_mismatch
from translations.checks import limit_error
from translations.checks import placeholder_difference
from translations.diff import DiffSegment
from translations.diff import word_diff
from translations.workflow import ListingText
from translations.workflow import TranslationState
from translations.workflow import field_source_hash
from translations.workflow import field_state
from translations.workflow import text_hash

#: Files larger than this are refused before any parsing (10 MiB).
MAX_IMPORT_BYTES = 10 * 1024 * 1024

_FIELD_KEY = re.compile(r"^(?:name|description|highlights\.(0|[1-9]\d{0,5}))$")


class ExchangeError(ValueError):
    """A whole file cannot be imported (size, encoding, syntax, locale, unsafe XML)."""


class FileTooLarge(ExchangeError):
    """The file is over the size limit; nothing was parsed."""


class WrongLocale(ExchangeError):
    """The file is a translation into another locale than the one being imported."""


@dataclass(frozen=True)
class ExportEntry:
    """One translatable text of one product, as exported.

    :param field: ``name``, ``description`` or ``highlights.N``.
    :param target: the current translation, ``""`` when missing.
    :param state: the translation state of the product field it belongs to.
    :param revision: the number of the translation revision *target* comes from (0: none yet).
    :param previous_source: for a stale entry, the source text the translation was made from.
    """

    sku: str
    field: str
    source: str
    target: str
    state: TranslationState
    revision: int = 0
    previous_source: str | None = None

    @property
    def source_hash(self) -> str:
        """Hash of this entry's source text, written into the file."""
        return text_hash(self.source)


@dataclass(frozen=True)
class RawImport:
    """One translated text as read from a file, before validation (format-neutral)."""

    location: str
    sku: str
    field: str
    source: str
    target: str
    source_hash: str | None
    reviewed: bool = False
    revision: int | None = None


@dataclass(frozen=True)
class ImportEntry:
    """A validated translation the caller may store.

    :param source_hash_in_file: hash of the source the translation was made from;
        store it with the text, so a stale import stays ``stale``.
    :param stale: the file was translated against an older source text.
    :param source_diff: word diff from that older source to the current one.
    :param revision: the translation revision the file was exported from (``None``: unknown).
    """

    sku: str
    field: str
    text: str
    source_hash_in_file: str
    source_in_file: str
    stale: bool
    source_diff: list[DiffSegment] | None
    reviewed: bool
    revision: int | None = None


@dataclass(frozen=True)
class ExchangeProblem:
    """A problem with one entry: *location* is ``line N`` (PO) or ``unit SKU`` (XLIFF)."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class ImportPlan:
    """What an import would change; apply it only if :attr:`errors` is empty."""

    locale: str
    entries: list[ImportEntry] = field(default_factory=list)
    errors: list[ExchangeProblem] = field(default_factory=list)
    untranslated: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the plan can be applied."""
        return not self.errors

    def listing_updates(
        self, current_sources: Mapping[str, ListingText]
    ) -> dict[str, dict[str, tuple[str | tuple[str, ...], str]]]:
        """Group entries by product as ``{sku: {field: (value, source_hash)}}``.

        ``highlights.N`` entries are joined into one ``highlights`` tuple. Its
        source hash is the current one only when every current highlight was
        translated against the current text; otherwise it is the hash of the
        highlights as the file saw them, so the field stays ``stale``.
        """
        updates: dict[str, dict[str, tuple[str | tuple[str, ...], str]]] = {}
        highlights: dict[str, dict[int, ImportEntry]] = {}
        for entry in self.entries:
            if entry.field.startswith("highlights."):
                highlights.setdefault(entry.sku, {})[int(entry.field.split(".")[1])] = entry
            else:
                updates.setdefault(entry.sku, {})[entry.field] = (
                    entry.text,
                    entry.source_hash_in_file,
                )
        for sku, items in highlights.items():
            source = current_sources[sku].highlights
            ordered = [items[i] for i in sorted(items)]
            complete = sorted(items) == list(range(len(source)))
            if complete and not any(item.stale for item in ordered):
                recorded = field_source_hash(source)
            else:
                recorded = field_source_hash([item.source_in_file for item in ordered])
            value = tuple(item.text for item in ordered)
            updates.setdefault(sku, {})["highlights"] = (value, recorded)
        return updates


def listing_export_entries(
    sku: str,
    source: ListingText,
    translation: ListingText | None,
    recorded_hashes: Mapping[str, str],
    reviewed: bool = False,
    revision: int = 0,
    source_then: Mapping[str, object] | None = None,
) -> list[ExportEntry]:
    """Turn one product's source and translation into export rows (empty sources skipped).

    :param revision: the number of the translation revision *translation* is.
    :param source_then: the source text that revision was made from (``name``,
        ``description``, ``highlights``), shown as the previous source of stale entries.
    """
    rows: list[ExportEntry] = []
    then = source_then or {}
    for name in ("name", "description", "highlights"):
        source_value = source.field_value(name)
        target_value = None if translation is None else translation.field_value(name)
        state = field_state(source_value, target_value, recorded_hashes.get(name), reviewed)
        if state is None:
            continue
        if isinstance(source_value, str):
            target = target_value if isinstance(target_value, str) else ""
            previous = _previous_source(then.get(name), source_value, state, target)
            rows.append(ExportEntry(sku, name, source_value, target, state, revision, previous))
            continue
        targets = target_value if isinstance(target_value, tuple) else ()
        items_then = then.get(name)
        for index, item in enumerate(source_value):
            if item.strip():
                target = targets[index] if index < len(targets) else ""
                item_state = state if target.strip() else "missing"
                item_then = (
                    items_then[index] if isinstance(items_then, list) and index < len(items_then) else None
                )
                previous = _previous_source(item_then, item, item_state, target)
                rows.append(
                    ExportEntry(sku, f"highlights.{index}", item, target, item_state, revision, previous)
                )
    return rows


def _previous_source(then: object, now: str, state: TranslationState, target: str) -> str | None:
    """The older source of a stale translation, when it is known and differs from *now*."""
    if state != "stale" or not target or not isinstance(then, str) or then == now:
        return None
    return then


def current_source_text(source: ListingText, field_key: str) -> str | None:
    """Return the current source text behind *field_key*, or ``None`` if there is none."""
    if _FIELD_KEY.match(field_key) is None:
        return None
    if field_key in ("name", "description"):
        value = source.field_value(field_key)
        return value if isinstance(value, str) else None
    index = int(field_key.split(".")[1])
    return source.highlights[index] if index < len(source.highlights) else None


def build_plan(
    locale: str,
    raw_entries: Iterable[RawImport],
    current_sources: Mapping[str, ListingText],
    problems: Iterable[ExchangeProblem] = (),
) -> ImportPlan:
    """Validate raw imported texts against the current sources and return the plan.

    *problems* found while reading the file are carried into the plan's errors.

    An entry is stale when the hash recorded in the file, or the source text
    the file carries, is not the current source's. Placeholders are checked
    against the current source, or for a stale entry against the file's source.
    """
    plan = ImportPlan(locale=locale, errors=list(problems))
    seen: dict[tuple[str, str], str] = {}
    for raw in raw_entries:
        problem = _locate(raw, current_sources, seen)
        if problem:
            plan.errors.append(ExchangeProblem(raw.location, problem))
            continue
        if not raw.target:
            plan.untranslated.append((raw.sku, raw.field))
            continue
        current = current_source_text(current_sources[raw.sku], raw.field) or ""
        in_file = raw.source_hash or text_hash(raw.source)
        stale = in_file != text_hash(current) or text_hash(raw.source) != in_file
        if stale and in_file == text_hash(current):
            in_file = text_hash(raw.source)  # the file's source text was edited: keep it stale
        label = f"{raw.sku}|{raw.field}"
        too_long = limit_error(raw.field, raw.target)
        if too_long:
            plan.errors.append(ExchangeProblem(raw.location, f"{label} {too_long}"))
        missing, unexpected = placeholder_difference(raw.source if stale else current, raw.target)
        if missing or unexpected:
            message = f"{label}: {describe_mismatch(missing, unexpected)}"
            plan.errors.append(ExchangeProblem(raw.location, message))
        if too_long or missing or unexpected:
            continue
        plan.entries.append(
            ImportEntry(
                sku=raw.sku,
                field=raw.field,
                text=raw.target,
                source_hash_in_file=in_file,
                source_in_file=raw.source,
                stale=stale,
                source_diff=word_diff(raw.source, current) if stale else None,
                reviewed=raw.reviewed,
                revision=raw.revision,
            )
        )
    return plan


def _locate(
    raw: RawImport,
    current_sources: Mapping[str, ListingText],
    seen: dict[tuple[str, str], str],
) -> str | None:
    if raw.sku not in current_sources:
        return f"unknown SKU {raw.sku!r}"
    if current_source_text(current_sources[raw.sku], raw.field) is None:
        return f"unknown field {raw.field!r} for {raw.sku} (it has no such source text)"
    key = (raw.sku, raw.field)
    if key in seen:
        return f"{raw.sku}|{raw.field} appears twice (first at {seen[key]})"
    seen[key] = raw.location
    return None


def decode_utf8(data: bytes, max_bytes: int) -> str:
    """Check the size, then decode UTF-8 (a BOM is allowed); raise :class:`ExchangeError`."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("import takes the file's bytes")
    if len(data) > max_bytes:
        raise FileTooLarge(f"the file is {len(data):,} bytes; at most {max_bytes:,} bytes can be imported")
    raw = bytes(data)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ExchangeError(
            f"the file is not UTF-8: undecodable byte at offset {exc.start} (line {line});"
            " save it as UTF-8 and try again"
        ) from None
    return text.removeprefix("\ufeff")


def zip_of(files: Mapping[str, bytes]) -> bytes:
    """A zip archive holding each of *files* (name → bytes), deflated, in the given order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
