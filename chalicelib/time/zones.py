"""Checked conversions at the edge of the time package: named zones and aware instants."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_info(name: str, key: str = "tz") -> ZoneInfo:
    """The IANA zone called name; a ValueError naming the spec key otherwise."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f"{key}: unknown time zone {name!r}") from exc


def as_utc(t: datetime, name: str) -> datetime:
    """t in UTC; a naive datetime is refused because its instant is a guess."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"{name}: naive datetime {t.isoformat()}; pass a timezone-aware one")
    return t.astimezone(UTC)
