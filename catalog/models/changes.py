"""How many committed transactions have written each table (read by :mod:`catalog.freshness`)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from catalog.models.base import Base


class TableChangeCount(Base):
    """One table's count of committed transactions that wrote it (SQLite; ``*``: tables unknown)."""

    __tablename__ = "table_change_counts"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    commits: Mapped[int] = mapped_column(sa.BigInteger)
