"""Translation memory: reviewed translations offered for fields whose source is the same or similar.

The memory lives in an FTS5 index (:class:`search.memory.MemoryIndex`) per database engine,
brought up to date before each lookup with the texts changed since the last one.
"""

from __future__ import annotations

import dataclasses
import threading
import typing as t
import weakref

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from catalog.models import Product
from catalog.models import ProductContent
from search.memory import MemoryEntry
from search.memory import MemoryIndex
from search.memory import entries_of
from translations.memory_match import MemoryMatch
from translations.memory_match import rank_matches

#: Candidates fetched from the index per field, before scoring.
CANDIDATES = 24
#: Suggestions kept per field.
PER_FIELD = 3
_BATCH = 500


@dataclasses.dataclass(frozen=True)
class FieldSuggestions:
    """The source of one field and the remembered translations offered for it."""

    field: str
    source: str
    matches: tuple[tuple[MemoryMatch, int, str], ...]  # (match, from product id, its SKU)


@dataclasses.dataclass
class _Memory:
    index: MemoryIndex
    lock: threading.Lock
    watermark: t.Any = None


_memories: weakref.WeakKeyDictionary[Engine, _Memory] = weakref.WeakKeyDictionary()
_memories_lock = threading.Lock()


def _memory_of(session: Session) -> _Memory:
    engine = session.get_bind().engine
    with _memories_lock:
        memory = _memories.get(engine)
        if memory is None:
            memory = _memories[engine] = _Memory(MemoryIndex(), threading.Lock())
    return memory


def source_fields(name: str, description: str, highlights: t.Sequence[str]) -> list[tuple[str, str]]:
    """``(field, text)`` of a listing, highlights keyed by position."""
    return [("name", name), ("description", description)] + [
        (f"highlights.{i}", text) for i, text in enumerate(highlights)
    ]


def memory_entries(session: Session, product_ids: t.Sequence[int]) -> list[MemoryEntry]:
    """The reviewed translations of *product_ids*, field by field, paired with their sources."""
    rows = session.execute(
        sa.select(
            ProductContent.product_id,
            ProductContent.locale,
            ProductContent.name,
            ProductContent.description,
            ProductContent.highlights,
            ProductContent.state,
            Product.source_locale,
        )
        .join(Product, Product.id == ProductContent.product_id)
        .where(ProductContent.product_id.in_(product_ids))
    ).all()
    sources = {row.product_id: row for row in rows if row.locale == row.source_locale}
    entries: list[MemoryEntry] = []
    for row in rows:
        source = sources.get(row.product_id)
        if source is None or row.state != "reviewed" or row.locale == row.source_locale:
            continue
        target = dict(source_fields(row.name, row.description, row.highlights))
        fields = source_fields(source.name, source.description, source.highlights)
        entries += entries_of(row.product_id, row.source_locale, fields, row.locale, target)
    return entries


def sync_memory(session: Session) -> MemoryIndex:
    """Bring the engine's memory index up to date with the texts changed since the last sync."""
    memory = _memory_of(session)
    with memory.lock:
        newest = session.scalar(sa.select(sa.func.max(ProductContent.updated_at)))
        changed = sa.select(ProductContent.product_id).distinct()
        if memory.watermark is not None:
            changed = changed.where(ProductContent.updated_at >= memory.watermark)
        product_ids = list(session.scalars(changed))
        for start in range(0, len(product_ids), _BATCH):
            batch = product_ids[start : start + _BATCH]
            memory.index.replace_products(batch, memory_entries(session, batch))
        memory.watermark = newest
    return memory.index


def suggestions(session: Session, product: Product, locale: str) -> list[FieldSuggestions]:
    """For each source field of *product*, reviewed translations into *locale* of similar sources."""
    index = sync_memory(session)
    source = product.content_for(product.source_locale)
    if source is None:
        return []
    fields = source_fields(source.name, source.description, source.highlights)
    if locale == product.source_locale:
        return [FieldSuggestions(field, text, ()) for field, text in fields]
    found = {
        field: index.candidates(text, product.source_locale, locale, product.id, CANDIDATES)
        for field, text in fields
    }
    ids = {entry.product_id for entries in found.values() for entry in entries}
    rows = session.execute(sa.select(Product.id, Product.sku).where(Product.id.in_(ids)))
    skus: dict[int, str] = {row.id: row.sku for row in rows}
    out: list[FieldSuggestions] = []
    for field, text in fields:
        live = [entry for entry in found[field] if entry.product_id in skus]
        origin = {(entry.source, entry.target): entry.product_id for entry in reversed(live)}
        ranked = rank_matches(text, [(entry.source, entry.target) for entry in live], PER_FIELD)
        matches = tuple(
            (match, origin[(match.source, match.target)], skus[origin[(match.source, match.target)]])
            for match in ranked
        )
        out.append(FieldSuggestions(field, text, matches))
    return out
