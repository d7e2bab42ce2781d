"""CRJ-4: an extra payment for an order is refunded within days; a pending one is not paid twice."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.model import Payment
from chalicelib.policy.money import settled_payments
from chalicelib.policy.money.duplicates import (
    duplicate_of,
    duplicate_refund_due,
    originals,
    pending_payment_notice,
)

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
MINUTE, DAY = timedelta(minutes=1), timedelta(days=1)


def payment(payment_id: str = "pay1", **overrides) -> Payment:
    base = Payment(payment_id=payment_id, order_id="o1", marketplace="crmjetty", seller_id="acme",
                   product_id="p1", customer_id="c1", status="succeeded", amount="49.00",
                   currency="USD", occurred_at=T0, purchase="one_time")
    return replace(base, **overrides)


ORIGINAL = payment()
SECOND = payment("pay2", occurred_at=T0 + MINUTE)


def duplicate_ids(records: list[Payment]) -> set[str]:
    return {p.payment_id for p in records if duplicate_of(p, records)}


def test_crj_4_a_second_successful_payment_for_the_order_is_a_duplicate_of_the_first():
    assert duplicate_of(SECOND, [ORIGINAL]) == ORIGINAL
    assert duplicate_of(ORIGINAL, [SECOND]) is None


@pytest.mark.parametrize("second", [
    pytest.param(replace(SECOND, amount="59.00"), id="another amount"),
    pytest.param(replace(SECOND, currency="EUR", amount="45.10"), id="another currency"),
    pytest.param(replace(SECOND, shop_url="HTTPS://www.shop.example/"), id="same shop"),
])
def test_crj_4_any_extra_charge_for_the_same_thing_is_a_duplicate(second):
    original = replace(ORIGINAL, shop_url="shop.example") if second.shop_url else ORIGINAL
    assert duplicate_of(second, [original]) == original


@pytest.mark.parametrize("second", [
    pytest.param(replace(SECOND, order_id="o2"), id="another order"),
    pytest.param(replace(SECOND, marketplace="prestashop"), id="another marketplace"),
    pytest.param(replace(SECOND, product_id="p2"), id="another product in the same cart"),
    pytest.param(replace(SECOND, shop_url="second-shop.example"), id="a licence for another shop"),
    pytest.param(replace(SECOND, purchase="subscription", covers_until=T0 + 60 * DAY),
                 id="a renewal for a later period"),
    pytest.param(replace(SECOND, status="pending"), id="a pending second payment"),
    pytest.param(replace(SECOND, status="failed"), id="a failed second payment"),
    pytest.param(replace(SECOND, status="reversed"), id="a reversed second payment"),
    pytest.param(replace(ORIGINAL, occurred_at=T0 + DAY), id="a replay of the same payment"),
])
def test_crj_4_these_are_not_duplicates(second):
    assert duplicate_of(second, [ORIGINAL]) is None


def test_crj_4_the_first_to_succeed_is_the_original_whatever_arrived_first():
    assert duplicate_of(ORIGINAL, [SECOND]) is None
    assert duplicate_of(SECOND, [ORIGINAL, SECOND]) == ORIGINAL


def test_crj_4_payments_at_the_same_instant_are_ordered_by_payment_id():
    twin = payment("pay0")
    assert duplicate_of(ORIGINAL, [twin]) == twin


def test_crj_4_a_second_payment_that_was_pending_then_succeeded_is_a_duplicate():
    records = [ORIGINAL, replace(SECOND, status="pending"), replace(SECOND, occurred_at=T0 + DAY)]
    assert duplicate_of(replace(SECOND, status="pending"), records) == ORIGINAL


def test_crj_4_when_the_original_is_reversed_the_second_payment_is_the_one_that_counts():
    records = [ORIGINAL, replace(ORIGINAL, status="reversed", occurred_at=T0 + DAY), SECOND]
    assert duplicate_of(SECOND, records) is None


def test_crj_4_every_later_payment_duplicates_the_first():
    third = payment("pay3", occurred_at=T0 + DAY)
    records = [third, SECOND, ORIGINAL]

    assert [duplicate_of(p, records) for p in records] == [ORIGINAL, ORIGINAL, None]
    assert originals(records) == [ORIGINAL]


def test_crj_4_a_duplicate_replayed_many_times_is_detected_once():
    records = [SECOND] * 10 + [ORIGINAL] * 5 + [replace(SECOND, status="pending")] * 3
    assert duplicate_ids(records) == {"pay2"}


record_strategy = st.builds(
    lambda pid, status, minutes, order: payment(pid, status=status, order_id=order,
                                                occurred_at=T0 + minutes * MINUTE),
    st.sampled_from(["pay1", "pay2", "pay3", "pay4"]),
    st.sampled_from(["pending", "succeeded", "failed", "reversed"]),
    st.integers(0, 3), st.sampled_from(["o1", "o2"]))


@given(st.lists(record_strategy, max_size=12), st.data())
def test_crj_4_duplicates_do_not_depend_on_arrival_order(records, data):
    shuffled = data.draw(st.permutations(records))

    assert duplicate_ids(shuffled) == duplicate_ids(records)
    assert originals(shuffled) == originals(records)


@given(st.lists(record_strategy, max_size=12))
def test_crj_4_each_order_keeps_exactly_one_original(records):
    paid_orders = {p.order_id for p in settled_payments(records) if p.status == "succeeded"}
    assert sorted(p.order_id for p in originals(records)) == sorted(paid_orders)


@pytest.mark.parametrize(("days", "due"), [
    pytest.param(3, T0 + MINUTE + 3 * DAY, id="three days by default"),
    pytest.param(5, T0 + MINUTE + 5 * DAY, id="the profile's days"),
])
def test_crj_4_the_duplicate_is_refunded_days_after_it_was_taken(days, due):
    assert duplicate_refund_due(SECOND, days=days) == due


def test_crj_4_refund_days_are_elapsed_time_across_a_dst_change():
    taken = payment(occurred_at=datetime(2026, 3, 28, 12, tzinfo=ZoneInfo("Europe/Paris")))
    assert duplicate_refund_due(taken) == datetime(2026, 3, 31, 11, tzinfo=UTC)


@pytest.mark.parametrize(("records", "notice"), [
    pytest.param([payment(status="pending")], True, id="a pending payment"),
    pytest.param([payment(status="pending"), payment("pay2", status="failed")], True,
                 id="pending beside a failed attempt"),
    pytest.param([payment(status="failed")], False, id="only a failed one: pay again"),
    pytest.param([payment(status="pending"), payment(occurred_at=T0 + DAY)], False,
                 id="pending that then succeeded"),
    pytest.param([payment(status="pending"), payment("pay2")], False, id="the order is paid"),
    pytest.param([payment(status="pending", order_id="o2")], False, id="another order pending"),
    pytest.param([], False, id="no payment at all"),
])
def test_crj_4_a_pending_payment_must_not_be_paid_again(records, notice):
    assert pending_payment_notice(records, "o1") is notice
