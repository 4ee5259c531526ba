"""Bearer tokens and roles: who is asking, and may they."""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import typing as t

import sqlalchemy as sa
from flask import g
from flask import request
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.caches import remembered
from catalog.db import get_session
from catalog.errors import Forbidden
from catalog.errors import Unauthorized
from catalog.models import ApiToken
from catalog.models import Reader
from catalog.models import Role
from catalog.models import User

TOKEN_PREFIX = "tsk_"
#: Methods that change nothing: their token is checked against what was last read of it.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclasses.dataclass(frozen=True)
class TokenHolder:
    """The active user a valid token belongs to, as remembered until its user or token changes."""

    id: int
    role: Role
    disabled: bool = False


def hash_token(token: str) -> str:
    """The stored form of *token*: its SHA-256 in hex (tokens are long and random)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User) -> str:
    """Create a token for *user*; the token is returned once and only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    epoch = user.session_epoch or 0
    session.add(ApiToken(user=user, token_hash=hash_token(token), prefix=token[:12], epoch=epoch))
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user holding the unrevoked *token* of their current session epoch, if any."""
    row = session.execute(
        sa.select(User, ApiToken.epoch)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    ).one_or_none()
    if row is None:
        return None
    user, epoch = row
    if user.disabled or epoch != user.session_epoch:
        return None
    return user


def holder_of_token(token: str) -> TokenHolder | None:
    """Who holds the valid *token*, read again only once the users or their tokens have changed.

    Confirmed with the database first, so that a token ended by another process a moment ago
    fails now, and the rest of a staff request sees every commit made before it.
    """

    def load(session: Session) -> TokenHolder | None:
        user = user_for_token(session, token)
        return None if user is None else TokenHolder(user.id, user.role)

    return remembered(
        ("token", hash_token(token)), load, keep=lambda holder: holder is not None, confirm=True
    )


def _bearer_token() -> str | None:
    """The token this request sends, ``None`` without one; 401 for another scheme or an empty token."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            gettext("Send the token as: Authorization: Bearer <token>."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


def _invalid_token() -> Unauthorized:
    return Unauthorized(
        gettext("This token is not valid or has been revoked."),
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def current_user() -> User | None:
    """The user of this request's bearer token, checked in the database; 401 when a token is sent but not valid."""
    if "user" in g:
        return t.cast(User | None, g.user)
    token = _bearer_token()
    user = None
    if token is not None:
        user = user_for_token(get_session(), token)
        if user is None:
            raise _invalid_token()
    g.user = user
    return user


def current_reader() -> Reader | None:
    """Who this request's bearer token belongs to; 401 when a token is sent but not valid.

    A request that changes nothing is answered on what was last read of its token (a revoked
    token is refused from the next change on); any other request checks it in the database.
    """
    if request.method not in READING_METHODS or "user" in g:
        return current_user()
    token = _bearer_token()
    if token is None:
        return None
    holder = holder_of_token(token)
    if holder is None:
        raise _invalid_token()
    return holder


def require_user(*roles: Role) -> User:
    """The current user, who must hold one of *roles* (any role when none are given)."""
    user = current_user()
    _check_role(user, roles)
    return t.cast(User, user)


def require_reader(*roles: Role) -> Reader:
    """Who is asking (see :func:`current_reader`), who must hold one of *roles* (any when none are given)."""
    reader = current_reader()
    _check_role(reader, roles)
    return t.cast(Reader, reader)


def _check_role(reader: Reader | None, roles: tuple[Role, ...]) -> None:
    if reader is None:
        raise Unauthorized(
            gettext("This needs a token: Authorization: Bearer <token>."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    if roles and reader.role not in roles:
        raise Forbidden(
            gettext(
                "Your role (%(role)s) may not do this; it needs: %(roles)s.",
                role=reader.role.value,
                roles=", ".join(r.value for r in roles),
            )
        )
