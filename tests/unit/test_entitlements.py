"""PS-1, PS-8, CRJ-1, CRJ-10: who is covered, until when, and which payment and rule say so."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.model import Author, Message, Payment, Refund, Ticket, TicketStatus
from chalicelib.policy.money.entitlements import (
    SUPPORT_KINDS,
    coverage,
    customization_entitlements,
    customization_support,
    entitlements_from,
    ticket_stays_served,
)

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 1, 15, 10, tzinfo=PARIS)
SECOND, DAY = timedelta(seconds=1), timedelta(days=1)
YEAR_LATER = datetime(2027, 1, 15, 10, tzinfo=PARIS)


def payment(**overrides) -> Payment:
    base = Payment(payment_id="pay1", order_id="o1", marketplace="crmjetty", seller_id="acme",
                   product_id="p1", customer_id="c1", status="succeeded", amount="49.00",
                   currency="EUR", occurred_at=T0, purchase="one_time")
    return replace(base, **overrides)


def business_care(**overrides) -> Payment:
    return payment(**{"marketplace": "prestashop", "purchase": None, "plan": "business_care",
                      "covers_until": YEAR_LATER, "shop_url": "https://www.boutique.fr/",
                      **overrides})


def refund(state: str = "completed", at: datetime = T0 + 10 * DAY, **overrides) -> Refund:
    return replace(Refund(refund_id="r1", order_id="o1", marketplace="prestashop", state=state,
                          at=at), **overrides)


def covered(payments, refunds=(), *, at, shop_url=None, kinds=SUPPORT_KINDS):
    found = entitlements_from(payments, refunds, zone="Europe/Paris")
    return coverage(found, customer_id="c1", product_id="p1", shop_url=shop_url, at=at, kinds=kinds)


@pytest.mark.parametrize(("purchased_at", "at", "is_covered"), [
    pytest.param(T0, T0, True, id="at the purchase"),
    pytest.param(T0, datetime(2026, 4, 15, 10, tzinfo=PARIS) - SECOND, True,
                 id="one second before three months, across the DST change"),
    pytest.param(T0, datetime(2026, 4, 15, 10, tzinfo=PARIS), False, id="exactly three months"),
    pytest.param(datetime(2026, 1, 31, 23, 30, tzinfo=PARIS),
                 datetime(2026, 4, 30, 23, 30, tzinfo=PARIS) - SECOND, True,
                 id="31 January plus three months ends on 30 April"),
    pytest.param(datetime(2027, 11, 30, 9, tzinfo=PARIS),
                 datetime(2028, 2, 29, 9, tzinfo=PARIS) - SECOND, True,
                 id="30 November plus three months ends on 29 February 2028"),
    pytest.param(datetime(2027, 11, 30, 9, tzinfo=PARIS),
                 datetime(2028, 2, 29, 9, tzinfo=PARIS), False, id="and not a second later"),
])
def test_crj_1_a_one_time_purchase_gives_three_calendar_months_of_free_support(
        purchased_at, at, is_covered):
    assert covered([payment(occurred_at=purchased_at)], at=at).covered is is_covered


def test_crj_1_coverage_says_until_when_and_which_payment_and_rule():
    result = covered([payment()], at=T0 + DAY)

    assert result.until == datetime(2026, 4, 15, 8, tzinfo=UTC)
    assert (result.entitlement.rule, result.entitlement.payment_id) == ("CRJ-1", "pay1")
    assert "CRJ-1" in result.reason and "pay1" in result.reason


def test_crj_1_a_payment_that_does_not_say_it_recurs_is_a_one_time_purchase():
    assert covered([payment(purchase=None)], at=T0 + 80 * DAY).covered


def test_crj_1_free_support_months_is_a_profile_parameter():
    found = entitlements_from([payment()], [], zone="Europe/Paris", free_support_months=1)
    assert found[0].ends_at == datetime(2026, 2, 15, 9, tzinfo=UTC)


def test_crj_1_the_free_support_months_are_counted_in_the_marketplace_zone():
    late_evening = datetime(2026, 1, 31, 20, tzinfo=UTC)  # already 1 February in Kolkata
    found = entitlements_from([payment(occurred_at=late_evening)], [], zone="Asia/Kolkata")
    assert found[0].ends_at == datetime(2026, 4, 30, 20, tzinfo=UTC)


def test_crj_1_an_expired_entitlement_is_named_in_the_refusal():
    result = covered([payment()], at=T0 + 100 * DAY)

    assert not result.covered and result.entitlement.payment_id == "pay1"
    assert "expired" in result.reason


SUB_END = T0 + 30 * DAY


def subscription(payment_id: str, paid_at: datetime, until: datetime) -> Payment:
    return payment(payment_id=payment_id, order_id=payment_id, purchase="subscription",
                   occurred_at=paid_at, covers_until=until)


@pytest.mark.parametrize(("payments", "at", "until"), [
    pytest.param([subscription("s1", T0, SUB_END)], SUB_END - SECOND, SUB_END,
                 id="covered until the paid-through date"),
    pytest.param([subscription("s1", T0, SUB_END),
                  subscription("s2", SUB_END - DAY, SUB_END + 30 * DAY)], T0, SUB_END + 30 * DAY,
                 id="a renewal paid before the end extends it"),
    pytest.param([subscription("s1", T0, SUB_END),
                  subscription("s2", SUB_END, SUB_END + 30 * DAY)], SUB_END, SUB_END + 30 * DAY,
                 id="a renewal paid at the end leaves no gap"),
    pytest.param([subscription("s1", T0, SUB_END),
                  subscription("s2", SUB_END + 2 * DAY, SUB_END + 30 * DAY)], T0, SUB_END,
                 id="a late renewal does not carry the first period on"),
    pytest.param([subscription("s1", T0, SUB_END),
                  subscription("s2", SUB_END + 2 * DAY, SUB_END + 30 * DAY)],
                 SUB_END + DAY, None, id="the lapse before a late renewal is not covered"),
])
def test_crj_1_a_subscription_covers_its_paid_periods(payments, at, until):
    result = covered(payments, at=at)

    assert result.covered is (until is not None)
    assert result.until == until


def test_crj_1_a_subscription_without_a_paid_through_date_grants_nothing():
    assert entitlements_from([payment(purchase="subscription")], [], zone="Europe/Paris") == []


@pytest.mark.parametrize(("shop_url", "is_covered", "reason"), [
    pytest.param("https://www.boutique.fr/", True, "business_care", id="the licensed shop"),
    pytest.param("HTTP://Boutique.FR", True, "business_care", id="the same shop written otherwise"),
    pytest.param("https://other-shop.fr", False, "none for shop other-shop.fr", id="another shop"),
    pytest.param(None, False, "no shop URL given", id="no shop URL"),
])
def test_ps_1_business_care_is_per_product_and_shop(shop_url, is_covered, reason):
    result = covered([business_care()], at=T0 + DAY, shop_url=shop_url, kinds=("business_care",))

    assert result.covered is is_covered
    assert reason in result.reason


def test_ps_1_business_care_for_another_product_does_not_cover_this_one():
    result = covered([business_care(product_id="p2")], at=T0 + DAY, shop_url="boutique.fr")
    assert not result.covered and result.reason == "no entitlement for this product at this time"


def test_ps_1_business_care_ends_at_its_paid_through_date():
    assert not covered([business_care()], at=YEAR_LATER, shop_url="boutique.fr").covered
    assert covered([business_care()], at=YEAR_LATER - SECOND, shop_url="boutique.fr").covered


def test_ps_1_business_care_without_a_paid_through_date_grants_nothing():
    assert entitlements_from([business_care(covers_until=None)], [], zone="Europe/Paris") == []


@pytest.mark.parametrize("records", [
    pytest.param([payment(status="pending")], id="pending"),
    pytest.param([payment(status="failed")], id="failed"),
    pytest.param([payment(status="reversed")], id="reversed"),
    pytest.param([payment(), payment(status="reversed", occurred_at=T0 + DAY)],
                 id="succeeded then reversed"),
    pytest.param([payment(status="reversed", occurred_at=T0 + DAY), payment()],
                 id="reversed delivered before its success"),
    pytest.param([payment(status="reversed"), payment()], id="reversed, succeeded at one instant"),
    pytest.param([payment(), payment(status="reversed")], id="succeeded, reversed at one instant"),
    pytest.param([payment(status="pending"), payment(status="failed", occurred_at=T0 + DAY)],
                 id="pending then failed"),
])
def test_a_payment_that_did_not_stay_succeeded_grants_nothing(records):
    assert entitlements_from(records, [], zone="Europe/Paris") == []


def test_a_reinstated_payment_keeps_its_first_purchase_date():
    records = [payment(status="pending", occurred_at=T0 - DAY), payment(),
               payment(status="reversed", occurred_at=T0 + DAY),
               payment(occurred_at=T0 + 20 * DAY)]
    assert [e.starts_at for e in entitlements_from(records, [], zone="Europe/Paris")] == [T0]


def test_crj_4_a_duplicate_payment_does_not_extend_free_support():
    records = [payment(), payment(payment_id="pay2", occurred_at=T0 + 20 * DAY)]
    assert [e.payment_id for e in entitlements_from(records, [], zone="Europe/Paris")] == ["pay1"]


REFUNDED_AT = T0 + 10 * DAY


@pytest.mark.parametrize("refunds", [
    pytest.param([refund()], id="completed refund"),
    pytest.param([refund(), refund("requested", at=T0 + 9 * DAY, reason="unresolvable")],
                 id="refund of an unresolvable problem, PS-5"),
    pytest.param([refund(), refund(refund_id="r2", at=T0 + 50 * DAY)], id="the first one counts"),
])
def test_ps_8_a_completed_refund_ends_business_care_when_it_completes(refunds):
    [ended] = entitlements_from([business_care()], refunds, zone="Europe/Paris")

    assert (ended.ends_at, ended.ended_by) == (REFUNDED_AT.astimezone(UTC), "PS-8 refund r1")
    result = covered([business_care()], refunds, at=REFUNDED_AT, shop_url="boutique.fr")
    assert not result.covered and "PS-8 refund r1" in result.reason
    before = covered([business_care()], refunds, at=REFUNDED_AT - SECOND, shop_url="boutique.fr")
    assert before.covered


@pytest.mark.parametrize(("refunds", "payments"), [
    pytest.param([refund("requested")], [business_care()], id="a refund only requested"),
    pytest.param([refund(), refund("requested", reason="duplicate_payment")], [business_care()],
                 id="a refund of a duplicate payment"),
    pytest.param([refund(order_id="o2")], [business_care()], id="a refund of another order"),
    pytest.param([refund(marketplace="other")], [business_care()], id="another marketplace"),
    pytest.param([refund(at=T0 - DAY)], [business_care()], id="a refund before a re-purchase"),
    pytest.param([refund(marketplace="crmjetty")], [payment()], id="CRJ free support"),
])
def test_ps_8_these_refunds_end_nothing(refunds, payments):
    found = entitlements_from(payments, refunds, zone="Europe/Paris")
    assert found == entitlements_from(payments, [], zone="Europe/Paris")


def test_ps_8_a_refund_that_arrives_before_its_payment_ends_business_care_once_it_does():
    assert entitlements_from([], [refund()], zone="Europe/Paris") == []
    [ended] = entitlements_from([business_care()], [refund()], zone="Europe/Paris")
    assert ended.ended_by == "PS-8 refund r1"


def ticket_with(*messages: Message) -> Ticket:
    return Ticket(id="t1", marketplace="crmjetty", thread_id="th1", seller_id="acme",
                  product_id="p1", customer_id="c1", status=TicketStatus.OPEN, opened_at=T0,
                  messages=messages)


def delivery(sent_at: datetime, author: Author = Author.SELLER, tags=("customization_delivered",),
             message_id: str = "m1") -> Message:
    return Message(message_id=message_id, author=author, body="Delivered.", sent_at=sent_at,
                   tags=tags)


@pytest.mark.parametrize(("delivered_at", "ends_at"), [
    pytest.param(T0, datetime(2026, 2, 15, 10, tzinfo=PARIS), id="one calendar month"),
    pytest.param(datetime(2026, 1, 31, 18, tzinfo=PARIS), datetime(2026, 2, 28, 18, tzinfo=PARIS),
                 id="31 January ends on 28 February"),
    pytest.param(datetime(2028, 1, 31, 18, tzinfo=PARIS), datetime(2028, 2, 29, 18, tzinfo=PARIS),
                 id="31 January 2028 ends on 29 February"),
    pytest.param(datetime(2026, 3, 10, 12, tzinfo=PARIS), datetime(2026, 4, 10, 12, tzinfo=PARIS),
                 id="wall time kept across the DST change"),
])
def test_crj_10_customization_support_lasts_one_month_from_delivery(delivered_at, ends_at):
    assert customization_support(delivered_at, "Europe/Paris") == ends_at


@pytest.mark.parametrize(("message", "granted"), [
    pytest.param(delivery(T0), 1, id="a seller message tagged customization_delivered"),
    pytest.param(delivery(T0, author=Author.CUSTOMER), 0, id="a customer cannot grant it"),
    pytest.param(delivery(T0, tags=("paid",)), 0, id="an untagged seller message"),
])
def test_crj_10_delivery_is_a_tagged_seller_message(message, granted):
    assert len(customization_entitlements([ticket_with(message)], zone="Europe/Paris")) == granted


def test_crj_10_a_redelivery_restarts_the_month():
    found = customization_entitlements(
        [ticket_with(delivery(T0), delivery(T0 + 40 * DAY, message_id="m2"))],
        zone="Europe/Paris")
    result = coverage(found, customer_id="c1", product_id="p1", shop_url=None,
                      at=T0 + 50 * DAY, kinds=("customization_support",))

    assert result.covered
    assert (result.entitlement.rule, result.entitlement.payment_id) == ("CRJ-10", "m2")


def test_crj_10_free_support_does_not_count_as_customization_support():
    result = covered([payment()], at=T0 + DAY, kinds=("customization_support",))
    assert not result.covered


FREE = entitlements_from([payment()], [], zone="Europe/Paris")[0]
CARE_REFUNDED = entitlements_from([business_care()], [refund()], zone="Europe/Paris")[0]


@pytest.mark.parametrize(("opened_at", "entitlement", "at", "served"), [
    pytest.param(T0 + DAY, FREE, T0 + 200 * DAY, True, id="opened while covered, lapsed since"),
    pytest.param(FREE.ends_at - SECOND, FREE, FREE.ends_at + DAY, True, id="opened in time"),
    pytest.param(FREE.ends_at, FREE, FREE.ends_at, False, id="opened once it had lapsed"),
    pytest.param(T0 - DAY, FREE, T0 + DAY, False, id="opened before the purchase"),
    pytest.param(T0 + DAY, None, T0 + DAY, False, id="no entitlement"),
    pytest.param(T0 + DAY, CARE_REFUNDED, REFUNDED_AT - SECOND, True, id="before a PS-8 refund"),
    pytest.param(T0 + DAY, CARE_REFUNDED, REFUNDED_AT, False, id="a PS-8 refund ends it at once"),
])
def test_a_ticket_opened_while_covered_stays_served_through_a_lapse(opened_at, entitlement, at,
                                                                    served):
    assert ticket_stays_served(opened_at, entitlement, at=at) is served


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError, match="naive"):
        coverage([FREE], customer_id="c1", product_id="p1", shop_url=None, at=datetime(2026, 2, 1))


INSTANTS = [T0 + d * DAY for d in (0, 1, 40, 100, 400)]
payment_records = st.builds(
    lambda pid, status, at, grant, shop: payment(
        payment_id=pid, order_id=f"o{pid[-1]}", status=status, occurred_at=at, shop_url=shop,
        **grant),
    st.sampled_from(["pay1", "pay2", "pay3"]),
    st.sampled_from(["pending", "succeeded", "failed", "reversed"]),
    st.sampled_from(INSTANTS),
    st.sampled_from([{}, {"purchase": "subscription", "covers_until": YEAR_LATER},
                     {"marketplace": "prestashop", "plan": "business_care",
                      "covers_until": YEAR_LATER}]),
    st.sampled_from([None, "boutique.fr", "https://www.boutique.fr/"]))
refund_records = st.builds(
    lambda rid, state, at, reason, order: refund(state, at=at, refund_id=rid, reason=reason,
                                                 order_id=order),
    st.sampled_from(["r1", "r2"]), st.sampled_from(["requested", "completed"]),
    st.sampled_from(INSTANTS), st.sampled_from(["unresolvable", "duplicate_payment"]),
    st.sampled_from(["o1", "o2"]))


@given(st.lists(payment_records, max_size=8), st.lists(refund_records, max_size=4), st.data())
def test_entitlements_do_not_depend_on_the_order_events_arrived_in(payments, refunds, data):
    shuffled_payments = data.draw(st.permutations(payments))
    shuffled_refunds = data.draw(st.permutations(refunds))

    assert (entitlements_from(shuffled_payments, shuffled_refunds, zone="Europe/Paris")
            == entitlements_from(payments, refunds, zone="Europe/Paris"))
