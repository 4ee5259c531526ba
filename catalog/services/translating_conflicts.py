"""Lost updates in translation exchange: imported texts whose translation changed since export.

Every exported entry carries the number of the translation revision it was made from. On
import, an entry is a conflict when the text stored now differs both from that revision's
text (someone changed it since the export) and from the incoming text. A file that names no
revision (or one the database never had) has an unknown base: it conflicts wherever it would
replace a different, non-empty text. Conflicts are never applied.
"""

from __future__ import annotations

import dataclasses
import typing as t

import sqlalchemy as sa
from flask_babel import ngettext
from sqlalchemy.orm import Session

from catalog.domain_errors import Conflict
from catalog.models import ContentRevision
from catalog.models import Product
from catalog.services.translating_state import as_listing
from catalog.services.translating_state import current_revisions
from catalog.services.translating_state import revision_listing
from translations import ImportPlan
from translations import ListingText

OnConflict = t.Literal["refuse", "skip"]


@dataclasses.dataclass(frozen=True)
class ImportConflict:
    """One imported text that would overwrite a change made after the file was exported."""

    sku: str
    product_id: int
    field: str
    base_revision: int | None
    current_revision: int
    base: str | None
    current: str
    incoming: str

    def to_dict(self) -> dict[str, t.Any]:
        """The conflict as the import report lists it."""
        return dataclasses.asdict(self)


def field_text(text: ListingText, field: str) -> str:
    """The text of one exchanged field (``name``, ``description``, ``highlights.N``); "" if none."""
    if field.startswith("highlights."):
        index = int(field.split(".")[1])
        return text.highlights[index] if index < len(text.highlights) else ""
    value = text.field_value(field)
    return value if isinstance(value, str) else ""


def find_conflicts(
    session: Session, locale: str, plan: ImportPlan, products: t.Mapping[str, Product]
) -> list[ImportConflict]:
    """Every entry of *plan* that would overwrite a text changed since its export.

    Call it with *products* locked, so that nothing changes between the check and the writes.
    """
    ids = [product.id for product in products.values()]
    latest = current_revisions(session, ids, locale)
    bases = _base_revisions(session, locale, plan, products)
    conflicts = []
    for entry in plan.entries:
        product = products[entry.sku]
        content = product.content_for(locale)
        current = field_text(as_listing(content), entry.field) if content is not None else ""
        revision = latest.get((product.id, locale))
        current_number = revision.number if revision is not None else 0
        if entry.text == current or entry.revision == current_number:
            continue
        base_revision = bases.get((product.id, entry.revision)) if entry.revision else None
        if entry.revision == 0:
            base: str | None = ""
        elif base_revision is not None:
            base = field_text(revision_listing(base_revision), entry.field)
        else:
            base = None
        if base == current or (base is None and not current):
            continue
        conflicts.append(
            ImportConflict(
                entry.sku, product.id, entry.field, entry.revision, current_number, base, current, entry.text
            )
        )
    return conflicts


def _base_revisions(
    session: Session, locale: str, plan: ImportPlan, products: t.Mapping[str, Product]
) -> dict[tuple[int, int], ContentRevision]:
    """The revisions the file's entries were exported from, by (product id, number)."""
    wanted = {(products[e.sku].id, e.revision) for e in plan.entries if e.revision}
    if not wanted:
        return {}
    rows = session.scalars(
        sa.select(ContentRevision).where(
            ContentRevision.locale == locale,
            ContentRevision.product_id.in_(sorted({pid for pid, _ in wanted})),
            ContentRevision.number.in_(sorted({number for _, number in wanted})),
        )
    )
    return {(row.product_id, row.number): row for row in rows}


def without_conflicts(plan: ImportPlan, conflicts: t.Collection[ImportConflict]) -> ImportPlan:
    """*plan* less the entries in *conflicts*."""
    skipped = {(c.sku, c.field) for c in conflicts}
    entries = [e for e in plan.entries if (e.sku, e.field) not in skipped]
    return dataclasses.replace(plan, entries=entries)


def conflict_refusal(conflicts: t.Sequence[ImportConflict]) -> Conflict:
    """The 409 that refuses a whole import for its conflicts, each with base, current and incoming text."""
    first = conflicts[0]
    detail = ngettext(
        "%(num)d text was changed by someone else since this file was exported (first: %(first)s);"
        " nothing was imported. Export again, or import with ?on_conflict=skip to apply the rest.",
        "%(num)d texts were changed by someone else since this file was exported (first: %(first)s);"
        " nothing was imported. Export again, or import with ?on_conflict=skip to apply the rest.",
        len(conflicts),
        first=f"{first.sku}|{first.field}",
    )
    listed = [conflict.to_dict() for conflict in conflicts]
    report = {"updated": 0, "unchanged": 0, "errors": [], "stale": [], "conflicts": listed}
    return Conflict(detail, extra={"conflicts": listed, "report": report})
