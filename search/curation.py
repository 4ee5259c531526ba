"""Staff query rules around an engine's search: pin a product at a position, hide one, boost some.

A rule applies to one query (compared as :func:`search.synonyms.normalized_text` reads it)
or to one category (when the search is filtered to exactly that category), and may be
limited to a time window (a show's hours). Pins and hides are applied here, around any
engine, so every engine applies them alike; boosts travel in the query
(:class:`search.documents.Boosts`) and each engine scores them (:mod:`search.boosts`).

A pinned product is looked up through the engine by its SKU with the reader's filters, so it
appears only when it is indexed (published) and passes those filters; the query text need
not find it. Pins and hides shape results ranked by relevance; hides apply to every order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from collections.abc import Sequence

from search.documents import MAX_LIMIT
from search.documents import MAX_WINDOW
from search.documents import Boosts
from search.documents import SearchHit
from search.documents import SearchQuery
from search.documents import SearchResult
from search.engine import SearchEngine
from search.synonyms import SynonymTable
from search.synonyms import normalized_text


def window_holds(starts_at: dt.datetime | None, ends_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether *now* is in the window from *starts_at* (included) to *ends_at* (excluded); open ends hold."""
    return (starts_at is None or starts_at <= now) and (ends_at is None or now < ends_at)


@dataclasses.dataclass(frozen=True)
class Pin:
    """Product *product_id* (SKU *sku*) shown at *position* (1 is the first result)."""

    product_id: int
    sku: str
    position: int


@dataclasses.dataclass(frozen=True)
class QueryRule:
    """What staff decided for one query or one category, optionally within a time window."""

    query: str | None = None
    category: str | None = None
    pins: tuple[Pin, ...] = ()
    hides: tuple[int, ...] = ()
    boosts: Boosts = dataclasses.field(default_factory=Boosts)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None

    def in_force(self, now: dt.datetime) -> bool:
        """Whether the rule's time window (if any) holds *now*."""
        return window_holds(self.starts_at, self.ends_at, now)

    def applies_to(self, query: SearchQuery, text: str) -> bool:
        """Whether the rule is for *query*, whose text normalised is *text*."""
        if self.query is not None:
            return self.query == text
        return self.category is not None and query.categories == (self.category,)


@dataclasses.dataclass(frozen=True)
class Curation:
    """The rules one search runs with, merged: pins by position, hides, boosts."""

    pins: tuple[Pin, ...] = ()
    hides: frozenset[int] = frozenset()
    boosts: Boosts = dataclasses.field(default_factory=Boosts)


@dataclasses.dataclass(frozen=True)
class StaffCuration:
    """The synonyms of a reader's locale and every query rule, indexed by query and category."""

    synonyms: SynonymTable | None = None
    by_query: Mapping[str, tuple[QueryRule, ...]] = dataclasses.field(default_factory=dict)
    by_category: Mapping[str, tuple[QueryRule, ...]] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, synonyms: SynonymTable | None, rules: Sequence[QueryRule]) -> StaffCuration:
        """Index *rules* (kept in their order) for lookups by query and by category."""
        by_query: dict[str, list[QueryRule]] = {}
        by_category: dict[str, list[QueryRule]] = {}
        for rule in rules:
            if rule.query is not None:
                by_query.setdefault(rule.query, []).append(rule)
            elif rule.category is not None:
                by_category.setdefault(rule.category, []).append(rule)
        return cls(
            synonyms,
            {k: tuple(v) for k, v in by_query.items()},
            {k: tuple(v) for k, v in by_category.items()},
        )

    def search(self, engine: SearchEngine, query: SearchQuery, now: dt.datetime) -> SearchResult:
        """Answer *query* through *engine* with these synonyms and the rules in force at *now*."""
        if self.synonyms:
            query = dataclasses.replace(query, synonyms=self.synonyms)
        rules = self.by_query.get(normalized_text(query.text), ())
        if len(query.categories) == 1:
            rules += self.by_category.get(query.categories[0], ())
        return curated_search(engine, query, rules_for(rules, query, now))


def rules_for(rules: Sequence[QueryRule], query: SearchQuery, now: dt.datetime) -> Curation:
    """Merge the rules in force at *now* that apply to *query* (an earlier rule's pin wins a position)."""
    text = normalized_text(query.text)
    pins: dict[int, Pin] = {}
    taken: set[int] = set()
    hides: set[int] = set()
    countries: list[str] = []
    categories: list[str] = []
    booths: list[str] = []
    for rule in rules:
        if not rule.in_force(now) or not rule.applies_to(query, text):
            continue
        for pin in rule.pins:
            if pin.product_id not in pins and pin.position not in taken:
                pins[pin.product_id] = pin
                taken.add(pin.position)
        hides.update(rule.hides)
        countries.extend(rule.boosts.countries)
        categories.extend(rule.boosts.categories)
        booths.extend(rule.boosts.booths)
    boosts = Boosts(*(tuple(dict.fromkeys(values)) for values in (countries, categories, booths)))
    ordered = tuple(sorted(pins.values(), key=lambda pin: pin.position))
    return Curation(ordered, frozenset(hides) - set(pins), boosts)


def curated_search(engine: SearchEngine, query: SearchQuery, curation: Curation) -> SearchResult:
    """Answer *query* through *engine* with *curation*'s boosts, hides and pins applied."""
    if curation.boosts:
        query = dataclasses.replace(query, boosts=curation.boosts)
    pins = curation.pins if query.sort == "relevance" else ()
    if not pins and not curation.hides:
        return engine.search(query)
    wanted = query.offset + query.limit
    first, hits = _leading_hits(engine, query, wanted + len(curation.hides) + len(pins))
    pinned_ids = {pin.product_id for pin in pins}
    kept = [hit for hit in hits if hit.id not in curation.hides and hit.id not in pinned_ids]
    dropped = sum(1 for hit in hits if hit.id in curation.hides)
    added = 0
    for pin in pins:
        hit = _pinned_hit(engine, query, pin)
        if hit is None:
            continue
        if all(other.id != hit.id for other in hits):
            added += 1
        kept.insert(min(pin.position - 1, len(kept)), hit)
    return dataclasses.replace(
        first, total=max(0, first.total - dropped + added), hits=tuple(kept[query.offset : wanted])
    )


def _leading_hits(
    engine: SearchEngine, query: SearchQuery, count: int
) -> tuple[SearchResult, list[SearchHit]]:
    """The first answer (for its total and facets) and the first *count* hits, page by page."""
    count = min(count, MAX_WINDOW)
    first = engine.search(dataclasses.replace(query, offset=0, limit=min(count, MAX_LIMIT)))
    hits = list(first.hits)
    while len(hits) < min(count, first.total):
        page = dataclasses.replace(
            query, offset=len(hits), limit=min(count - len(hits), MAX_LIMIT), facets=()
        )
        more = engine.search(page).hits
        if not more:
            break
        hits.extend(more)
    return first, hits


def _pinned_hit(engine: SearchEngine, query: SearchQuery, pin: Pin) -> SearchHit | None:
    """The pinned product's hit, when it is indexed and passes the reader's filters."""
    lookup = dataclasses.replace(
        query, text=pin.sku, offset=0, limit=1, facets=(), boosts=None, synonyms=None
    )
    found = engine.search(lookup).hits
    return found[0] if found and found[0].id == pin.product_id else None
