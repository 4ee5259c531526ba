"""The demo show: a live stream with its run-sheet on air, two upcoming ones and their host."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t

import sqlalchemy as sa
from sqlalchemy.orm import Session

from catalog.models import Product
from catalog.models import Role
from catalog.models import Stream
from catalog.models import StreamStatus
from catalog.models import User
from catalog.schemas.parse import parse_model
from catalog.schemas.streams import LineupItemIn
from catalog.schemas.streams import StreamCreate
from catalog.services import lineup
from catalog.services import streams
from catalog.services import users
from catalog.services.cards import CardCache
from catalog.services.cursor import move_cursor
from translations.timezones import to_zone

DEMO_HOST = "demo-host"
#: How long the live demo show has been on air when it is (re)made.
ON_AIR_FOR = dt.timedelta(minutes=20)
#: The run-sheet item on air in the live demo show (1-based).
ON_AIR_POSITION = 3


@dataclasses.dataclass(frozen=True)
class DemoStream:
    """One demo stream: titles, audience, the host's zone, when it starts and its run-sheet."""

    titles: dict[str, str]
    time_zone: str
    locales: tuple[str, ...]
    currencies: tuple[str, ...]
    duration_minutes: int
    skus: tuple[str, ...]
    #: SKU to (flash price, minutes from now it starts, minutes it runs)
    flash: dict[str, tuple[str, int, int]] = dataclasses.field(default_factory=dict)
    #: Local start time and days ahead; ``None`` for the show on air now.
    local_start: tuple[int, int, int] | None = None


LIVE_SHOW = DemoStream(
    titles={
        "en": "Silk Road Market, live from Urumqi",
        "zh": "丝路市集 · 乌鲁木齐直播",
        "ru": "Рынок Шёлкового пути: прямой эфир из Урумчи",
        "kk": "Жібек жолы базары: Үрімжіден тікелей эфир",
    },
    time_zone="Asia/Urumqi",
    locales=("zh", "ru", "kk", "en"),
    currencies=("CNY", "KZT", "RUB", "USD"),
    duration_minutes=120,
    skus=(
        "KZ-DAIRY-002",
        "GE-WINE-001",
        "KG-HONEY-001",
        "IR-SAFFRON-001",
        "UZ-SCARF-001",
        "AZ-TEA-001",
        "TJ-DRIED-001",
        "MN-CASH-001",
        "AM-DRIED-001",
        "PK-SALT-001",
        "KZ-SWEETS-002",
        "AF-CARPET-002",
    ),
    flash={"KG-HONEY-001": ("69.00", -3, 15), "MN-CASH-001": ("749.00", 45, 15)},
)
UPCOMING_SHOWS = (
    DemoStream(
        titles={
            "en": "Almaty evening: honey, felt and steppe sweets",
            "ru": "Вечер в Алматы: мёд, войлок и степные сладости",
            "kk": "Алматы кеші: бал, киіз және дала тәттілері",
        },
        time_zone="Asia/Almaty",
        locales=("kk", "ru", "en"),
        currencies=("KZT", "CNY"),
        duration_minutes=90,
        skus=("KZ-HONEY-001", "KZ-FELT-001", "KZ-SWEETS-001", "KZ-DAIRY-003", "KZ-TEA-001"),
        local_start=(19, 0, 1),
    ),
    DemoStream(
        titles={
            "en": "Fergana Valley treasures: silk, ceramics and dried fruit",
            "zh": "费尔干纳珍品：丝绸、陶瓷与果干",
            "uz": "Fargʻona vodiysi xazinalari: ipak, sopol va quritilgan mevalar",
        },
        time_zone="Asia/Shanghai",
        locales=("zh", "uz", "en"),
        currencies=("CNY", "UZS"),
        duration_minutes=60,
        skus=("UZ-CERAMICS-001", "UZ-DRIED-001", "UZ-NUTS-001", "UZ-SPICES-001"),
        local_start=(20, 0, 2),
    ),
)


@dataclasses.dataclass
class DemoShowReport:
    host: User
    host_token: str | None = None
    created: list[int] = dataclasses.field(default_factory=list)
    existing: list[int] = dataclasses.field(default_factory=list)
    live_id: int | None = None


def demo_host(session: Session) -> tuple[User, str | None]:
    """The demo host account, with its first token when it is made now."""
    host = session.scalar(sa.select(User).where(User.name == DEMO_HOST))
    if host is not None:
        return host, None
    return users.add_user(session, DEMO_HOST, Role.HOST, ["zh", "ru", "kk", "en"])


def _starts_at(show: DemoStream, now: dt.datetime) -> dt.datetime:
    if show.local_start is None:
        return now - ON_AIR_FOR
    hour, minute, days = show.local_start
    local = to_zone(now, show.time_zone) + dt.timedelta(days=days)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0).astimezone(dt.UTC)


def _find(session: Session, show: DemoStream, host: User) -> Stream | None:
    hosted = session.scalars(sa.select(Stream).where(Stream.host_id == host.id).order_by(Stream.id))
    return next((s for s in hosted if s.title.get("en") == show.titles["en"]), None)


def _run_sheet(session: Session, show: DemoStream, now: dt.datetime) -> list[LineupItemIn]:
    rows = session.execute(sa.select(Product.sku, Product.id).where(Product.sku.in_(show.skus)))
    ids: dict[str, int] = {sku: product_id for sku, product_id in rows}
    items: list[LineupItemIn] = []
    for sku in show.skus:
        if sku not in ids:
            continue
        flash = None
        if sku in show.flash:
            amount, starts_in, minutes = show.flash[sku]
            starts = now + dt.timedelta(minutes=starts_in)
            flash = {"amount": amount, "starts_at": starts, "ends_at": starts + dt.timedelta(minutes=minutes)}
        items.append(parse_model(LineupItemIn, {"product_id": ids[sku], "flash": flash}))
    return items


def _create(session: Session, show: DemoStream, host: User, now: dt.datetime) -> Stream:
    data = parse_model(
        StreamCreate,
        {
            "title": show.titles,
            "starts_at": _starts_at(show, now),
            "duration_minutes": show.duration_minutes,
            "locales": list(show.locales),
            "currencies": list(show.currencies),
            "time_zone": show.time_zone,
        },
    )
    stream = streams.create_stream(session, data, host, show.time_zone)
    stream_id = stream.id
    stream, cursor = streams.lock_stream(session, stream_id)
    lineup.set_lineup(session, stream, cursor, _run_sheet(session, show, now), "items.{i}.product_id")
    stream.version += 1
    session.flush()
    return stream


def _keep_current(stream: Stream, show: DemoStream, now: dt.datetime) -> None:
    """Move an existing demo stream whose time has passed back into the present (or the future)."""
    if show.local_start is None:
        if stream.status is not StreamStatus.LIVE or stream.ends_at > now:
            return
        shift = now - ON_AIR_FOR - stream.starts_at
    elif stream.status is StreamStatus.SCHEDULED and stream.starts_at < now:
        shift = _starts_at(show, now) - stream.starts_at
    else:
        return
    stream.starts_at += shift
    if stream.started_at is not None:
        stream.started_at += shift
    for item in stream.items:
        if item.flash_starts_at is not None and item.flash_ends_at is not None:
            item.flash_starts_at += shift
            item.flash_ends_at += shift
    stream.version += 1


def load_demo_show(session: Session, now: dt.datetime, cache: CardCache, low_stock: int) -> DemoShowReport:
    """Create the demo host and streams that are missing, the first live with a card on air."""
    host, token = demo_host(session)
    report = DemoShowReport(host=host, host_token=token)
    for show in (LIVE_SHOW, *UPCOMING_SHOWS):
        stream = _find(session, show, host)
        if stream is not None:
            _keep_current(stream, show, now)
            report.existing.append(stream.id)
        else:
            stream = _create(session, show, host, now)
            report.created.append(stream.id)
            if show.local_start is None:
                streams.start_stream(session, stream, host, now - ON_AIR_FOR)
                session.flush()
                if len(stream.items) >= ON_AIR_POSITION:
                    move_cursor(session, stream.id, "goto", ON_AIR_POSITION, host, now, cache, low_stock)
        if show.local_start is None:
            report.live_id = stream.id
    session.flush()
    return report


def demo_streams(session: Session) -> t.Sequence[Stream]:
    """The streams of the demo host, oldest first."""
    host = session.scalar(sa.select(User).where(User.name == DEMO_HOST))
    if host is None:
        return []
    return list(session.scalars(sa.select(Stream).where(Stream.host_id == host.id).order_by(Stream.id)))
