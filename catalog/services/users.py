"""Staff accounts and their tokens."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.auth import issue_token
from catalog.models import ApiToken
from catalog.models import Role
from catalog.models import User
from catalog.validation import CONTENT_LOCALES


class UserError(ValueError):
    """A user cannot be added as asked."""


def add_user(session: Session, name: str, role: Role, locales: list[str] | None = None) -> tuple[User, str]:
    """Add a user and return it with its first token (shown once)."""
    locales = list(locales or [])
    unknown = [loc for loc in locales if loc not in CONTENT_LOCALES]
    if unknown:
        raise UserError(f"unknown locale(s) {', '.join(unknown)}; use {', '.join(CONTENT_LOCALES)}")
    if role is Role.TRANSLATOR and not locales:
        raise UserError("a translator needs at least one --locale")
    if session.scalar(sa.select(User.id).where(User.name == name)):
        raise UserError(f"a user named {name!r} exists already")
    user = User(name=name, role=role, locales=locales)
    session.add(user)
    token = issue_token(session, user)
    session.flush()
    return user, token


def revoke_tokens(session: Session, user: User) -> int:
    """Revoke every token of *user*; they stop working at once."""
    now = dt.datetime.now(dt.UTC)
    tokens = session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = now
    return len(tokens)


def end_sessions(session: Session, user: User) -> None:
    """End every web session and API token of *user* at once by raising their session epoch."""
    user.session_epoch = (user.session_epoch or 0) + 1


def revoke_access(session: Session, user: User) -> int:
    """Revoke every token of *user* and end their web sessions; how many tokens were live."""
    count = revoke_tokens(session, user)
    end_sessions(session, user)
    return count


def disable_user(session: Session, user: User) -> int:
    """Disable *user*: no sign-in, no session, no token works any more; how many tokens were live."""
    user.disabled = True
    return revoke_access(session, user)
