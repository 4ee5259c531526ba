"""Glossaries: per target locale, the terms translators must keep or render one fixed way."""

from __future__ import annotations

import dataclasses
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import Glossary
from catalog.models import GlossaryEntry
from catalog.models import User
from catalog.services import audit
from translations import GlossaryTerm
from translations import ListingText
from translations import check_glossary


@dataclasses.dataclass(frozen=True)
class TermInput:
    """A glossary term as given: ``target=None`` keeps the source term unchanged (brands)."""

    source: str
    target: str | None = None
    note: str = ""


def get_glossary(session: Session, locale: str) -> Glossary | None:
    """The glossary of *locale*, if one was ever written."""
    return session.scalar(sa.select(Glossary).where(Glossary.locale == locale))


def glossary_version(glossary: Glossary | None) -> int:
    """The version for the ETag: 0 before the first term is written."""
    return 0 if glossary is None else glossary.version


def terms_of(glossary: Glossary | None) -> list[GlossaryTerm]:
    """The glossary's terms as the checks take them."""
    if glossary is None:
        return []
    return [GlossaryTerm(entry.source, entry.target) for entry in glossary.terms]


def put_glossary(session: Session, locale: str, terms: t.Sequence[TermInput], user: User) -> Glossary:
    """Replace the terms of *locale*'s glossary (the caller checked If-Match)."""
    glossary = get_glossary(session, locale)
    before = {e.source: e.target for e in glossary.terms} if glossary else {}
    if glossary is None:
        glossary = Glossary(locale=locale, version=1, updated_by=user.id)
        session.add(glossary)
    else:
        glossary.version += 1
        glossary.updated_by = user.id
        glossary.terms = []
        session.flush()  # old rows go before new ones take their (locale, source)
    glossary.terms = [
        GlossaryEntry(position=i, source=term.source, target=term.target, note=term.note)
        for i, term in enumerate(terms)
    ]
    session.flush()
    after = {term.source: term.target for term in terms}
    audit.record(session, user, "glossary.update", "glossary", locale, audit.diff(before, after))
    return glossary


def warnings_for(
    terms: t.Sequence[GlossaryTerm], source: ListingText, text: ListingText, brand: str | None
) -> list[dict[str, t.Any]]:
    """Glossary warnings for a translation, field by field; the product's brand is always kept."""
    all_terms = list(terms)
    if brand and not any(term.source.casefold() == brand.casefold() for term in all_terms):
        all_terms.append(GlossaryTerm(brand, None))
    pairs = [("name", source.name, text.name), ("description", source.description, text.description)]
    pairs += [
        (f"highlights.{i}", src, text.highlights[i])
        for i, src in enumerate(source.highlights)
        if i < len(text.highlights)
    ]
    out: list[dict[str, t.Any]] = []
    for field, src, target in pairs:
        if not src or not target:
            continue
        for warning in check_glossary(src, target, all_terms):
            out.append(
                {
                    "field": field,
                    "term": warning.term.source,
                    "expected": warning.term.target or warning.term.source,
                    "message": warning.message,
                }
            )
    return out


def glossary_warnings(
    session: Session, locale: str, source: ListingText, text: ListingText, brand: str | None
) -> list[dict[str, t.Any]]:
    """:func:`warnings_for` with *locale*'s glossary."""
    return warnings_for(terms_of(get_glossary(session, locale)), source, text, brand)
