"""Who controls a stream: its host, its co-hosts and admins; every other member of staff only reads it."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import Forbidden
from catalog.domain_errors import Invalid
from catalog.models import Role
from catalog.models import Stream
from catalog.models import User
from catalog.services import audit


def controls(stream: Stream, user: User | None) -> bool:
    """Whether *user* may change *stream* (title, run-sheet, start, cursor, end)."""
    if user is None or user.disabled:
        return False
    if user.role is Role.ADMIN or user.id == stream.host_id:
        return True
    return any(co_host.id == user.id for co_host in stream.co_hosts)


def require_control(stream: Stream, user: User | None) -> None:
    """403 unless *user* controls *stream*."""
    if not controls(stream, user):
        raise Forbidden(
            gettext(
                "Stream %(id)s is run by its host; they or an admin can add you as a co-host.",
                id=stream.id,
            )
        )


def set_co_hosts(session: Session, stream: Stream, names: t.Sequence[str], user: User) -> list[User]:
    """Make the hosts called *names* the co-hosts of *stream* (its host or an admin only); 422 for others."""
    if user.role is not Role.ADMIN and user.id != stream.host_id:
        raise Forbidden(gettext("Only the stream's host or an admin chooses its co-hosts."))
    wanted = list(dict.fromkeys(names))
    found = {u.name: u for u in session.scalars(sa.select(User).where(User.name.in_(wanted)))}
    errors = [
        {"field": f"co_hosts.{i}", "message": gettext("There is no host called %(name)s.", name=name)}
        for i, name in enumerate(wanted)
        if name not in found or found[name].role not in (Role.HOST, Role.ADMIN) or found[name].disabled
    ]
    if errors:
        raise Invalid(gettext("Co-hosts must be active hosts."), errors=t.cast(t.Any, errors))
    before = sorted(u.name for u in stream.co_hosts)
    stream.co_hosts = [found[name] for name in wanted if found[name].id != stream.host_id]
    after = sorted(u.name for u in stream.co_hosts)
    if before != after:
        stream.version += 1
        audit.record(session, user, "stream.co_hosts", "stream", stream.id, {"co_hosts": [before, after]})
    return stream.co_hosts
