"""Quality checks of a product's text in one locale, field by field, with the catalog's own data:
the locale's glossary, the product's brand and the words of reviewed Kazakh text."""

from __future__ import annotations

import dataclasses
import threading
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import Product
from catalog.models import ProductContent
from catalog.services.translating_glossary import get_glossary
from catalog.services.translating_glossary import terms_of
from catalog.services.translating_state import as_listing
from catalog.services.translating_state import source_listing
from translations import CheckContext
from translations import Finding
from translations import GlossaryTerm
from translations import ListingText
from translations import check_field
from translations.quality_scripts import kazakh_dictionary
from translations.quality_scripts import kazakh_dictionary_words


@dataclasses.dataclass(frozen=True)
class FieldChecks:
    """The failed checks of one field (``name``, ``description``, ``highlights.N``)."""

    field: str
    source: str
    text: str
    findings: tuple[Finding, ...]


_lexicon_lock = threading.Lock()
_lexicon: dict[str, tuple[tuple[t.Any, ...], dict[str, tuple[str, ...]]]] = {}


def _reviewed_kazakh() -> sa.ColumnElement[bool]:
    return sa.and_(ProductContent.locale == "kk", ProductContent.state == "reviewed")


def kazakh_lexicon(session: Session) -> dict[str, tuple[str, ...]]:
    """The words of every reviewed Kazakh text (as :func:`kazakh_dictionary` groups them),
    rebuilt only when such a text changed."""
    stamp_row = session.execute(
        sa.select(
            sa.func.count(), sa.func.max(ProductContent.updated_at), sa.func.max(ProductContent.id)
        ).where(_reviewed_kazakh())
    ).one()
    stamp = tuple(stamp_row)
    key = str(session.get_bind().engine.url)
    cached = _lexicon.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    words: set[str] = set()
    rows = session.execute(
        sa.select(ProductContent.name, ProductContent.description, ProductContent.highlights).where(
            _reviewed_kazakh()
        )
    )
    for name, description, highlights in rows:
        words |= kazakh_dictionary_words(" ".join([name, description, *highlights]))
    lexicon = kazakh_dictionary(words)
    with _lexicon_lock:
        _lexicon[key] = (stamp, lexicon)
    return lexicon


def field_pairs(source: ListingText, text: ListingText) -> list[tuple[str, str, str]]:
    """``(field, source, translation)`` for every field of *text*, highlights paired by position."""
    pairs = [("name", source.name, text.name), ("description", source.description, text.description)]
    pairs += [
        (f"highlights.{i}", source.highlights[i] if i < len(source.highlights) else "", value)
        for i, value in enumerate(text.highlights)
    ]
    return pairs


def check_context(session: Session, product: Product, locale: str) -> CheckContext:
    """What the checks of *product*'s *locale* text need: locales, glossary (brand kept) and lexicon."""
    terms = terms_of(get_glossary(session, locale))
    brand = product.brand
    if brand and not any(term.source.casefold() == brand.casefold() for term in terms):
        terms.append(GlossaryTerm(brand, None))
    lexicon = kazakh_lexicon(session) if locale == "kk" else {}
    return CheckContext(product.source_locale, locale, tuple(terms), lexicon)


def listing_checks(session: Session, product: Product, locale: str) -> list[FieldChecks]:
    """Every field of *product*'s *locale* text with the checks it fails (none for a missing text)."""
    content = product.content_for(locale)
    if content is None:
        return []
    text = as_listing(content)
    context = check_context(session, product, locale)
    return [
        FieldChecks(field, source, value, tuple(check_field(source, value, context)))
        for field, source, value in field_pairs(source_listing(product), text)
    ]
