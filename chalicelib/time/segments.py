"""Weekly hours expanded into real UTC segments per local date, as the `biz` gem does.

Each period's wall-clock start and end are placed on their local date with zoneinfo and
converted to UTC (fold=0: an ambiguous wall time takes its first occurrence, one inside
a DST gap is shifted forward by the gap). A duration is then consumed as elapsed time,
segment by segment, so DST needs no special case: a 00:00-24:00 day lasts 23 or 25 h.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from chalicelib.time.weekly_hours import WeeklyHours

SCAN_LIMIT = timedelta(days=3653)
"""Ten years: how far any search may look before the calendar is declared unusable."""


class Segment(NamedTuple):
    """Business time [start, end) in UTC."""

    start: datetime
    end: datetime


def business_segments(
    zone: ZoneInfo, hours: WeeklyHours, holidays: frozenset[date], t: datetime
) -> Iterator[Segment]:
    """Disjoint UTC segments in time order, clipped to begin no earlier than t."""
    floor = t.astimezone(UTC)
    day = last_open_day = floor.astimezone(zone).date()
    while day - last_open_day <= SCAN_LIMIT:
        for start, end in _day_segments(zone, hours, holidays, day):
            start = max(start, floor)
            if end > start:
                yield Segment(start, end)
                floor, last_open_day = end, day
        day += timedelta(days=1)
    raise ValueError("calendar: no business hours within ten years")


def _day_segments(
    zone: ZoneInfo, hours: WeeklyHours, holidays: frozenset[date], day: date
) -> Iterator[Segment]:
    if day in holidays:
        return
    midnight = datetime.combine(day, time(), tzinfo=zone)
    for period in hours[day.weekday()]:
        # Aware + timedelta is wall-clock arithmetic in Python: 24:00 is the next midnight.
        start = midnight + timedelta(minutes=period.start)
        end = midnight + timedelta(minutes=period.end)
        yield Segment(start.astimezone(UTC), end.astimezone(UTC))


def merge_touching(segments: Iterable[Segment]) -> Iterator[Segment]:
    """Join segments where one ends as the next starts, so openings and closings are real."""
    remaining = iter(segments)
    run = next(remaining)
    for segment in remaining:
        if segment.start > run.end:
            yield run
            run = segment
        elif segment.end - run.start > SCAN_LIMIT:
            raise ValueError("calendar: business hours never close within ten years")
        else:
            run = Segment(run.start, segment.end)
