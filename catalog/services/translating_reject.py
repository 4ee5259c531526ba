"""Sending a translation back to its translator with a comment, instead of approving it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import AuditEntry
from catalog.models import ContentRevision
from catalog.models import Product
from catalog.models import User
from catalog.services.translating import record_change
from catalog.services.translating import reviewable_revision

REJECT = "translation.reject"


@dataclasses.dataclass(frozen=True)
class Rejection:
    """A reviewer's request for changes to one revision."""

    revision: int
    note: str
    reviewer: str | None
    at: dt.datetime


def reject_translation(
    session: Session, product: Product, locale: str, user: User, note: str, *, revision: int | None = None
) -> ContentRevision:
    """Send the current *locale* text back with *note*: whoever may review it may reject it.

    The text stays a draft, visible as before; the comment waits on it until a new revision.
    """
    current = reviewable_revision(session, product, locale, user, revision)
    record_change(session, user, REJECT, product, locale, {"revision": current.number, "note": note})
    return current


def rejections(session: Session, product_ids: list[int], locale: str) -> dict[int, Rejection]:
    """The latest rejection of each product's *locale* text, whatever revision it was of."""
    if not product_ids:
        return {}
    keys = [f"{product_id}/{locale}" for product_id in product_ids]
    rows = session.execute(
        sa.select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(
            AuditEntry.entity_type == "translation",
            AuditEntry.entity_id.in_(keys),
            AuditEntry.action == REJECT,
        )
        .order_by(AuditEntry.id)
    )
    found: dict[int, Rejection] = {}
    for entry, reviewer in rows:
        found[int(entry.entity_id.split("/")[0])] = Rejection(
            int(entry.changes["revision"]), str(entry.changes["note"]), reviewer, entry.at
        )
    return found
