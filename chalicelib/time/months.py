"""Calendar-month arithmetic for refund windows and support periods.

Months are counted on the wall clock of a named zone, because "one month after a
purchase at 23:30 in Paris" is a Paris date. The day is clamped to the target month's
length (31 January + 1 month = 28 or 29 February) and the wall time is kept. The wall
time is then resolved as zoneinfo does with fold=0: an ambiguous time (clocks going
back) takes its first occurrence, a time inside a DST gap is shifted forward by the
gap (02:30 on a spring-forward night in Paris becomes 03:30 CEST).
"""

from __future__ import annotations

from calendar import monthrange  # the standard library's, not chalicelib.time.calendar
from datetime import UTC, datetime

from chalicelib.time.zones import as_utc, zone_info


def add_months(t: datetime, n: int, zone: str) -> datetime:
    """t moved n calendar months (n may be negative) on zone's wall clock, in UTC."""
    local = as_utc(t, "t").astimezone(zone_info(zone, "zone"))
    year, month_index = divmod(local.year * 12 + local.month - 1 + n, 12)
    day = min(local.day, monthrange(year, month_index + 1)[1])
    wall = local.replace(year=year, month=month_index + 1, day=day, fold=0)
    return wall.astimezone(UTC)


def within_months(start: datetime, t: datetime, n: int, zone: str) -> bool:
    """Whether t falls before the instant n months after start: the window's end is exclusive.

    One second before `add_months(start, n, zone)` is inside, that instant itself is
    outside. Only the end is checked: a t before start has not outlived the window.
    """
    return as_utc(t, "t") < add_months(start, n, zone)
