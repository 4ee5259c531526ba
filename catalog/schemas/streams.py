"""Shapes of live streams, run-sheets, cursor moves and webhooks."""

from __future__ import annotations

import datetime as dt
import typing as t
import urllib.parse

from pydantic import AfterValidator
from pydantic import BaseModel
from pydantic import BeforeValidator
from pydantic import Field
from pydantic import StrictInt
from pydantic import StringConstraints

from catalog.errors import FieldError
from catalog.routing import MAX_ID
from catalog.schemas.common import AmountString
from catalog.schemas.common import ContentLocale
from catalog.schemas.common import CurrencyCode
from catalog.schemas.common import Plain
from catalog.schemas.common import StoredNumber
from catalog.schemas.common import Strict
from catalog.schemas.queries import QueryBase
from catalog.schemas.queries import ReadingLocale
from translations.locales import READING_LOCALES
from translations.timezones import UnknownTimeZone
from translations.timezones import check_zone_name

CursorAction = t.Literal["next", "prev", "goto", "pin", "unpin"]
WebhookEvent = t.Literal["stream.started", "card.changed", "stream.ended"]
WEBHOOK_EVENTS: tuple[WebhookEvent, ...] = ("stream.started", "card.changed", "stream.ended")


def _aware(value: t.Any) -> dt.datetime:
    example = "2026-12-01T19:00:00+06:00"
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date and time, such as {example}.") from None
    else:
        raise ValueError(f"Give the time as an ISO 8601 string with an offset, such as {example}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{value!r} has no UTC offset; add one, such as {example}.")
    return moment.astimezone(dt.UTC)


def _zone(name: str) -> str:
    try:
        return check_zone_name(name)
    except UnknownTimeZone as exc:
        raise ValueError(str(exc)) from None


def _unique(values: list[t.Any]) -> list[t.Any]:
    if len(set(values)) != len(values):
        raise ValueError("Each value may appear only once.")
    return values


AwareTime = t.Annotated[
    dt.datetime,
    BeforeValidator(_aware),
    Field(examples=["2026-12-01T19:00:00+06:00"], description="ISO 8601 with a UTC offset"),
]
TimeZoneName = t.Annotated[
    str, BeforeValidator(lambda v: _zone(v) if isinstance(v, str) else v), Field(examples=["Asia/Almaty"])
]
Title = t.Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Plain]
# Uniqueness is checked after the type: a null, a number or a list of lists is a 422 like any other.
Locales = t.Annotated[
    list[ReadingLocale],
    Field(min_length=1, max_length=len(READING_LOCALES), json_schema_extra={"uniqueItems": True}),
    AfterValidator(_unique),
]
Currencies = t.Annotated[
    list[CurrencyCode],
    Field(min_length=1, max_length=6, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_unique),
]


def _replay_url(value: t.Any) -> t.Any:
    if not isinstance(value, str):
        return value
    parts = urllib.parse.urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("Give an http or https address of a video file or HLS playlist.")
    return value.strip()


ReplayUrl = t.Annotated[
    str,
    StringConstraints(max_length=2000),
    AfterValidator(_replay_url),
    Plain,
    Field(examples=["https://video.example.com/shows/12/index.m3u8"]),
]


class StreamFields(Strict):
    """Fields a stream may be created or changed with."""

    title: Title | dict[ContentLocale, Title] | None = Field(
        default=None, description="One title, or one per locale"
    )
    starts_at: AwareTime | None = None
    duration_minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    locales: Locales | None = None
    currencies: Currencies | None = None
    time_zone: TimeZoneName | None = Field(default=None, description="The host's IANA time zone")
    display_delay_seconds: int | None = Field(default=None, ge=0, le=600)
    replay_url: ReplayUrl | None = Field(default=None, description="The show's recording (http or https)")

    def field_errors(self) -> list[FieldError]:
        if isinstance(self.title, dict) and not self.title:
            return [{"field": "title", "message": "Give at least one locale's title."}]
        return []


class StreamCreate(StreamFields):
    """``POST /api/v1/streams``."""

    title: Title | dict[ContentLocale, Title]
    starts_at: AwareTime
    duration_minutes: int = Field(ge=1, le=24 * 60)
    locales: Locales
    currencies: Currencies


class StreamPatch(StreamFields):
    """``PATCH /api/v1/streams/{id}``: only the fields given change."""


class FlashIn(Strict):
    """A flash price for one run-sheet item, in the product's own currency."""

    amount: AmountString
    currency: CurrencyCode | None = Field(default=None, description="Must be the product's currency")
    starts_at: AwareTime
    ends_at: AwareTime
    per_viewer_limit: int | None = Field(default=None, ge=1, le=10_000)


class LineupItemIn(Strict):
    product_id: StoredNumber
    number: int | None = Field(default=None, ge=1, le=9999, description="Said on air; default: position")
    notes: t.Annotated[str, StringConstraints(max_length=2000), Plain] = ""
    flash: FlashIn | None = None


class LineupPut(Strict):
    """``PUT /api/v1/streams/{id}/lineup``: the whole run-sheet, in order."""

    product_ids: list[StoredNumber] | None = Field(default=None, max_length=500)
    items: list[LineupItemIn] | None = Field(default=None, max_length=500)

    def field_errors(self) -> list[FieldError]:
        if (self.product_ids is None) == (self.items is None):
            return [{"field": "body", "message": "Send either product_ids or items (not both)."}]
        return []

    def as_items(self) -> list[LineupItemIn]:
        if self.items is not None:
            return self.items
        return [LineupItemIn(product_id=pid) for pid in self.product_ids or []]


class LineupInsert(LineupItemIn):
    """``POST /api/v1/streams/{id}/lineup/items``: one item, at a position (default: the end)."""

    at: StoredNumber | None = Field(default=None, description="1-based position to insert at")


class LineupOrder(Strict):
    """``POST /api/v1/streams/{id}/lineup/order``: every run-sheet item id once, in the new order."""

    #: Strict: a JSON ``true`` or ``"1"`` is not an item id.
    item_ids: list[t.Annotated[StrictInt, Field(ge=1)]] = Field(max_length=500)


class FlashSwitch(Strict):
    """``POST /api/v1/streams/{id}/flash``: start or stop the flash sale of the card on air."""

    on: bool = Field(
        description="true starts it now (until its planned end or for 15 minutes); false ends it now"
    )


class CursorIn(Strict):
    """``POST /api/v1/streams/{id}/cursor``."""

    action: CursorAction
    position: int | None = Field(
        default=None, le=MAX_ID, description="1-based; for goto (and optionally pin)"
    )

    def field_errors(self) -> list[FieldError]:
        if self.action == "goto" and self.position is None:
            return [{"field": "position", "message": "goto needs a position."}]
        return []


class WebhookIn(Strict):
    """``POST /api/v1/streams/webhooks``."""

    url: t.Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    events: list[WebhookEvent] = Field(default=list(WEBHOOK_EVENTS), min_length=1)
    secret: t.Annotated[str, StringConstraints(min_length=16, max_length=128)] | None = None


class StreamListQuery(QueryBase):
    tz: str = Field(default="UTC", description="IANA time zone to show times in")
    locale: ReadingLocale | None = None
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = None


class ZoneQuery(QueryBase):
    tz: str | None = Field(default=None, description="IANA time zone; default: the host's")


class CoHostsIn(Strict):
    co_hosts: list[t.Annotated[str, Field(min_length=1, max_length=80)]] = Field(
        max_length=20, description="Names of the hosts who control the stream beside its host"
    )


class CalendarQuery(QueryBase):
    locale: ReadingLocale | None = None


class ChaptersQuery(QueryBase):
    locale: ReadingLocale | None = None


class Chapter(BaseModel):
    start: float = Field(description="Seconds into the recording (display delay applied)")
    end: float
    kind: t.Literal["next", "prev", "goto", "pin", "flash_start", "flash_end"]
    product_id: int | None
    sku: str | None
    number: int | None
    title: str


class ChapterList(BaseModel):
    stream_id: int
    replay_url: str | None
    items: list[Chapter]


class StartQuery(QueryBase):
    force: bool = Field(default=False, description="Go live even when the readiness report is blocked")


class ReadinessReason(BaseModel):
    level: t.Literal["warnings", "blocked"]
    code: str
    message: str
    locale: str | None = None
    layout: str | None = None
    currency: str | None = None


class ReadinessItem(BaseModel):
    item_id: int
    position: int
    number: int
    product_id: int
    sku: str
    status: t.Literal["ready", "warnings", "blocked"]
    reasons: list[ReadinessReason]


class ReadinessOut(BaseModel):
    """Whether each run-sheet item, and so the stream, can go on air."""

    stream_id: int
    status: t.Literal["ready", "warnings", "blocked"]
    locales: list[str]
    currencies: list[str]
    counts: dict[str, int]
    items: list[ReadinessItem]


class StreamOut(BaseModel):
    id: int
    title: dict[str, str]
    starts_at: str
    ends_at: str
    duration_minutes: int
    time_zone: str
    host: str | None
    co_hosts: list[str]
    locales: list[str]
    currencies: list[str]
    status: t.Literal["scheduled", "live", "ended"]
    display_delay_seconds: int
    started_at: str | None
    ended_at: str | None
    replay_url: str | None
    version: int
    lineup: list[dict[str, t.Any]]
    cursor: dict[str, t.Any]


class StreamListItem(BaseModel):
    id: int
    title: str
    status: str
    starts_at: str
    starts_at_local: str
    starts_at_formatted: str
    starts_in: str
    ends_at_local: str
    time_zone: str


class StreamList(BaseModel):
    items: list[StreamListItem]
    next_cursor: str | None


class CardOut(BaseModel):
    stream_id: int
    position: int
    card: dict[str, t.Any] | None


class RecapOut(BaseModel):
    stream_id: int
    time_zone: str
    segments: list[dict[str, t.Any]]
    analytics: dict[str, t.Any] = Field(
        default={},
        description="Per-product totals, the funnel seen → opened → wants, its minutes, and markers at moves and flash prices",
    )


class WebhookOut(BaseModel):
    id: int
    url: str
    events: list[str]
    active: bool
    secret: str | None = None


class WebhookList(BaseModel):
    items: list[WebhookOut]


class DeliveryList(BaseModel):
    items: list[dict[str, t.Any]]
