"""Analytics counters: searches and clicks per hour, show beacons per minute; no user, no address.

Every row is a counter keyed by its time bucket and a few plain values, added to by
:class:`catalog.analytics.counters.CounterWriter` in batches; nothing names who searched or watched.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from catalog.models.base import Base
from catalog.models.base import UTCDateTime

#: The longest query kept (longer ones are cut): the search itself refuses more than 200 characters.
QUERY_LENGTH = 200


class SearchCount(Base):
    """Searches of one normalized query in one reading locale within one hour."""

    __tablename__ = "search_counts"

    hour: Mapped[dt.datetime] = mapped_column(UTCDateTime, primary_key=True)
    locale: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    query: Mapped[str] = mapped_column(sa.String(QUERY_LENGTH), primary_key=True)
    script: Mapped[str] = mapped_column(sa.String(8))
    searches: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    zero_results: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    results: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    engine_micros: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class SearchClickCount(Base):
    """Clicks on the result at one position of one query's results within one hour."""

    __tablename__ = "search_click_counts"

    hour: Mapped[dt.datetime] = mapped_column(UTCDateTime, primary_key=True)
    locale: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    query: Mapped[str] = mapped_column(sa.String(QUERY_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    clicks: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class StreamProductCount(Base):
    """What the viewers of one locale did with one product of a show within one minute."""

    __tablename__ = "stream_product_counts"

    stream_id: Mapped[int] = mapped_column(sa.ForeignKey("streams.id", ondelete="CASCADE"), primary_key=True)
    minute: Mapped[dt.datetime] = mapped_column(UTCDateTime, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        sa.ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    #: The card was seen on the show page.
    seen: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    #: The product page was opened from the show or its QR code.
    opened: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    #: "I want this" was tapped on the show page.
    wants: Mapped[int] = mapped_column(sa.BigInteger, default=0)
