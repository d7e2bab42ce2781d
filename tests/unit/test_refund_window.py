"""PS-7 and PS-5: a refund is a right in month one, the seller's call up to six, then never."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.policy.money.refunds import refund_verdict

PARIS = ZoneInfo("Europe/Paris")
SECOND, DAY = timedelta(seconds=1), timedelta(days=1)
PURCHASE = datetime(2026, 1, 15, 10, tzinfo=PARIS)
ONE_MONTH = datetime(2026, 2, 15, 10, tzinfo=PARIS)
SIX_MONTHS = datetime(2026, 7, 15, 10, tzinfo=PARIS)  # summer time: 08:00 UTC


def verdict(requested_at: datetime, reason: str = "not_downloaded", *,
            purchased_at: datetime = PURCHASE, downloaded: bool | None = False,
            ticket_before: bool = False, **params):
    return refund_verdict(purchased_at=purchased_at, requested_at=requested_at, reason=reason,
                          product_downloaded=downloaded, had_support_ticket_before=ticket_before,
                          zone="Europe/Paris", **params)


@pytest.mark.parametrize(("requested_at", "outcome"), [
    pytest.param(PURCHASE, "eligible", id="at the purchase"),
    pytest.param(ONE_MONTH - SECOND, "eligible", id="one second before one month"),
    pytest.param(ONE_MONTH, "seller_discretion", id="exactly one month"),
    pytest.param(ONE_MONTH + SECOND, "seller_discretion", id="one second after one month"),
    pytest.param(SIX_MONTHS - SECOND, "seller_discretion", id="one second before six months"),
    pytest.param(SIX_MONTHS, "ineligible", id="exactly six months"),
    pytest.param(SIX_MONTHS + SECOND, "ineligible", id="one second after six months"),
    pytest.param(PURCHASE - DAY, "eligible", id="a request stamped before its purchase"),
])
def test_ps_7_refund_windows_close_exactly_at_one_and_six_calendar_months(requested_at, outcome):
    assert verdict(requested_at).outcome == outcome


@pytest.mark.parametrize(("purchased_at", "requested_at", "outcome"), [
    pytest.param(datetime(2026, 1, 31, 23, 30, tzinfo=PARIS),
                 datetime(2026, 2, 28, 23, 30, tzinfo=PARIS) - SECOND, "eligible",
                 id="31 January: one second before 28 February 23:30"),
    pytest.param(datetime(2026, 1, 31, 23, 30, tzinfo=PARIS),
                 datetime(2026, 2, 28, 23, 30, tzinfo=PARIS), "seller_discretion",
                 id="31 January: 28 February 23:30 is one month"),
    pytest.param(datetime(2028, 1, 31, 12, tzinfo=PARIS),
                 datetime(2028, 2, 29, 12, tzinfo=PARIS) - SECOND, "eligible",
                 id="31 January 2028: the month runs to 29 February"),
    pytest.param(datetime(2028, 2, 29, 12, tzinfo=PARIS),
                 datetime(2028, 3, 29, 12, tzinfo=PARIS), "seller_discretion",
                 id="29 February 2028: one month is 29 March"),
    pytest.param(datetime(2028, 2, 29, 12, tzinfo=PARIS),
                 datetime(2028, 8, 29, 12, tzinfo=PARIS) - SECOND, "seller_discretion",
                 id="29 February 2028: six months is 29 August"),
    pytest.param(datetime(2026, 3, 1, 12, tzinfo=PARIS), datetime(2026, 4, 1, 10, 30, tzinfo=UTC),
                 "seller_discretion", id="DST: 1 April 12:00 Paris is 10:00 UTC, not 11:00"),
    pytest.param(datetime(2026, 9, 25, 12, tzinfo=PARIS),
                 datetime(2026, 10, 25, 10, 30, tzinfo=UTC), "eligible",
                 id="DST back: 25 October 12:00 Paris is 11:00 UTC, not 10:00"),
])
def test_ps_7_months_are_calendar_months_on_the_paris_clock(purchased_at, requested_at, outcome):
    assert verdict(requested_at, purchased_at=purchased_at).outcome == outcome


IN_FIRST_MONTH = PURCHASE + 10 * DAY


@pytest.mark.parametrize(("reason", "downloaded", "ticket_before", "outcome", "rule", "why"), [
    pytest.param("not_downloaded", False, False, "eligible", "PS-7", "not_downloaded within",
                 id="not downloaded"),
    pytest.param("not_downloaded", True, False, "seller_discretion", "PS-7", "was downloaded",
                 id="claimed not downloaded but it was"),
    pytest.param("not_downloaded", None, False, "seller_discretion", "PS-7", "status unknown",
                 id="download status unknown"),
    pytest.param("not_working", True, True, "eligible", "PS-7", "not_working within",
                 id="not working after a support ticket"),
    pytest.param("not_working", True, False, "seller_discretion", "PS-7", "no support ticket",
                 id="not working without a support ticket first"),
    pytest.param("other", False, True, "seller_discretion", "PS-7", "not a ground",
                 id="another reason"),
    pytest.param("duplicate_payment", True, False, "seller_discretion", "PS-7", "not a ground",
                 id="a duplicate payment is not a PS-7 ground"),
    pytest.param("unresolvable", True, True, "eligible", "PS-5", "could not be solved",
                 id="an unresolvable problem after a ticket"),
    pytest.param("unresolvable", True, False, "seller_discretion", "PS-7", "no support ticket",
                 id="unresolvable without any ticket"),
])
def test_ps_7_in_the_first_month_only_a_listed_ground_is_a_right(reason, downloaded, ticket_before,
                                                                 outcome, rule, why):
    result = verdict(IN_FIRST_MONTH, reason, downloaded=downloaded, ticket_before=ticket_before)

    assert (result.outcome, result.rule) == (outcome, rule)
    assert why in result.reason


@pytest.mark.parametrize(("requested_at", "reason", "outcome", "rule"), [
    pytest.param(PURCHASE + 40 * DAY, "not_working", "seller_discretion", "PS-7",
                 id="not working after the first month"),
    pytest.param(PURCHASE + 150 * DAY, "unresolvable", "eligible", "PS-5",
                 id="unresolvable at five months"),
    pytest.param(SIX_MONTHS, "unresolvable", "ineligible", "PS-7", id="unresolvable at six months"),
    pytest.param(SIX_MONTHS, "duplicate_payment", "ineligible", "PS-7",
                 id="any reason at six months"),
])
def test_ps_7_after_the_first_month_the_ground_no_longer_makes_a_right(requested_at, reason,
                                                                       outcome, rule):
    result = verdict(requested_at, reason, downloaded=True, ticket_before=True)
    assert (result.outcome, result.rule) == (outcome, rule)


def test_ps_7_the_windows_are_profile_parameters():
    assert verdict(ONE_MONTH, right_months=2).outcome == "eligible"
    assert verdict(SIX_MONTHS, right_months=2, discretion_months=12).outcome == "seller_discretion"


def test_ps_7_the_evidence_shows_both_window_ends_and_is_plain_json():
    evidence = verdict(IN_FIRST_MONTH).evidence

    assert evidence["right_ends_at"] == "2026-02-15T09:00:00+00:00"
    assert evidence["discretion_ends_at"] == "2026-07-15T08:00:00+00:00"
    assert json.loads(json.dumps(evidence)) == evidence


def test_ps_7_a_naive_instant_is_refused():
    with pytest.raises(ValueError, match="naive"):
        verdict(datetime(2026, 1, 20))
