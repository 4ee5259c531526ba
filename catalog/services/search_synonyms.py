"""Staff synonyms: checking, storing and listing them (search applies them, see :mod:`search.synonyms`)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import FieldError
from catalog.domain_errors import Invalid
from catalog.domain_errors import NotFound
from catalog.models import SearchSynonym
from catalog.models import User
from catalog.schemas.search_curation import SynonymIn
from catalog.services import audit
from search.synonyms import written_in_letters

ENTITY = "search_synonym"
#: Synonyms the demo catalog starts with: ``(locale, term, synonyms, two_way)``.
DEMO_SYNONYMS: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("kk", "шарап", ("вино",), True),
    ("kk", "kumys", ("қымыз",), True),
    ("ru", "маслины", ("оливки",), True),
    ("en", "aubergine", ("eggplant",), True),
)


def _phrase_errors(field: str, text: str) -> list[FieldError]:
    if written_in_letters(text):
        return []
    message = gettext(
        "%(text)s has no word written in letters; synonyms take Cyrillic or Latin words (not Chinese yet).",
        text=repr(text),
    )
    return [{"field": field, "message": message}]


def check_synonym(data: SynonymIn) -> SynonymIn:
    """*data* with repeats dropped; :class:`Invalid` naming each phrase that has no usable word."""
    errors = _phrase_errors("term", data.term)
    for index, phrase in enumerate(data.synonyms):
        errors += _phrase_errors(f"synonyms[{index}]", phrase)
    if errors:
        raise Invalid.fields(errors)
    synonyms = [s for s in dict.fromkeys(data.synonyms) if s.casefold() != data.term.casefold()]
    if not synonyms:
        raise Invalid.field("synonyms", gettext("Name at least one synonym other than the term itself."))
    return data.model_copy(update={"synonyms": synonyms})


def get_synonym(session: Session, synonym_id: int) -> SearchSynonym:
    """The synonym entry *synonym_id*, or :class:`NotFound`."""
    row = session.get(SearchSynonym, synonym_id)
    if row is None:
        raise NotFound(gettext("There is no synonym entry %(id)s.", id=synonym_id))
    return row


def list_synonyms(session: Session, locale: str | None, after: int | None, limit: int) -> list[SearchSynonym]:
    """Up to *limit* entries (of *locale*, when given) after id *after*, oldest first."""
    stmt = sa.select(SearchSynonym).order_by(SearchSynonym.id).limit(limit)
    if locale is not None:
        stmt = stmt.where(SearchSynonym.locale == locale)
    if after is not None:
        stmt = stmt.where(SearchSynonym.id > after)
    return list(session.scalars(stmt))


def _fields(data: SynonymIn) -> dict[str, object]:
    return {
        "locale": data.locale,
        "term": data.term,
        "synonyms": list(data.synonyms),
        "two_way": data.two_way,
    }


def add_synonym(session: Session, data: SynonymIn, user: User | None) -> SearchSynonym:
    """Store a new synonym entry (the caller commits)."""
    checked = check_synonym(data)
    row = SearchSynonym(**_fields(checked))
    session.add(row)
    session.flush()
    audit.record(session, user, "create", ENTITY, row.id, _fields(checked))
    return row


def replace_synonym(
    session: Session, row: SearchSynonym, data: SynonymIn, user: User | None
) -> SearchSynonym:
    """Replace *row*'s content with *data* and move its version on."""
    checked = check_synonym(data)
    for name, value in _fields(checked).items():
        setattr(row, name, value)
    row.version += 1
    audit.record(session, user, "update", ENTITY, row.id, _fields(checked))
    return row


def remove_synonym(session: Session, row: SearchSynonym, user: User | None) -> None:
    """Delete *row* (the audit log keeps what it said)."""
    audit.record(session, user, "delete", ENTITY, row.id, {"term": row.term, "synonyms": row.synonyms})
    session.delete(row)


def synonym_json(row: SearchSynonym) -> dict[str, object]:
    """The API shape of *row*."""
    return {
        "id": row.id,
        "locale": row.locale,
        "term": row.term,
        "synonyms": list(row.synonyms),
        "two_way": row.two_way,
        "version": row.version,
        "updated_at": row.updated_at.isoformat(),
    }


def seed_demo_synonyms(session: Session) -> int:
    """Add the demo synonyms whose term is not in its locale yet; returns how many were added."""
    known = {
        (row.locale, row.term) for row in session.execute(sa.select(SearchSynonym.locale, SearchSynonym.term))
    }
    added = 0
    for locale, term, others, two_way in DEMO_SYNONYMS:
        if (locale, term) not in known:
            add_synonym(
                session, SynonymIn(locale=locale, term=term, synonyms=list(others), two_way=two_way), None
            )
            added += 1
    return added
