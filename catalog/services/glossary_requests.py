"""Terms sent to the translators' glossary from elsewhere (the search analytics page)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from catalog.models import User
from catalog.services import translating_glossary as glossaries


def add_term(session: Session, locale: str, term: str, note: str, user: User) -> bool:
    """Add *term* (kept as it is until a translator renders it) to *locale*'s glossary; False if it is there."""
    current = glossaries.get_glossary(session, locale)
    entries = list(current.terms) if current else []
    if any(entry.source.casefold() == term.casefold() for entry in entries):
        return False
    terms = [glossaries.TermInput(e.source, e.target, e.note) for e in entries]
    glossaries.put_glossary(session, locale, [*terms, glossaries.TermInput(term, None, note)], user)
    return True
