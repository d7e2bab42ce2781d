"""Payments, entitlements and refunds through bootstrap.build with in-memory fakes."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest

from chalicelib.api.direct import deliver
from chalicelib.domain.events import TimerFired
from chalicelib.domain.model import Marketplace, Seller
from tests import fakes
from tests.builders import (SECRET, T0, iso, message_event, payment_event, refund_completed_event,
                            refund_requested_event)

YEAR = timedelta(days=365)


@pytest.fixture
def wiring():
    services = fakes.build()
    services.tenants.add_marketplace(Marketplace("crmjetty", "crmjetty", (SECRET,)))
    services.tenants.add_seller(Seller("jetty"))
    return services



def ps_ticket(wiring, thread: str, at=T0):
    return deliver(wiring, message_event(thread_id=thread, shop_url="https://www.boutique.fr",
                                         at=at, customer_id=f"c-{thread}"), "prestashop").response


def business_care(**data):
    return payment_event(order_id="bc-1", plan="business_care", shop_url="boutique.fr",
                         covers_until=iso(T0 + YEAR), **data)


def test_ps_1_refused_then_served_after_business_care_then_refused_after_refund(wiring):
    assert ps_ticket(wiring, "a")["decided_by"] == "PS-1"
    deliver(wiring, business_care(customer_id="c-b"), "prestashop")
    served = ps_ticket(wiring, "b", at=T0 + timedelta(hours=1))
    assert served["ticket"]["status"] == "open" and served["decided_by"] is None
    assert ("PS-1", "accept") in [(d["rule"], d["outcome"]) for d in served["decisions"]]

    ended = deliver(wiring, refund_completed_event(order_id="bc-1", at=T0 + timedelta(hours=2)),
                    "prestashop").response
    assert ("PS-8", "close") in [(d["rule"], d["outcome"]) for d in ended["decisions"]]
    assert wiring.store.load_ticket(served["ticket"]["id"]).close_reason == "entitlement_ended"
    again = deliver(wiring, message_event(thread_id="b2", shop_url="boutique.fr", customer_id="c-b",
                                          at=T0 + timedelta(hours=3)), "prestashop").response
    assert again["decided_by"] == "PS-1"


def crm_payment(payment_id: str, **data):
    return payment_event(payment_id=payment_id, order_id="o-9", seller_id="jetty",
                         purchase="one_time", **data)


def test_crj_4_a_duplicate_is_detected_once_and_refunded_once_whatever_the_replays(wiring):
    first, second = crm_payment("p1"), crm_payment("p2", at=T0 + timedelta(minutes=1))
    for attempt in range(3):  # replays with the same and with new webhook ids
        deliver(wiring, first, "crmjetty", webhook_id="wh-p1")
        deliver(wiring, second, "crmjetty", webhook_id=f"wh-p2-{attempt}")
    order = wiring.store.load_order("crmjetty", "jetty", "o-9")
    assert [d.code for d in order.decisions] == ["duplicate_payment"]
    [timer] = wiring.scheduler.pending(order.subject_id)
    assert timer.due_at == T0 + timedelta(minutes=1, days=3)
    fired = [wiring.timers.fire(TimerFired(timer.subject_id, timer.kind, timer.version, timer.due_at))
             for _ in range(3)]
    refunds = [a for f in fired if not f.duplicate for a in f.response["actions"] if a["type"] == "refund"]
    assert refunds == [{"type": "refund", "payment_id": "p2"}]
    assert wiring.store.load_order("crmjetty", "jetty", "o-9").refunds_issued == ("p2",)
    assert wiring.scheduler.pending(order.subject_id) == []


def test_crj_4_a_pending_payment_tells_the_customer_not_to_pay_again(wiring):
    response = deliver(wiring, crm_payment("p1", status="pending"), "crmjetty").response
    assert [a["template"] for a in response["actions"]] == ["payment_pending"]


def test_ps_7_verdicts(wiring):
    deliver(wiring, business_care(), "prestashop")
    cases = {"r-early": ("not_downloaded", T0 + timedelta(days=10), False, "eligible"),
             "r-mid": ("other", T0 + timedelta(days=60), None, "seller_discretion"),
             "r-late": ("not_working", T0 + timedelta(days=200), None, "ineligible")}
    for refund_id, (reason, at, downloaded, _) in cases.items():
        deliver(wiring, refund_requested_event(refund_id=refund_id, order_id="bc-1", reason=reason,
                                               at=at, product_downloaded=downloaded), "prestashop")
    order = wiring.store.load_order("prestashop", "acme", "bc-1")
    assert {d.evidence["refund_id"]: d.code for d in order.decisions if d.rule == "PS-7"} == {
        k: v[3] for k, v in cases.items()}


def final_state(wiring, events):
    for event in events:
        deliver(wiring, event, "prestashop")
    order = wiring.store.load_order("prestashop", "acme", "bc-1")
    return ([(d.rule, d.code, d.evidence.get("refund_id")) for d in order.decisions],
            sorted(order.refunds_issued), sorted(p.payment_id for p in order.payments))


def test_out_of_order_refund_and_payment_end_in_the_same_state():
    """A refund may overtake its payment when it names its seller (`seller_id`, issue 15)."""
    events = [business_care(payment_id="pay-x"),
              refund_requested_event(refund_id="r1", order_id="bc-1", reason="not_downloaded",
                                     at=T0 + timedelta(days=3), product_downloaded=False,
                                     seller_id="acme"),
              refund_completed_event(refund_id="r1", order_id="bc-1", at=T0 + timedelta(days=4),
                                     seller_id="acme")]
    in_order = final_state(fakes.build(), events)
    for seed in range(5):
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        assert final_state(fakes.build(), shuffled) == in_order
    assert ("PS-7", "eligible", "r1") in in_order[0]


def test_entitlements_route_data_names_rule_and_payment(wiring):
    deliver(wiring, business_care(payment_id="pay-bc"), "prestashop")
    seller = wiring.tenants.seller("acme")
    view = wiring.status.entitlements(seller, "cust-1", "one-step-checkout", T0 + timedelta(days=1))
    assert view["covered"] is True and view["until"] == iso(T0 + YEAR)
    assert [(i["rule"], i["payment_id"], i["shop"]) for i in view["items"]] == [("PS-1", "pay-bc", "boutique.fr")]
