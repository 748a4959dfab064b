"""Zmanim stage: the community's Shabbat times (candle lighting, Havdalah) as Hebcal prints them.

Library: zmanim (python-zmanim), the Python port of KosherJava, because its NOAACalculator is
the very algorithm of Hebcal's @hebcal/noaa (a KosherJava port too) and agrees with it to the
second; astral reads NOAA differently and is 10-40 s off, enough to move a minute.

The rules, as @hebcal/core 6.9 computes them (tests/data/make-hebcal-fixture.mjs):

- Sunset is sea-level sunset, the sun's centre 50' below the horizon (its upper edge gone, after
  refraction): Hebcal's `useElevation` is off by default, so `Community.elevation` is kept for
  the record and not used.
- Every solar time starts from the whole second Hebcal keeps (it drops the milliseconds).
- Candle lighting: Friday's sunset with its seconds dropped, never rounded up (18:42:59 counts
  as 18:42; Zmanim.sunsetOffset), less the community's minutes.
- Havdalah (Shabbat's end): tzeit, the sun's centre 8.5° below the horizon (Hebcal's default
  havdalahDeg, no havdalahMins), to the nearest minute, 30 s and over rounding up
  (Zmanim.roundTime). Where the sun never sinks that far (Helsinki at midsummer) Hebcal prints
  no Havdalah, and `shabbat_times` gives none (`havdalah` is None) with candle lighting.
  When a festival follows Shabbat, Hebcal titles the same tzeit "Candle lighting" instead;
  `havdalah` is still that time.
- Jerusalem's 40 minutes: Hebcal gives them to its Jerusalem location, by geonameid 281184 or
  the name "Jerusalem", in Israel. Here: a community named Jerusalem or ירושלים (the part before
  any comma) in the Asia/Jerusalem time zone, or any community within 6 km of Jerusalem's
  centre, 31.7683 N, 35.2137 E.
- Everywhere else 18 minutes unless the community says otherwise. Hebcal's own default in the
  rest of Israel is 20 (30 in Haifa and Zikhron Ya'akov): such a community states its minutes.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zmanim.astronomical_calendar import AstronomicalCalendar
from zmanim.util.geo_location import GeoLocation

DEFAULT_CANDLE_MINUTES = 18
JERUSALEM_CANDLE_MINUTES = 40
JERUSALEM = (31.7683, 35.2137)
JERUSALEM_RADIUS_KM = 6.0
HAVDALAH_DEGREES = 8.5

_JERUSALEM_NAMES = {"jerusalem", "ירושלים"}
_ISRAEL_ZONE = "Asia/Jerusalem"
_GEOMETRIC_ZENITH = 90.0  # the library adds 50' (refraction and the sun's radius) at exactly 90
_EARTH_RADIUS_KM = 6371.0


class ZmanimError(ValueError):
    """A Shabbat time that cannot be given: not a Saturday, an unknown zone, no sunset or tzeit."""


@dataclass(frozen=True)
class Community:
    """Where the pamphlet's readers light candles, and their custom."""

    name: str
    latitude: float
    longitude: float
    timezone: str  # IANA, e.g. "America/New_York", "Asia/Jerusalem"
    elevation: float = 0.0  # metres; recorded, not used (Hebcal's default)
    candle_minutes: int | None = None  # minutes before sunset; None: 18, or 40 in Jerusalem


@dataclass(frozen=True)
class ShabbatTimes:
    """Candle lighting (Friday) and Shabbat's end (Saturday), local and to the minute."""

    candle_lighting: datetime.datetime
    havdalah: datetime.datetime | None  # None: the sun stays above 8.5° (high summer, far north)


def shabbat_times(shabbat: datetime.date, community: Community) -> ShabbatTimes:
    """`shabbat` is the Saturday: candle lighting is on the Friday before it."""
    if shabbat.weekday() != 5:
        raise ZmanimError(f"{shabbat.isoformat()} is a {shabbat:%A}, not a Shabbat")
    zone = _zone(community.timezone)
    friday = shabbat - datetime.timedelta(days=1)
    sunset = _sun_down(community, friday, _GEOMETRIC_ZENITH, "below the horizon")
    minutes = datetime.timedelta(minutes=candle_minutes(community))
    candles = sunset.replace(second=0) - minutes
    try:
        tzeit = _sun_down(
            community, shabbat, _GEOMETRIC_ZENITH + HAVDALAH_DEGREES, "8.5° below the horizon"
        )
    except ZmanimError:  # as Hebcal: no Havdalah time that week, candle lighting still
        return ShabbatTimes(candles.astimezone(zone), None)
    return ShabbatTimes(candles.astimezone(zone), _nearest_minute(tzeit).astimezone(zone))


def candle_minutes(community: Community) -> int:
    """The community's custom: its own, else 40 in Jerusalem, else 18."""
    if community.candle_minutes is not None:
        return community.candle_minutes
    return JERUSALEM_CANDLE_MINUTES if in_jerusalem(community) else DEFAULT_CANDLE_MINUTES


def in_jerusalem(community: Community) -> bool:
    """Named Jerusalem in Israel's time zone, or within 6 km of the city's centre."""
    place = community.name.split(",")[0].strip().casefold()
    named = place in _JERUSALEM_NAMES and community.timezone == _ISRAEL_ZONE
    return named or _distance_km(community, *JERUSALEM) <= JERUSALEM_RADIUS_KM


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ZmanimError(f"unknown time zone '{name}' (write e.g. 'America/New_York')") from None


def _sun_down(
    community: Community, day: datetime.date, zenith: float, depth: str
) -> datetime.datetime:
    """When the sun sinks to `zenith` on `day`, at sea level, in UTC to the whole second."""
    # UTC as the library's zone: Hebcal neither shifts the date at the antimeridian nor asks
    # the clock for today's offset, and the library does both with a local zone.
    where = GeoLocation(community.name, community.latitude, community.longitude, "UTC")
    moment = AstronomicalCalendar(where, day).sunset_offset_by_degrees(zenith)
    if moment is None:
        raise ZmanimError(f"{community.name}, {day.isoformat()}: the sun does not sink {depth}")
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def _nearest_minute(moment: datetime.datetime) -> datetime.datetime:
    """Hebcal's Zmanim.roundTime: to the nearest minute, 30 seconds rounding up."""
    up = datetime.timedelta(minutes=1) if moment.second >= 30 else datetime.timedelta()
    return moment.replace(second=0) + up


def _distance_km(community: Community, latitude: float, longitude: float) -> float:
    """Great-circle (haversine) distance from the community to a point."""
    phi1, phi2 = math.radians(community.latitude), math.radians(latitude)
    dphi, dlambda = phi2 - phi1, math.radians(longitude - community.longitude)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))
