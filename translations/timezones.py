"""IANA time zones, always read from the ``tzdata`` package.

The system's zoneinfo database may be older than the rules the catalog relies on
(Asia/Almaty moved to UTC+5 on 1 March 2024), and ``zoneinfo.ZoneInfo`` prefers
the system copy. Zones are therefore loaded from the ``tzdata`` package's own
files, so every machine converts times the same way.
"""

from __future__ import annotations

import functools
from datetime import UTC
from datetime import datetime
from importlib import resources
from zoneinfo import ZoneInfo


class UnknownTimeZone(ValueError):
    """A name is not an IANA time zone known to the bundled ``tzdata``."""


class NaiveDatetime(ValueError):
    """A datetime without an offset was given where a moment in time is needed."""


@functools.cache
def available_zones() -> frozenset[str]:
    """Return every zone name (including links such as ``Asia/Kashgar``) in ``tzdata``."""
    listing = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in listing.splitlines() if line.strip())


def tzdata_version() -> str:
    """Return the IANA release of the bundled data, e.g. ``2026f``."""
    import tzdata

    return str(tzdata.IANA_VERSION)


def check_zone_name(name: str) -> str:
    """Return *name* if it is a known IANA zone, else raise :class:`UnknownTimeZone`."""
    if isinstance(name, str) and name in available_zones():
        return name
    hint = ""
    if isinstance(name, str):
        folded = {zone.casefold(): zone for zone in available_zones()}
        if name.strip().casefold() in folded:
            hint = f" (did you mean {folded[name.strip().casefold()]!r}?)"
    raise UnknownTimeZone(f"unknown time zone {name!r}{hint}; use an IANA name such as Asia/Almaty")


@functools.cache
def load_zone(name: str) -> ZoneInfo:
    """Return the zone *name* built from the ``tzdata`` package's file."""
    check_zone_name(name)
    resource = resources.files("tzdata.zoneinfo").joinpath(*name.split("/"))
    with resource.open("rb") as data:
        return ZoneInfo.from_file(data, key=name)


def require_aware(moment: datetime, what: str = "datetime") -> datetime:
    """Return *moment* if it carries a UTC offset, else raise :class:`NaiveDatetime`."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetime(f"{what} {moment.isoformat()} has no UTC offset; give one")
    return moment


def to_zone(moment: datetime, zone: str) -> datetime:
    """Express an aware *moment* as local time in IANA *zone*."""
    return require_aware(moment).astimezone(load_zone(zone))


def to_utc(moment: datetime) -> datetime:
    """Express an aware *moment* in UTC (how the catalog stores time)."""
    return require_aware(moment).astimezone(UTC)


def local_to_utc(local: datetime, zone: str) -> datetime:
    """Interpret a naive wall-clock *local* time in *zone* and return it in UTC.

    An ambiguous time (the repeated hour when DST ends) is read as the first
    occurrence (``fold=0``); a time skipped by DST start is moved forward by the gap,
    as :mod:`zoneinfo` does.
    """
    if local.tzinfo is not None:
        raise ValueError("local_to_utc takes a naive wall-clock time; it gets its zone")
    return local.replace(tzinfo=load_zone(zone)).astimezone(UTC)
