"""People who change the catalog, and the API tokens they use (stored hashed)."""

from __future__ import annotations

import datetime as dt
import enum
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from catalog.models.base import Base
from catalog.models.base import UTCDateTime
from catalog.models.base import created_at
from catalog.models.base import intpk


class Role(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    HOST = "host"
    TRANSLATOR = "translator"


class Reader(t.Protocol):
    """Whoever an answer is shown to: a :class:`User`, or what a request's token says of one."""

    @property
    def role(self) -> Role: ...

    @property
    def disabled(self) -> bool: ...


class User(Base):
    """A member of staff: admin, editor, host or translator (bound to locales)."""

    __tablename__ = "users"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    role: Mapped[Role] = mapped_column(
        sa.Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    locales: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    disabled: Mapped[bool] = mapped_column(default=False)
    #: Raised to end every session and token of the user at once (sign-out, revoke, password, disable).
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[created_at]

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def can_translate(self, locale: str) -> bool:
        """Whether this user may write listings in *locale*."""
        if self.role in (Role.ADMIN, Role.EDITOR):
            return True
        return self.role is Role.TRANSLATOR and locale in self.locales

    def __repr__(self) -> str:
        return f"User({self.name!r}, {self.role.value})"


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    #: The user's session epoch when the token was issued; a later epoch ends it.
    epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[created_at]
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens", lazy="joined")
