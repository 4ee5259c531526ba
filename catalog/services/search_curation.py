"""Staff synonyms and query rules as search runs with them: compiled per locale from the database."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import Product
from catalog.models import SearchRule
from catalog.models import SearchSynonym
from search.curation import Pin
from search.curation import QueryRule
from search.curation import StaffCuration
from search.documents import Boosts
from search.synonyms import SynonymEntry
from search.synonyms import compile_table
from translations.locales import READING_LOCALES
from translations.locales import content_locale


def query_rule(row: SearchRule, skus: dict[int, str]) -> QueryRule:
    """*row* as search applies it (pins of products that no longer exist are left out)."""
    boosts = row.boosts or {}
    return QueryRule(
        query=row.query,
        category=row.category,
        pins=tuple(
            Pin(pin["product_id"], skus[pin["product_id"]], pin["position"])
            for pin in row.pins
            if pin["product_id"] in skus
        ),
        hides=tuple(row.hides),
        boosts=Boosts(
            tuple(boosts.get("countries", ())),
            tuple(boosts.get("categories", ())),
            tuple(boosts.get("booths", ())),
        ),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
    )


def load_curations(session: Session) -> dict[str, StaffCuration]:
    """Per reading locale: its synonyms (and its content locale's) and every rule, oldest first."""
    rows = list(session.scalars(sa.select(SearchRule).order_by(SearchRule.id)))
    pinned = {pin["product_id"] for row in rows for pin in row.pins}
    skus = {
        row.id: row.sku
        for row in session.execute(sa.select(Product.id, Product.sku).where(Product.id.in_(pinned)))
    }
    rules = [query_rule(row, skus) for row in rows]
    entries: dict[str, list[SynonymEntry]] = {}
    for synonym in session.scalars(sa.select(SearchSynonym).order_by(SearchSynonym.id)):
        entry = SynonymEntry(synonym.term, tuple(synonym.synonyms), synonym.two_way)
        entries.setdefault(synonym.locale, []).append(entry)
    curations: dict[str, StaffCuration] = {}
    for locale in READING_LOCALES:
        own = entries.get(locale, [])
        content = content_locale(locale)
        inherited = entries.get(content, []) if content != locale else []
        table = compile_table([*own, *inherited]) if own or inherited else None
        curations[locale] = StaffCuration.of(table, rules)
    return curations
