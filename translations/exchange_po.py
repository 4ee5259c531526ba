"""Listing translations as gettext PO files.

Each entry has ``msgctxt "SKU|field"`` (``KZ-FLOUR-001|name``,
``KZ-FLOUR-001|highlights.0``), the source text as ``msgid``, the translation
as ``msgstr``, the ``fuzzy`` flag when the translation is stale (with the
older source as ``#| msgid``, which PO editors show as a diff), and extracted
comments ``#. source-hash: …`` and ``#. revision: N`` recording which source
text and which translation revision it was exported with. On import, fuzzy and
empty entries count as untranslated, as gettext treats them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime

import polib

from translations.exchange import MAX_IMPORT_BYTES
from translations.exchange import ExchangeError
from translations.exchange import ExchangeProblem
from translations.exchange import ExportEntry
from translations.exchange import ImportPlan
from translations.exchange import RawImport
from translations.exchange import WrongLocale
from translations.exchange import build_plan
from translations.exchange import decode_utf8
from translations.locales import CONTENT_LOCALES
from translations.po_parser import PoSyntaxError
from translations.po_parser import parse_po
from translations.workflow import ListingText

HASH_COMMENT = "source-hash:"
REVISION_COMMENT = "revision:"
_REVISION = re.compile(r"^revision:\s*(\d{1,9})\s*$")
_CHARSET = re.compile(r"charset\s*=\s*([\w.:-]+)", re.IGNORECASE)


def _check_locale(locale: str) -> str:
    if locale not in CONTENT_LOCALES:
        raise ValueError(f"translations are exchanged for {', '.join(CONTENT_LOCALES)}, not {locale!r}")
    return locale


def export_po(
    locale: str,
    entries: Iterable[ExportEntry],
    source_locale: str = "zh",
    generated_at: datetime | None = None,
) -> bytes:
    """Write *entries* as a UTF-8 PO file for translators into *locale* (``msgfmt -c`` clean)."""
    _check_locale(locale)
    catalog = polib.POFile(wrapwidth=78)
    stamp = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M%z")
    catalog.metadata = {
        "Project-Id-Version": "Tianshan Catalog listings",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": stamp,
        "PO-Revision-Date": stamp,
        "Last-Translator": "Tianshan Catalog",
        "Language-Team": f"Tianshan Catalog {locale} translators",
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": source_locale,
    }
    for entry in entries:
        if "|" in entry.sku:
            raise ExchangeError(f"SKU {entry.sku!r} cannot contain '|'")
        catalog.append(
            polib.POEntry(
                msgctxt=f"{entry.sku}|{entry.field}",
                msgid=entry.source,
                msgstr=entry.target,
                flags=["fuzzy"] if entry.state == "stale" and entry.target else [],
                previous_msgid=entry.previous_source,
                comment=f"{HASH_COMMENT} {entry.source_hash}\n{REVISION_COMMENT} {entry.revision}",
                tcomment="reviewed" if entry.state == "reviewed" else "",
            )
        )
    return str(catalog).encode("utf-8")


def _check_header(header: Mapping[str, str], locale: str) -> None:
    language = header.get("Language", "").strip()
    if not language:
        raise WrongLocale(f"the PO header has no Language field; expected 'Language: {locale}'")
    if language.replace("_", "-").lower() != locale.lower():
        raise WrongLocale(f"this PO file is for locale {language!r}, but it is being imported as {locale!r}")
    charset = _CHARSET.search(header.get("Content-Type", ""))
    if charset and charset.group(1).lower().replace("-", "").replace("_", "") != "utf8":
        raise ExchangeError(
            f"the PO header declares charset {charset.group(1)}; only UTF-8 files are accepted"
        )


def read_po_entries(
    data: bytes, locale: str, max_bytes: int = MAX_IMPORT_BYTES
) -> tuple[list[RawImport], list[ExchangeProblem]]:
    """Parse a PO file into raw texts and per-entry problems.

    Raise :class:`ExchangeError` when the file as a whole is unusable.
    """
    _check_locale(locale)
    text = decode_utf8(data, max_bytes)
    try:
        document = parse_po(text)
    except PoSyntaxError as exc:
        raise ExchangeError(f"malformed PO file at line {exc.line}: {exc.reason}") from None
    if not document.header:
        raise ExchangeError('the PO file has no header entry (msgid ""); export a fresh file')
    _check_header(document.header, locale)
    raw_entries: list[RawImport] = []
    problems: list[ExchangeProblem] = []
    for entry in document.entries:
        location = f"line {entry.line}"
        sku, sep, field = (entry.msgctxt or "").partition("|")
        if not sep or not sku or not field:
            message = f"msgctxt must be 'SKU|field', got {entry.msgctxt!r}"
            problems.append(ExchangeProblem(location, message))
            continue
        if entry.msgid_plural is not None:
            problems.append(ExchangeProblem(location, "listing texts have no plural forms"))
            continue
        source_hash = next(
            (
                comment[len(HASH_COMMENT) :].strip()
                for comment in entry.extracted_comments
                if comment.startswith(HASH_COMMENT)
            ),
            None,
        )
        revisions = [_REVISION.match(comment) for comment in entry.extracted_comments]
        revision = next((int(found.group(1)) for found in revisions if found), None)
        target = "" if entry.fuzzy else entry.msgstr
        raw_entries.append(
            RawImport(location, sku, field, entry.msgid, target, source_hash, revision=revision)
        )
    return raw_entries, problems


def import_po(
    data: bytes,
    locale: str,
    current_sources: Mapping[str, ListingText],
    max_bytes: int = MAX_IMPORT_BYTES,
) -> ImportPlan:
    """Read a translated PO file back into an :class:`ImportPlan`.

    :param current_sources: SKU → the product's current source text.
    """
    raw_entries, problems = read_po_entries(data, locale, max_bytes)
    return build_plan(locale, raw_entries, current_sources, problems)
