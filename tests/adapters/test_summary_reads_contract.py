"""The seller summary's three reads behave alike on the in-memory store and DynamoDB (moto)."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from chalicelib.domain.model import Order, Payment, TicketStatus, Timer
from chalicelib.services.ports import OrderWrite, TicketWrite
from tests.adapters.test_store_contract import a_ticket, change, create
from tests.builders import T0

D = timedelta(days=1)


def an_order(order_id: str, seller: str = "acme", at=T0, **overrides) -> Order:
    payment = Payment(payment_id=f"pay-{order_id}", order_id=order_id, marketplace="cmsmart",
                      seller_id=seller, product_id="p1", customer_id="c1", status="succeeded",
                      amount="10.00", currency="EUR", occurred_at=at)
    return replace(Order("cmsmart", order_id, version=1, customer_id="c1", seller_id=seller,
                         payments=(payment,)), **overrides)


class TestSummaryReads:
    def test_only_open_tickets_of_the_seller_are_listed_oldest_first(self, store):
        for n in range(3):
            create(store, a_ticket(f"th-{n}", at=T0 + timedelta(hours=n)))
        create(store, a_ticket("theirs", seller="globex"))
        first = store.load_ticket(a_ticket("th-0").id)
        closed = replace(first.closed(T0 + D, "seller"), version=2)
        store.commit(change("wh-close", TicketWrite(closed, 1)))
        assert [t.thread_id for t in store.open_tickets("acme", 10)] == ["th-1", "th-2"]
        assert [t.thread_id for t in store.open_tickets("acme", 1)] == ["th-1"]
        assert store.open_tickets("nobody", 10) == []
        assert all(t.status is TicketStatus.OPEN for t in store.open_tickets("globex", 10))

    def test_tickets_opened_since_are_a_range_newest_first_and_capped(self, store):
        for n in range(5):
            create(store, a_ticket(f"th-{n}", at=T0 + n * D))
        create(store, a_ticket("theirs", seller="globex", at=T0 + 4 * D))
        found = store.tickets_opened_since("acme", T0 + 2 * D, 10)
        assert [t.thread_id for t in found] == ["th-4", "th-3", "th-2"]
        assert [t.thread_id for t in store.tickets_opened_since("acme", T0, 2)] == ["th-4", "th-3"]
        assert store.tickets_opened_since("acme", T0 + 9 * D, 10) == []

    def test_seller_orders_are_those_still_active_since_the_instant(self, store):
        orders = [an_order("old", at=T0 - 90 * D), an_order("recent", at=T0 - 10 * D),
                  an_order("timer", at=T0 - 90 * D, timers=(Timer("duplicate_refund:x", T0, 1),)),
                  an_order("theirs", seller="globex")]
        store.commit(change("wh-orders", orders=tuple(OrderWrite(o, None) for o in orders)))
        found = store.seller_orders("acme", T0 - 30 * D, 10)
        assert sorted(o.order_id for o in found) == ["recent", "timer"]
        assert found[0] == store.load_order("cmsmart", "acme", found[0].order_id)
        assert len(store.seller_orders("acme", T0 - 365 * D, 1)) == 1
