"""Failed sign-ins, counted in the database so that every worker process shares the count."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from catalog.models.base import Base
from catalog.models.base import UTCDateTime


class SigninFailure(Base):
    """The failed sign-ins of one name from one address since ``window_start``.

    ``key`` is the SHA-256 of the name (casefolded) and the address, so the names people type
    (now and then a password typed into the wrong field) are not kept in clear.
    """

    __tablename__ = "signin_failures"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int]
    window_start: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)

    def __repr__(self) -> str:
        return f"SigninFailure({self.key[:8]}…, {self.failures})"
