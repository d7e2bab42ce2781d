"""Laws every BusinessCalendar keeps, checked by Hypothesis on calendars across zones and DST."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.time.calendar import BusinessCalendar

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def _weekdays(*periods: list[str]) -> dict[str, list[list[str]]]:
    return {day: [list(period) for period in periods] for day in WEEKDAYS}


CALENDARS = {
    "utc-9-17": BusinessCalendar.from_spec({"tz": "UTC", "hours": _weekdays(["09:00", "17:00"])}),
    "paris-lunch-break-fr-holidays": BusinessCalendar.from_spec({
        "tz": "Europe/Paris",
        "hours": _weekdays(["09:00", "12:00"], ["13:30", "18:00"]),
        "holiday_country": "FR",
        "holiday_years": list(range(2024, 2032)),
    }),
    "kolkata-10-18": BusinessCalendar.from_spec(
        {"tz": "Asia/Kolkata", "hours": _weekdays(["10:00", "18:00"])}
    ),
    "new-york-night-shift-over-dst": BusinessCalendar.from_spec({
        "tz": "America/New_York",
        "hours": {
            **_weekdays(["08:00", "20:00"]),
            "sat": [["22:00", "24:00"]],
            "sun": [["00:00", "02:30"], ["02:45", "05:00"]],
        },
    }),
    "calendar-days": BusinessCalendar.from_spec({"tz": "Europe/Paris", "calendar_days": True}),
}

DST_EDGES = [
    datetime(2026, 3, 29, 1, tzinfo=UTC),  # Europe/Paris springs forward
    datetime(2026, 10, 25, 1, tzinfo=UTC),  # Europe/Paris falls back
    datetime(2026, 3, 8, 7, tzinfo=UTC),  # America/New_York springs forward
    datetime(2026, 11, 1, 6, tzinfo=UTC),  # America/New_York falls back
]
ZONES = [UTC, ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")]

anywhere = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2030, 12, 31),
    timezones=st.sampled_from(ZONES),
)
near_dst = st.builds(
    lambda edge, offset: edge + offset,
    st.sampled_from(DST_EDGES),
    st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=3)),
)
instants = st.one_of(anywhere, near_dst)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=120))
positive_durations = st.timedeltas(
    min_value=timedelta(microseconds=1), max_value=timedelta(hours=120)
)
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=21))

calendars = pytest.mark.parametrize("calendar", CALENDARS.values(), ids=CALENDARS.keys())
fast = settings(max_examples=200, deadline=None, database=None)


@calendars
@fast
@given(t=instants, shorter=durations, longer=durations)
def test_a_longer_duration_never_ends_earlier(calendar, t, shorter, longer):
    shorter, longer = sorted((shorter, longer))

    assert calendar.add(t, shorter) <= calendar.add(t, longer)


@calendars
@fast
@given(t=instants, first=durations, then=positive_durations)
def test_adding_in_two_steps_equals_adding_the_sum(calendar, t, first, then):
    # `then` is positive: like biz, adding zero at a closing edge moves to the next opening.
    assert calendar.add(calendar.add(t, first), then) == calendar.add(t, first + then)


@calendars
@fast
@given(t=instants, duration=positive_durations)
def test_a_deadline_is_in_business_hours_or_at_a_closing_edge(calendar, t, duration):
    deadline = calendar.add(t, duration)

    assert deadline.tzinfo is UTC
    assert calendar.is_open(deadline) or calendar.is_open(deadline - timedelta(microseconds=1))


@calendars
@fast
@given(t=instants, duration=durations)
def test_business_time_between_start_and_deadline_is_the_duration(calendar, t, duration):
    assert calendar.between(t, calendar.add(t, duration)) == duration


@calendars
@fast
@given(a=instants, gap_ab=spans, gap_bc=spans)
def test_business_time_adds_up_over_consecutive_intervals(calendar, a, gap_ab, gap_bc):
    a = a.astimezone(UTC)  # elapsed, not wall-clock, gaps
    b = a + gap_ab
    c = b + gap_bc

    assert calendar.between(a, c) == calendar.between(a, b) + calendar.between(b, c)


@calendars
@fast
@given(t=instants)
def test_open_exactly_when_the_next_business_instant_is_now(calendar, t):
    # Compared in UTC: Python never finds a DST-gap wall time equal to another zone's time.
    assert calendar.is_open(t) == (calendar.next_business_instant(t) == t.astimezone(UTC))
    assert calendar.add(t, timedelta(0)) == calendar.next_business_instant(t)


@pytest.mark.parametrize(
    "calendar", [c for c in CALENDARS.values() if not c.calendar_days],
    ids=[name for name, c in CALENDARS.items() if not c.calendar_days],
)
@fast
@given(t=instants)
def test_closing_and_next_opening_are_real_edges(calendar, t):
    closing, opening = calendar.closing_time(t), calendar.next_opening(t)
    just_before = timedelta(microseconds=1)

    if calendar.is_open(t):
        assert t < closing < opening
    else:
        assert t < opening == calendar.next_business_instant(t) < closing
    assert calendar.is_open(closing - just_before) and not calendar.is_open(closing)
    assert calendar.is_open(opening) and not calendar.is_open(opening - just_before)
