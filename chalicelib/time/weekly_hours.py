"""Weekly opening hours, parsed once from the spec into minutes after local midnight."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any, NamedTuple

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WALL_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d|24:00")


class Period(NamedTuple):
    """Wall-clock opening period in minutes after local midnight; end 1440 means 24:00."""

    start: int
    end: int


WeeklyHours = tuple[tuple[Period, ...], ...]
"""Seven tuples of periods, Monday first, so `hours[day.weekday()]` is that day's."""

CLOSED_WEEK: WeeklyHours = ((),) * 7


def parse_weekly_hours(spec: Mapping[str, Sequence[Any]]) -> WeeklyHours:
    """Weekly hours from `{"mon": [["09:00", "17:00"]], ...}`; missing days are closed."""
    if not isinstance(spec, Mapping):
        raise ValueError("hours: expected a mapping of weekday to [start, end] periods")
    unknown = sorted(set(spec) - set(WEEKDAYS))
    if unknown:
        raise ValueError(f"hours: unknown weekday {unknown[0]!r}, expected one of {WEEKDAYS}")
    return tuple(_parse_day(f"hours.{day}", spec.get(day, ())) for day in WEEKDAYS)


def _parse_day(key: str, periods: Sequence[Any]) -> tuple[Period, ...]:
    if isinstance(periods, str) or not isinstance(periods, Sequence):
        raise ValueError(f"{key}: expected a list of [start, end] periods")
    parsed = sorted(_parse_period(f"{key}[{i}]", period) for i, period in enumerate(periods))
    for earlier, later in pairwise(parsed):
        if later.start < earlier.end:
            raise ValueError(f"{key}: periods overlap")
    return tuple(parsed)


def _parse_period(key: str, period: Any) -> Period:
    if isinstance(period, str) or not isinstance(period, Sequence) or len(period) != 2:
        raise ValueError(f"{key}: expected [start, end], got {period!r}")
    start, end = (_minutes(key, text) for text in period)
    if end <= start:
        raise ValueError(f"{key}: end {period[1]!r} must be after start {period[0]!r}")
    return Period(start, end)


def _minutes(key: str, text: Any) -> int:
    if not isinstance(text, str) or not _WALL_TIME.fullmatch(text):
        raise ValueError(f"{key}: bad time {text!r}, expected 'HH:MM' from 00:00 to 24:00")
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)
