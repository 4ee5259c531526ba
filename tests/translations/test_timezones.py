"""Time zones come from the tzdata package and convert correctly."""

from __future__ import annotations

import zoneinfo
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from importlib import resources
from pathlib import Path

import pytest

from translations.timezones import NaiveDatetime
from translations.timezones import UnknownTimeZone
from translations.timezones import available_zones
from translations.timezones import check_zone_name
from translations.timezones import load_zone
from translations.timezones import local_to_utc
from translations.timezones import to_utc
from translations.timezones import to_zone
from translations.timezones import tzdata_version

WINTER = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "hours"),
    [
        ("Asia/Almaty", 5),
        ("Asia/Urumqi", 6),
        ("Asia/Shanghai", 8),
        ("Asia/Tashkent", 5),
        ("Asia/Bishkek", 6),
        ("Europe/Moscow", 3),
        ("UTC", 0),
    ],
)
def test_offsets_of_the_audience_zones(zone: str, hours: int) -> None:
    local = to_zone(WINTER, zone)
    assert local.utcoffset() == timedelta(hours=hours)
    assert local.hour == (12 + hours) % 24


def test_almaty_moved_to_utc_plus_5_on_1_march_2024() -> None:
    assert tzdata_version() >= "2024a"
    before = to_zone(datetime(2024, 2, 29, 17, 59, tzinfo=UTC), "Asia/Almaty")
    after = to_zone(datetime(2024, 2, 29, 18, 0, tzinfo=UTC), "Asia/Almaty")
    # At midnight local time the clocks went back from 00:00 (+06) to 23:00 (+05).
    assert before.isoformat() == "2024-02-29T23:59:00+06:00"
    assert after.isoformat() == "2024-02-29T23:00:00+05:00"
    assert to_zone(datetime(2024, 3, 1, 12, tzinfo=UTC), "Asia/Almaty").hour == 17


def test_an_outdated_system_zoneinfo_is_not_used(tmp_path: Path) -> None:
    # A system database that still has Almaty at UTC+6 (here: Dhaka's rules under its name).
    fake = tmp_path / "Asia" / "Almaty"
    fake.parent.mkdir()
    fake.write_bytes(resources.files("tzdata.zoneinfo").joinpath("Asia", "Dhaka").read_bytes())
    load_zone.cache_clear()
    zoneinfo.reset_tzpath(to=[str(tmp_path)])
    try:
        system = zoneinfo.ZoneInfo.no_cache("Asia/Almaty")
        assert WINTER.astimezone(system).utcoffset() == timedelta(hours=6)
        assert to_zone(WINTER, "Asia/Almaty").utcoffset() == timedelta(hours=5)
    finally:
        zoneinfo.reset_tzpath()
        load_zone.cache_clear()


def test_dst_night_in_europe() -> None:
    # 29 March 2026: Berlin skips 02:00-03:00 local; 25 October 2026 repeats 02:00-03:00.
    spring = [datetime(2026, 3, 29, 0, 30, tzinfo=UTC) + timedelta(minutes=30 * i) for i in range(3)]
    assert [to_zone(t, "Europe/Berlin").strftime("%H:%M%z") for t in spring] == [
        "01:30+0100",
        "03:00+0200",
        "03:30+0200",
    ]
    autumn = [datetime(2026, 10, 25, 0, 0, tzinfo=UTC) + timedelta(hours=i) for i in range(3)]
    assert [to_zone(t, "Europe/Berlin").strftime("%H:%M%z") for t in autumn] == [
        "02:00+0200",
        "02:00+0100",
        "03:00+0100",
    ]
    assert to_zone(autumn[1], "Europe/Berlin").fold == 1


def test_local_wall_clock_times_to_utc() -> None:
    assert local_to_utc(datetime(2026, 12, 1, 19, 0), "Asia/Urumqi") == datetime(
        2026, 12, 1, 13, 0, tzinfo=UTC
    )
    # The repeated hour reads as its first occurrence (summer time).
    assert local_to_utc(datetime(2026, 10, 25, 2, 30), "Europe/Berlin").hour == 0
    with pytest.raises(ValueError, match="takes a naive wall-clock time"):
        local_to_utc(WINTER, "Europe/Berlin")


def test_to_utc_and_naive_datetimes() -> None:
    local = datetime(2026, 12, 1, 19, 0, tzinfo=load_zone("Asia/Urumqi"))
    assert to_utc(local) == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    with pytest.raises(NaiveDatetime, match="2026-12-01T19:00:00 has no UTC offset; give one"):
        to_zone(datetime(2026, 12, 1, 19), "Asia/Almaty")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Asia/Alma", "unknown time zone 'Asia/Alma'; use an IANA name such as Asia/Almaty"),
        ("asia/almaty", "unknown time zone 'asia/almaty' (did you mean 'Asia/Almaty'?)"),
        ("../../etc/passwd", "unknown time zone '../../etc/passwd'"),
        ("", "unknown time zone ''"),
        ("+05:00", "unknown time zone '+05:00'"),
    ],
)
def test_unknown_zone_names_are_refused(name: str, message: str) -> None:
    with pytest.raises(UnknownTimeZone) as raised:
        check_zone_name(name)
    assert str(raised.value).startswith(message)
    with pytest.raises(UnknownTimeZone):
        load_zone(name)


def test_zone_list_includes_links_used_in_the_region() -> None:
    zones = available_zones()
    assert {"Asia/Almaty", "Asia/Urumqi", "Asia/Kashgar", "Europe/Kiev", "UTC"} <= zones
    assert len(zones) > 400
