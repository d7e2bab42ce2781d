"""BusinessCalendar specs, support-hours answers and refusals, as examples to read."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.time.calendar import BusinessCalendar

KOLKATA = ZoneInfo("Asia/Kolkata")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
WEEKDAYS_10_18 = {day: [["10:00", "18:00"]] for day in WEEKDAYS}
CRMJETTY_CHAT = BusinessCalendar.from_spec({"tz": "Asia/Kolkata", "hours": WEEKDAYS_10_18})


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param({"hours": WEEKDAYS_10_18}, "tz: required", id="missing zone"),
        pytest.param({"tz": "Mars/Olympus", "hours": WEEKDAYS_10_18}, "tz: unknown time zone",
                     id="unknown zone"),
        pytest.param({"tz": "UTC", "timezone": "UTC"}, "timezone: unknown calendar key",
                     id="unknown key"),
        pytest.param({"tz": "UTC", "hours": {"mo": [["09:00", "17:00"]]}},
                     "hours: unknown weekday 'mo'", id="unknown weekday"),
        pytest.param({"tz": "UTC", "hours": {"mon": [["9:00", "17:00"]]}},
                     r"hours.mon\[0\]: bad time '9:00'", id="time without two-digit hour"),
        pytest.param({"tz": "UTC", "hours": {"tue": [["09:00", "24:30"]]}},
                     r"hours.tue\[0\]: bad time '24:30'", id="time after 24:00"),
        pytest.param({"tz": "UTC", "hours": {"wed": [["17:00", "09:00"]]}},
                     r"hours.wed\[0\]: end '09:00' must be after start '17:00'",
                     id="end before start"),
        pytest.param({"tz": "UTC", "hours": {"thu": [["09:00", "13:00"], ["12:00", "17:00"]]}},
                     "hours.thu: periods overlap", id="overlapping periods"),
        pytest.param({"tz": "UTC", "hours": {}}, "hours: no business hours", id="never open"),
        pytest.param({"tz": "UTC", "hours": WEEKDAYS_10_18, "holidays": ["25/12/2026"]},
                     r"holidays\[0\]: bad date", id="bad holiday date"),
        pytest.param({"tz": "UTC", "hours": WEEKDAYS_10_18, "holiday_country": "XX",
                      "holiday_years": [2026]}, "holiday_country: unknown", id="unknown country"),
        pytest.param({"tz": "UTC", "hours": WEEKDAYS_10_18, "holiday_country": "US",
                      "holiday_subdiv": "ZZ", "holiday_years": [2026]}, "holiday_subdiv:",
                     id="unknown subdivision"),
        pytest.param({"tz": "UTC", "hours": WEEKDAYS_10_18, "holiday_country": "IN"},
                     "holiday_years: required", id="country holidays without years"),
        pytest.param({"tz": "UTC", "calendar_days": "yes"}, "calendar_days: expected true or false",
                     id="calendar_days not a boolean"),
        pytest.param({"tz": "UTC", "calendar_days": True, "hours": WEEKDAYS_10_18},
                     "calendar_days: every instant counts", id="calendar_days with hours"),
    ],
)
def test_a_bad_spec_is_refused_naming_the_key(spec, message):
    with pytest.raises(ValueError, match=message):
        BusinessCalendar.from_spec(spec)


def test_country_holidays_are_not_business_days():
    calendar = BusinessCalendar.from_spec({
        "tz": "Asia/Kolkata", "hours": WEEKDAYS_10_18,
        "holiday_country": "IN", "holiday_years": [2026],
    })
    friday_5pm = datetime(2026, 1, 23, 17, tzinfo=KOLKATA)  # Monday 26th is Republic Day

    assert calendar.add(friday_5pm, timedelta(hours=2)) == datetime(2026, 1, 27, 11, tzinfo=KOLKATA)


def june_2026_in_india(day: int, hour: int) -> datetime:
    return datetime(2026, 6, day, hour, tzinfo=KOLKATA)


@pytest.mark.parametrize(
    ("t", "is_open", "closing", "next_opening"),
    [
        pytest.param(june_2026_in_india(6, 12), False,
                     june_2026_in_india(8, 18), june_2026_in_india(8, 10),
                     id="saturday: opens monday"),
        pytest.param(june_2026_in_india(9, 12), True,
                     june_2026_in_india(9, 18), june_2026_in_india(10, 10),
                     id="tuesday noon: closes at 18, reopens wednesday"),
        pytest.param(june_2026_in_india(9, 18), False,
                     june_2026_in_india(10, 18), june_2026_in_india(10, 10),
                     id="closed at closing time"),
    ],
)
def test_support_hours_answers(t, is_open, closing, next_opening):
    assert CRMJETTY_CHAT.is_open(t) is is_open
    assert CRMJETTY_CHAT.closing_time(t) == closing
    assert CRMJETTY_CHAT.next_opening(t) == next_opening


def test_a_night_shift_over_midnight_closes_once():
    calendar = BusinessCalendar.from_spec(
        {"tz": "UTC", "hours": {"sat": [["22:00", "24:00"]], "sun": [["00:00", "02:00"]]}}
    )

    saturday_11pm = datetime(2026, 6, 6, 23, tzinfo=UTC)
    sunday_2am = datetime(2026, 6, 7, 2, tzinfo=UTC)

    assert calendar.closing_time(saturday_11pm) == sunday_2am


def test_calendar_days_add_elapsed_time_across_dst():
    calendar = BusinessCalendar.from_spec({"tz": "Europe/Paris", "calendar_days": True})
    before_spring_forward = datetime(2026, 3, 28, 12, tzinfo=UTC)

    three_days_later = datetime(2026, 3, 31, 12, tzinfo=UTC)

    assert calendar.add(before_spring_forward, timedelta(days=3)) == three_days_later
    assert calendar.between(before_spring_forward, before_spring_forward) == timedelta(0)


MONDAY = datetime(2026, 6, 8, tzinfo=UTC)
ROUND_THE_CLOCK = BusinessCalendar.from_spec(
    {"tz": "UTC", "hours": {day: [["00:00", "24:00"]] for day in (*WEEKDAYS, "sat", "sun")}}
)


@pytest.mark.parametrize(
    ("ask", "message"),
    [
        pytest.param(lambda: CRMJETTY_CHAT.add(MONDAY.replace(tzinfo=None), timedelta(hours=1)),
                     "start: naive datetime", id="naive start"),
        pytest.param(lambda: CRMJETTY_CHAT.is_open(MONDAY.replace(tzinfo=None)),
                     "t: naive datetime", id="naive instant"),
        pytest.param(lambda: CRMJETTY_CHAT.add(MONDAY, timedelta(hours=-1)),
                     "duration: must not be negative", id="negative duration"),
        pytest.param(lambda: CRMJETTY_CHAT.add(MONDAY, timedelta(days=3000)),
                     "more than ten years", id="deadline beyond ten years"),
        pytest.param(lambda: BusinessCalendar("UTC", calendar_days=True).closing_time(MONDAY),
                     "always open", id="calendar days never close"),
        pytest.param(lambda: ROUND_THE_CLOCK.next_opening(MONDAY),
                     "never close", id="round-the-clock hours never close"),
    ],
)
def test_unanswerable_questions_are_refused(ask, message):
    with pytest.raises(ValueError, match=message):
        ask()
