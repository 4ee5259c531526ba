"""Listing translations as the JSON the API answers with."""

from __future__ import annotations

import typing as t

from sqlalchemy.orm import Session

from catalog.models import ContentRevision
from catalog.models import Glossary
from catalog.models import Product
from catalog.presenting.etags import etag_for
from catalog.services.readiness import overflow_message
from catalog.services.translating import as_listing
from catalog.services.translating import current_revisions
from catalog.services.translating import source_listing
from catalog.services.translating import status_of
from catalog.services.translating import text_json
from catalog.services.translating_checks import FieldChecks
from catalog.services.translating_fit import PARTS
from catalog.services.translating_fit import DraftFit
from catalog.services.translating_glossary import glossary_version
from catalog.services.translating_memory import FieldSuggestions
from catalog.services.translating_queue import QueueItem
from catalog.services.translating_queue import source_diff
from catalog.services.translating_reject import Rejection
from translations import diff_html
from translations.quality import count_by_severity


def product_etag(product: Product) -> str:
    """The product's ETag: every change to any of its texts moves it."""
    return etag_for("product", product.id, product.version)


def _iso(value: t.Any) -> str | None:
    return value.isoformat() if value is not None else None


def translation_json(
    session: Session, product: Product, locale: str, revision: ContentRevision | None = None
) -> dict[str, t.Any]:
    """A product's text in *locale* with its state, source, source diff and current revision."""
    if revision is None:
        revision = current_revisions(session, [product.id], locale).get((product.id, locale))
    content = product.content_for(locale)
    source = source_listing(product)
    is_source = locale == product.source_locale
    status = None if is_source else status_of(product, locale, revision)
    diff = None
    if status is not None and status.state == "stale" and revision is not None and revision.source_text:
        diff = source_diff(revision.source_text, source, status)
    review = revision.review if revision is not None else None
    return {
        "product_id": product.id,
        "locale": locale,
        "is_source": is_source,
        "state": "source" if status is None else status.state,
        "fields": {} if status is None else dict(status.fields),
        "text": None if content is None else text_json(as_listing(content)),
        "source": text_json(source),
        "source_diff": diff,
        "hidden_until_reviewed": bool(content and content.hidden_until_reviewed),
        "revision": revision.number if revision else None,
        "author": revision.author.name if revision and revision.author else None,
        "saved_at": _iso(revision.created_at) if revision else None,
        "reviewed_by": review.reviewer.name if review and review.reviewer else None,
        "etag": product_etag(product),
    }


def revision_json(revision: ContentRevision) -> dict[str, t.Any]:
    """One entry of a text's history."""
    review = revision.review
    return {
        "revision": revision.number,
        "action": revision.action,
        "name": revision.name,
        "description": revision.description,
        "highlights": list(revision.highlights),
        "author": revision.author.name if revision.author else None,
        "created_at": revision.created_at.isoformat(),
        "reverted_from": revision.reverted_from,
        "source_hashes": dict(revision.source_hashes),
        "reviewed_by": review.reviewer.name if review and review.reviewer else None,
        "reviewed_at": _iso(review.created_at) if review else None,
    }


def queue_item_json(item: QueueItem, locale: str) -> dict[str, t.Any]:
    """One line of the translators' queue."""
    product = item.product
    content = product.content_for(locale)
    return {
        "product_id": product.id,
        "sku": product.sku,
        "category": product.category.path,
        "status": product.status.value,
        "state": item.status.state,
        "fields": dict(item.status.fields),
        "shown_on_air": item.shown,
        "source": text_json(source_listing(product)),
        "translation": None if content is None else text_json(as_listing(content)),
        "revision": item.revision,
        "source_diff": item.source_diff,
        "etag": product_etag(product),
    }


def glossary_json(locale: str, glossary: Glossary | None) -> dict[str, t.Any]:
    """A locale's glossary (empty before its first term)."""
    return {
        "locale": locale,
        "version": glossary_version(glossary),
        "terms": [
            {"source": entry.source, "target": entry.target, "note": entry.note}
            for entry in (glossary.terms if glossary else [])
        ],
    }


def checks_json(
    product: Product, locale: str, state: str, fields: t.Sequence[FieldChecks]
) -> dict[str, t.Any]:
    """The failed quality checks of a text, field by field, with counts per severity."""
    return {
        "product_id": product.id,
        "locale": locale,
        "source_locale": product.source_locale,
        "state": state,
        "counts": count_by_severity(finding for field in fields for finding in field.findings),
        "fields": [
            {
                "field": field.field,
                "source": field.source,
                "text": field.text,
                "checks": [finding.to_dict() for finding in field.findings],
            }
            for field in fields
        ],
    }


def suggestions_json(product: Product, locale: str, fields: t.Sequence[FieldSuggestions]) -> dict[str, t.Any]:
    """Remembered translations per field: score, the remembered source and how it differs."""
    return {
        "product_id": product.id,
        "locale": locale,
        "source_locale": product.source_locale,
        "fields": [
            {
                "field": field.field,
                "source": field.source,
                "suggestions": [
                    {
                        "score": match.score,
                        "identical": match.identical,
                        "source": match.source,
                        "text": match.target,
                        "diff": [{"op": op, "text": text} for op, text in match.diff],
                        "diff_html": diff_html(list(match.diff)),
                        "product_id": product_id,
                        "sku": sku,
                    }
                    for match, product_id, sku in field.matches
                ],
            }
            for field in fields
        ],
    }


def fit_json(product: Product, locale: str, fit: DraftFit) -> dict[str, t.Any]:
    """The fit of a draft: overall, per part (the layouts cutting it) and per layout."""
    return {
        "product_id": product.id,
        "locale": locale,
        "fits": fit.fits,
        "fields": [
            {"field": part, "fits": not fit.cut_in(part), "cut_in": fit.cut_in(part)} for part in PARTS
        ],
        "layouts": [{"layout": layout, "cut": list(parts)} for layout, parts in fit.cut.items()],
        "warnings": [
            {"field": part, "layout": layout, "message": overflow_message(part, layout, locale)}
            for layout, parts in fit.cut.items()
            for part in parts
        ],
    }


def rejection_json(rejection: Rejection) -> dict[str, t.Any]:
    """A request for changes: the revision it was about, the comment, who and when."""
    return {
        "revision": rejection.revision,
        "note": rejection.note,
        "reviewer": rejection.reviewer,
        "at": _iso(rejection.at),
    }
