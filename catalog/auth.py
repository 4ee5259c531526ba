"""Bearer tokens and roles: who is asking, and may they."""

from __future__ import annotations

import functools
import hashlib
import secrets
import typing as t

import sqlalchemy as sa
from flask import g
from flask import request
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.db import get_session
from catalog.errors import Forbidden
from catalog.errors import Unauthorized
from catalog.models import ApiToken
from catalog.models import Role
from catalog.models import User

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
TOKEN_PREFIX = "tsk_"


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


def current_user() -> User | None:
    """The user of this request's bearer token; 401 when a token is sent but not valid."""
    if "user" in g:
        return t.cast(User | None, g.user)
    header = request.headers.get("Authorization", "")
    user = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized(
                gettext("Send the token as: Authorization: Bearer <token>."),
                headers={"WWW-Authenticate": "Bearer"},
            )
        user = user_for_token(get_session(), token.strip())
        if user is None:
            raise Unauthorized(
                gettext("This token is not valid or has been revoked."),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
    g.user = user
    return user


def require_user(*roles: Role) -> User:
    """The current user, who must hold one of *roles* (any role when none are given)."""
    user = current_user()
    if user is None:
        raise Unauthorized(
            gettext("This needs a token: Authorization: Bearer <token>."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    if roles and user.role not in roles:
        raise Forbidden(
            gettext(
                "Your role (%(role)s) may not do this; it needs: %(roles)s.",
                role=user.role.value,
                roles=", ".join(r.value for r in roles),
            )
        )
    return user


def roles_required(*roles: Role) -> t.Callable[[F], F]:
    """View decorator: demand a token of one of *roles*; the view's ``operation`` records them."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            require_user(*roles)
            return view(*args, **kwargs)

        wrapper.required_roles = roles  # type: ignore[attr-defined]
        return t.cast(F, wrapper)

    return decorator
