"""Business calendars: when support is open and what a business duration adds up to.

Durations are elapsed real time inside business hours (see `segments`), so a 00:00-24:00
day on which clocks go back counts 25 hours: what a customer waiting on an SLA lives
through, not the 24 wall-clock hours some libraries count. All results are UTC-aware.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.time.holidays_source import spec_holidays
from chalicelib.time.segments import SCAN_LIMIT, Segment, business_segments, merge_touching
from chalicelib.time.weekly_hours import CLOSED_WEEK, WeeklyHours, parse_weekly_hours
from chalicelib.time.zones import as_utc, zone_info

_SPEC_KEYS = frozenset(
    {
        "tz",
        "hours",
        "holidays",
        "holiday_country",
        "holiday_subdiv",
        "holiday_years",
        "calendar_days",
    }
)


@dataclass(frozen=True)
class BusinessCalendar:
    """Weekly hours in an IANA zone minus holidays (local dates); or every instant."""

    zone: str
    hours: WeeklyHours = CLOSED_WEEK
    holidays: frozenset[date] = frozenset()
    calendar_days: bool = False

    def __post_init__(self) -> None:
        zone_info(self.zone)
        if self.calendar_days and (any(self.hours) or self.holidays):
            raise ValueError(
                "calendar_days: every instant counts, so hours and holidays must be empty"
            )
        if not self.calendar_days and not any(self.hours):
            raise ValueError("hours: no business hours at all; set calendar_days for 24/7 time")

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> BusinessCalendar:
        """Calendar from its plain-dict form; a ValueError names the first bad key."""
        unknown = sorted(set(spec) - _SPEC_KEYS)
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown calendar key, expected {sorted(_SPEC_KEYS)}")
        if "tz" not in spec:
            raise ValueError("tz: required")
        calendar_days = spec.get("calendar_days", False)
        if not isinstance(calendar_days, bool):
            raise ValueError(f"calendar_days: expected true or false, got {calendar_days!r}")
        return cls(
            zone=spec["tz"],
            hours=parse_weekly_hours(spec.get("hours", {})),
            holidays=spec_holidays(spec),
            calendar_days=calendar_days,
        )

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """start + duration of business time; a zero duration gives the next business instant.

        Like `biz`, a deadline that uses up a period exactly lands on its closing time,
        not on the next opening.
        """
        start = as_utc(start, "start")
        if duration < timedelta(0):
            raise ValueError(f"duration: must not be negative, got {duration}")
        if self.calendar_days:
            return start + duration
        remaining = duration
        for segment in self._segments_from(start):
            if segment.start - start > SCAN_LIMIT:
                raise ValueError(f"duration: {duration} ends more than ten years after start")
            if remaining <= segment.end - segment.start:
                return segment.start + remaining
            remaining -= segment.end - segment.start
        raise AssertionError("business_segments never ends")

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Business time in [a, b); zero (never negative) when b <= a."""
        a, b = as_utc(a, "a"), as_utc(b, "b")
        if b <= a:
            return timedelta(0)
        if self.calendar_days:
            return b - a
        total = timedelta(0)
        for segment in self._segments_from(a):
            if segment.start >= b:
                break
            total += min(segment.end, b) - segment.start
        return total

    def next_business_instant(self, t: datetime) -> datetime:
        """The first business instant at or after t."""
        t = as_utc(t, "t")
        return t if self.calendar_days else next(self._segments_from(t)).start

    def is_open(self, t: datetime) -> bool:
        """Whether t is business time (periods are half-open: open at 09:00, closed at 17:00)."""
        return self.next_business_instant(t) == as_utc(t, "t")

    def closing_time(self, t: datetime) -> datetime:
        """End of the business period t is in, or of the next one if t is outside hours."""
        return next(self._openings_from(as_utc(t, "t"))).end

    def next_opening(self, t: datetime) -> datetime:
        """Start of the next business period beginning strictly after t ("reopens at")."""
        t = as_utc(t, "t")
        openings = self._openings_from(t)
        first = next(openings)
        return first.start if first.start > t else next(openings).start

    def _segments_from(self, t: datetime) -> Iterator[Segment]:
        return business_segments(self._zone, self.hours, self.holidays, t)

    def _openings_from(self, t: datetime) -> Iterator[Segment]:
        if self.calendar_days:
            raise ValueError("calendar_days: this calendar is always open, it never closes")
        return merge_touching(self._segments_from(t))

    @property
    def _zone(self) -> ZoneInfo:
        return zone_info(self.zone)
