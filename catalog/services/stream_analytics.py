"""Live product analytics: cards seen, product pages opened and "want" taps per product, minute and locale.

Viewer pages send a beacon for each; nothing names the viewer. The host console reads the
figures of the card on air while the show runs, and the API and the recap give them afterwards.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import typing as t

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.analytics.counters import Counter
from catalog.analytics.counters import CounterWriter
from catalog.domain_errors import Invalid
from catalog.domain_errors import NotFound
from catalog.models import LineupItem
from catalog.models import Product
from catalog.models import Stream
from catalog.models import StreamProductCount
from catalog.models import StreamStatus
from catalog.presenting.products import localized
from catalog.presenting.sheets import CSV_BOM
from catalog.security.cells import neutralised_row
from catalog.services.chapters import chapters

BEACONS = Counter(
    t.cast(sa.Table, StreamProductCount.__table__),
    ("stream_id", "minute", "product_id", "locale"),
    ("seen", "opened", "wants"),
)
#: Which count each beacon adds to.
KIND_COUNTS: dict[str, tuple[int, int, int]] = {"seen": (1, 0, 0), "opened": (0, 1, 0), "want": (0, 0, 1)}
COUNT_NAMES = ("seen", "opened", "wants")
CSV_COLUMNS = ("minute", "product_id", "sku", "locale", "seen", "opened", "wants")
#: The window of "most wanted" on the host console.
RECENT = dt.timedelta(minutes=5)


def minute_of(moment: dt.datetime) -> dt.datetime:
    """The start of *moment*'s minute (UTC)."""
    return moment.astimezone(dt.UTC).replace(second=0, microsecond=0)


@dataclasses.dataclass(frozen=True)
class BeaconTarget:
    """What a beacon for one stream is checked against: whether it is on air, and its run-sheet."""

    live: bool
    products: frozenset[int]


def beacon_target(session: Session, stream_id: int) -> BeaconTarget | None:
    """The stream's state for checking beacons (one query), or ``None`` when there is no such stream."""
    rows = session.execute(
        sa.select(Stream.status, LineupItem.product_id)
        .outerjoin(LineupItem, LineupItem.stream_id == Stream.id)
        .where(Stream.id == stream_id)
    ).all()
    if not rows:
        return None
    products = frozenset(product_id for _, product_id in rows if product_id is not None)
    return BeaconTarget(rows[0][0] is StreamStatus.LIVE, products)


def record_beacon(
    writer: CounterWriter,
    target: BeaconTarget | None,
    *,
    stream_id: int,
    kind: str,
    product_id: int,
    locale: str,
    now: dt.datetime,
) -> None:
    """Count one beacon: 404 for an unknown stream, 422 when it is not live or the product is not on its run-sheet."""
    if target is None:
        raise NotFound(gettext("There is no stream %(id)s.", id=stream_id))
    if not target.live:
        raise Invalid.field("stream", gettext("Stream %(id)s is not on air.", id=stream_id))
    if product_id not in target.products:
        raise Invalid.field(
            "product_id", gettext("Product %(id)s is not on this show's run-sheet.", id=product_id)
        )
    writer.add(BEACONS, (stream_id, minute_of(now), product_id, locale), KIND_COUNTS[kind])


def _counts(seen: int = 0, opened: int = 0, wants: int = 0) -> dict[str, int]:
    return {"seen": int(seen), "opened": int(opened), "wants": int(wants)}


def _add(into: dict[str, int], row: t.Any) -> None:
    for name in COUNT_NAMES:
        into[name] += int(getattr(row, name))


def minute_rows(
    session: Session, stream_id: int, since: dt.datetime | None = None
) -> list[StreamProductCount]:
    """The stream's counters in time order (from *since*'s minute, when given)."""
    query = sa.select(StreamProductCount).where(StreamProductCount.stream_id == stream_id)
    if since is not None:
        query = query.where(StreamProductCount.minute >= minute_of(since))
    order = (StreamProductCount.minute, StreamProductCount.product_id, StreamProductCount.locale)
    return list(session.scalars(query.order_by(*order)))


def _products(session: Session, ids: t.Iterable[int]) -> dict[int, Product]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {p.id: p for p in session.scalars(sa.select(Product).where(Product.id.in_(wanted)))}


def product_totals(
    session: Session, rows: t.Sequence[StreamProductCount], locale: str
) -> list[dict[str, t.Any]]:
    """Per product: totals and totals per viewer locale, most wanted first."""
    totals: dict[int, dict[str, t.Any]] = {}
    for row in rows:
        entry = totals.setdefault(row.product_id, {**_counts(), "by_locale": {}})
        _add(entry, row)
        _add(entry["by_locale"].setdefault(row.locale, _counts()), row)
    products = _products(session, totals)
    found = []
    for product_id, entry in totals.items():
        product = products.get(product_id)
        name = localized(product, locale)["name"] if product is not None else ""
        found.append({"product_id": product_id, "sku": product.sku if product else "", "name": name, **entry})
    found.sort(key=lambda e: (-e["wants"], -e["opened"], -e["seen"], e["product_id"]))
    return found


def stream_analytics(session: Session, stream: Stream, locale: str) -> dict[str, t.Any]:
    """Everything counted for *stream*: totals, per product (and locale), and per minute."""
    rows = minute_rows(session, stream.id)
    totals = _counts()
    for row in rows:
        _add(totals, row)
    return {
        "stream_id": stream.id,
        "totals": totals,
        "products": product_totals(session, rows, locale),
        "minutes": [
            {
                "minute": row.minute.isoformat(),
                "product_id": row.product_id,
                "locale": row.locale,
                **_counts(row.seen, row.opened, row.wants),
            }
            for row in rows
        ],
    }


def analytics_csv(summary: t.Mapping[str, t.Any]) -> str:
    """Per minute, product and locale as CSV (UTF-8 with a BOM, a header row)."""
    skus = {p["product_id"]: p["sku"] for p in summary["products"]}
    out = io.StringIO(CSV_BOM)
    out.seek(0, io.SEEK_END)
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in summary["minutes"]:
        writer.writerow(neutralised_row({**row, "sku": skus.get(row["product_id"], "")}))
    return out.getvalue()


def per_minute(count_now: int, count_before: int, now: dt.datetime) -> int:
    """A rate per minute over the last 60 seconds, from the counts of this minute and the one before.

    The minute before counts for the part of it still inside the last 60 seconds.
    """
    elapsed = (now - minute_of(now)).total_seconds() / 60
    return round(count_now + count_before * (1 - elapsed))


def live_panel(
    session: Session, stream_id: int, on_air: int | None, locale: str, now: dt.datetime
) -> dict[str, t.Any]:
    """For the host console: views and wants per minute of the card on air by locale; most wanted lately."""
    rows = minute_rows(session, stream_id, now - RECENT)
    this_minute, last_minute = minute_of(now), minute_of(now) - dt.timedelta(minutes=1)
    by_locale: dict[str, dict[str, dict[str, int]]] = {}
    for row in rows:
        if row.product_id != on_air or row.minute not in (this_minute, last_minute):
            continue
        slot = by_locale.setdefault(row.locale, {"now": _counts(), "before": _counts()})
        _add(slot["now" if row.minute == this_minute else "before"], row)
    locales = [
        {
            "locale": code,
            "views_per_minute": per_minute(slot["now"]["seen"], slot["before"]["seen"], now),
            "wants_per_minute": per_minute(slot["now"]["wants"], slot["before"]["wants"], now),
        }
        for code, slot in sorted(by_locale.items())
    ]
    wanted = [p for p in product_totals(session, rows, locale) if p["wants"]][:5]
    return {
        "on_air": on_air,
        "locales": locales,
        "most_wanted": [
            {"product_id": p["product_id"], "name": p["name"], "wants": p["wants"]} for p in wanted
        ],
    }


def funnel(session: Session, stream: Stream, locale: str, now: dt.datetime) -> dict[str, t.Any]:
    """For the recap: per-product totals, the funnel seen → opened → wanted, and its minutes with markers.

    Markers are the cursor's moves and the flash sales' starts and ends, each at its moment, so a
    rise in wants can be read against what was on air and what it cost.
    """
    rows = minute_rows(session, stream.id)
    totals = _counts()
    by_minute: dict[dt.datetime, dict[str, int]] = {}
    for row in rows:
        _add(totals, row)
        _add(by_minute.setdefault(row.minute, _counts()), row)
    markers = []
    if stream.started_at is not None:
        delay = stream.display_delay_seconds
        for chapter in chapters(session, stream, locale, now):
            at = stream.started_at + dt.timedelta(seconds=chapter["start"] - delay)
            markers.append(
                {
                    "at": at.isoformat(),
                    "minute": minute_of(at).isoformat(),
                    "kind": "move"
                    if chapter["kind"] not in ("flash_start", "flash_end")
                    else chapter["kind"],
                    "product_id": chapter["product_id"],
                    "number": chapter["number"],
                    "title": chapter["title"],
                }
            )
    return {
        "funnel": {
            **totals,
            "opened_of_seen": round(totals["opened"] / totals["seen"], 4) if totals["seen"] else None,
            "wants_of_seen": round(totals["wants"] / totals["seen"], 4) if totals["seen"] else None,
        },
        "products": product_totals(session, rows, locale),
        "minutes": [{"minute": minute.isoformat(), **counts} for minute, counts in sorted(by_minute.items())],
        "markers": markers,
    }
