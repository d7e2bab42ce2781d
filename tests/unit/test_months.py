"""Calendar months on a zone's wall clock: month ends, leap years, DST, window boundaries."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.time.months import add_months, within_months

PARIS = ZoneInfo("Europe/Paris")
KOLKATA = ZoneInfo("Asia/Kolkata")
ONE_SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("start", "months", "zone", "expected"),
    [
        pytest.param(datetime(2026, 1, 31, 10, tzinfo=PARIS), 1, "Europe/Paris",
                     datetime(2026, 2, 28, 10, tzinfo=PARIS), id="31 January + 1 is 28 February"),
        pytest.param(datetime(2026, 3, 31, 10, tzinfo=UTC), 1, "UTC",
                     datetime(2026, 4, 30, 10, tzinfo=UTC), id="31 March + 1 is 30 April"),
        pytest.param(datetime(2028, 1, 31, 10, tzinfo=UTC), 1, "UTC",
                     datetime(2028, 2, 29, 10, tzinfo=UTC), id="31 January 2028 + 1 is 29 Feb"),
        pytest.param(datetime(2028, 2, 29, 10, tzinfo=UTC), 12, "UTC",
                     datetime(2029, 2, 28, 10, tzinfo=UTC), id="29 February + 12 is 28 February"),
        pytest.param(datetime(2028, 2, 29, 10, tzinfo=UTC), 48, "UTC",
                     datetime(2032, 2, 29, 10, tzinfo=UTC), id="29 February + 48 is 29 February"),
        pytest.param(datetime(2026, 12, 15, 10, tzinfo=UTC), 1, "UTC",
                     datetime(2027, 1, 15, 10, tzinfo=UTC), id="December + 1 is next January"),
        pytest.param(datetime(2026, 3, 31, 10, tzinfo=UTC), -1, "UTC",
                     datetime(2026, 2, 28, 10, tzinfo=UTC), id="31 March - 1 is 28 February"),
        pytest.param(datetime(2026, 3, 1, 12, tzinfo=PARIS), 1, "Europe/Paris",
                     datetime(2026, 4, 1, 12, tzinfo=PARIS), id="wall time kept across DST"),
        pytest.param(datetime(2026, 1, 29, 2, 30, tzinfo=PARIS), 2, "Europe/Paris",
                     datetime(2026, 3, 29, 1, 30, tzinfo=UTC), id="DST gap shifts forward"),
        pytest.param(datetime(2026, 9, 25, 2, 30, tzinfo=PARIS), 1, "Europe/Paris",
                     datetime(2026, 10, 25, 0, 30, tzinfo=UTC), id="ambiguous time is the first"),
        pytest.param(datetime(2026, 1, 30, 20, tzinfo=UTC), 1, "Asia/Kolkata",
                     datetime(2026, 2, 28, 1, 30, tzinfo=KOLKATA), id="months counted in the zone"),
    ],
)
def test_add_months(start, months, zone, expected):
    result = add_months(start, months, zone)

    assert result == expected
    assert result.tzinfo is UTC


PURCHASE = datetime(2026, 1, 31, 23, 30, tzinfo=PARIS)
ONE_MONTH_LATER = datetime(2026, 2, 28, 23, 30, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("t", "inside"),
    [
        pytest.param(PURCHASE, True, id="the start is inside"),
        pytest.param(ONE_MONTH_LATER - ONE_SECOND, True, id="one second before the end is inside"),
        pytest.param(ONE_MONTH_LATER, False, id="the end itself is outside"),
        pytest.param(ONE_MONTH_LATER + ONE_SECOND, False, id="one second after is outside"),
    ],
)
def test_within_one_month_of_a_month_end_purchase(t, inside):
    assert within_months(PURCHASE, t, 1, "Europe/Paris") is inside


@pytest.mark.parametrize(
    ("start", "zone", "message"),
    [
        pytest.param(datetime(2026, 1, 31), "UTC", "t: naive datetime", id="naive start"),
        pytest.param(datetime(2026, 1, 31, tzinfo=UTC), "Mars/Olympus", "zone: unknown time zone",
                     id="unknown zone"),
    ],
)
def test_add_months_refuses_bad_input(start, zone, message):
    with pytest.raises(ValueError, match=message):
        add_months(start, 1, zone)


def test_within_months_refuses_a_naive_instant():
    with pytest.raises(ValueError, match="t: naive datetime"):
        within_months(PURCHASE, datetime(2026, 2, 1), 1, "Europe/Paris")
