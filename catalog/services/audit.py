"""Recording changes in the audit log."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import AuditEntry
from catalog.models import User
from catalog.services import detached


def record(
    session: Session,
    user: User | None,
    action: str,
    entity_type: str,
    entity_id: t.Any,
    changes: t.Mapping[str, t.Any] | None = None,
    add: t.Callable[[t.Any], None] | None = None,
) -> AuditEntry:
    """Add an audit entry in the caller's transaction: to the session, or given to *add* (a batch
    that writes it itself: :func:`catalog.services.detached.insert_detached`)."""
    return detached.added(
        session,
        add,
        AuditEntry,
        user_id=user.id if user else None,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        changes=dict(changes or {}),
    )


def diff(before: t.Mapping[str, t.Any], after: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The fields that differ, as ``{field: [old, new]}``."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def history(session: Session, entity_type: str, entity_id: t.Any, limit: int = 100) -> list[AuditEntry]:
    """The latest changes to one entity, newest first."""
    stmt = (
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def user_names(session: Session, entries: t.Iterable[AuditEntry]) -> dict[int, str]:
    """The names of the users who made *entries*, by id."""
    ids = {e.user_id for e in entries if e.user_id is not None}
    rows = session.execute(sa.select(User.id, User.name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}
