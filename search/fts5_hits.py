"""Turning ranked rows into :class:`search.SearchHit` values in the reader's locales."""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import orjson

from search.documents import LOCALES
from search.documents import SearchHit
from search.fts5_highlight import Marker
from search.fts5_highlight import highlight
from search.fts5_query import Plan
from search.fts5_state import View


def chain(locales: Sequence[str], texts: dict[str, Any]) -> list[str]:
    """The reader's locales, then every other locale the product has text in."""
    return list(dict.fromkeys([*locales, *LOCALES, *texts]))


def display_name(texts: dict[str, Any], locales: Sequence[str]) -> tuple[str, str]:
    """The name in the first locale of the chain that has one, and that locale."""
    for locale in chain(locales, texts):
        name = str(texts.get(locale, {}).get("name", "")).strip()
        if name:
            return name, locale
    return "", locales[0] if locales else LOCALES[0]


def best_highlight(texts: dict[str, Any], locales: Sequence[str], marker: Marker, name: str) -> str:
    """Marked text from the name, else the first field (in locale order) that matched."""
    if marker.empty:
        return html.escape(name)
    order = chain(locales, texts)
    candidates: list[tuple[str, str, bool]] = []
    candidates.extend((texts[lo].get("name", ""), lo, False) for lo in order if lo in texts)
    for locale in order:
        if locale in texts:
            candidates.extend((item, locale, False) for item in texts[locale].get("highlights", []))
    for locale in order:
        if locale in texts:
            candidates.append((texts[locale].get("description", ""), locale, True))
    for text, locale, snippet in candidates:
        if text:
            marked = highlight(text, locale, marker, snippet=snippet)
            if marked is not None:
                return marked
    return html.escape(name)


def build_hits(
    conn: sqlite3.Connection,
    view: View,
    plan: Plan,
    ranked: Sequence[tuple[int, float]],
    locales: Sequence[str],
) -> tuple[SearchHit, ...]:
    """Load the page's rows and build hits in *ranked* order."""
    if not ranked:
        return ()
    rowids = [row for row, _ in ranked]
    marks = ", ".join("?" * len(rowids))
    rows = {
        row[0]: row
        for row in conn.execute(
            f"""SELECT rowid, id, sku, price, currency, thumbnail, texts
                FROM {view.tables.docs} WHERE rowid IN ({marks})""",
            rowids,
        )
    }
    marker = Marker.of((match.word, match.corrections) for match in plan.words)
    hits: list[SearchHit] = []
    for rowid, score in ranked:
        row = rows.get(rowid)
        if row is None:
            continue
        _, doc_id, sku, price, currency, thumbnail, texts_json = row
        texts = orjson.loads(texts_json)
        name, locale = display_name(texts, locales)
        hits.append(
            SearchHit(
                id=doc_id,
                sku=sku,
                score=score,
                name=name,
                locale=locale,
                highlight=best_highlight(texts, locales, marker, name),
                price=Decimal(price),
                currency=currency,
                thumbnail=thumbnail,
            )
        )
    return tuple(hits)
