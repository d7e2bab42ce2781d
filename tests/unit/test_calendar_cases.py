"""The 30 public business-hours cases (tests/data/reference/sla_cases.json) via BusinessCalendar.

The expectations are the source suites' own assertions, except where we deliberately
count otherwise: those are overridden below, each with its reason.
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chalicelib.time.calendar import BusinessCalendar

SLA_CASES = Path(__file__).resolve().parents[1] / "data" / "reference" / "sla_cases.json"
CASES = json.loads(SLA_CASES.read_text())["cases"]

OVERRIDDEN_EXPECTATIONS = {
    "wh-paris-between-midnight-25h-day": (
        1500,
        "elapsed real time: Sunday 2020-10-25 00:00-24:00 in Paris lasts 25 hours "
        "(clocks go back), the source counts 24 wall-clock hours",
    ),
}


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _run(calendar: BusinessCalendar, case: dict) -> datetime | float:
    start = _instant(case["start"])
    match case["op"]:
        case "add_business_minutes":
            return calendar.add(start, timedelta(minutes=case["minutes"]))
        case "next_business_time":
            return calendar.next_business_instant(start)
        case "closing_time":
            return calendar.closing_time(start)
        case "business_minutes_between":
            return calendar.between(start, _instant(case["end"])) / timedelta(minutes=1)
    raise ValueError(f"unknown op {case['op']!r}")


def _expected(case: dict) -> datetime | float:
    if case["id"] in OVERRIDDEN_EXPECTATIONS:
        return OVERRIDDEN_EXPECTATIONS[case["id"]][0]
    if "expected_minutes" in case:
        return case["expected_minutes"]
    return _instant(case["expected"])


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_calendar_agrees_with_the_public_suites(case: dict) -> None:
    result = _run(BusinessCalendar.from_spec(case["calendar"]), case)

    assert result == _expected(case)
    if isinstance(result, datetime):
        assert result.tzinfo is UTC
