"""The seller's running aggregates agree with a fresh fold of the same tickets and orders, however
they got there (new versions, tickets leaving the window, orders dropping out)."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from chalicelib.domain.model import ClockState, Order, SlaClock, Ticket, TicketStatus
from chalicelib.services.summary_money import OrderDigest
from chalicelib.services.summary_parts import Digest
from chalicelib.services.summary_window import SellerWindow
from tests.builders import T0

H = timedelta(hours=1)


def a_ticket(n: int, version: int, rng: random.Random) -> Ticket:
    state = rng.choice([ClockState.MET, ClockState.BREACHED, ClockState.RUNNING])
    clock = SlaClock(name="first_response", rule=rng.choice(["PS-3", "CRJ-5"]), started_at=T0,
                     due_at=T0 + 24 * H * rng.randint(1, 5), state=state,
                     stopped_at=T0 + H * rng.randint(1, 90) if state is ClockState.MET else None)
    return Ticket(id=f"t{n}", marketplace="prestashop", thread_id=f"th{n}", seller_id="acme",
                  product_id="p", customer_id="c", status=TicketStatus.OPEN, opened_at=T0,
                  version=version, sla=(clock,))


def digest_of(ticket: Ticket) -> Digest:
    clock = ticket.sla[0]
    settled = () if clock.running else ((clock.rule, (clock.stopped_at or clock.due_at).date(),
                                         clock.state is ClockState.MET),)
    answered = (clock.stopped_at, (clock.stopped_at - clock.started_at) / H) if clock.stopped_at else None
    return Digest(settled, answered)


def order_digest(order: Order) -> OrderDigest:
    at = T0 + timedelta(days=order.version % 9)
    return OrderDigest(((at, {"order_id": order.order_id, "v": order.version}),),
                       ({"order_id": order.order_id},) if order.version % 2 else ())


def test_incremental_aggregates_equal_a_fresh_fold():
    rng = random.Random(20261123)
    window, tickets, orders = SellerWindow(), {}, {}
    for _ in range(300):
        for n in rng.sample(range(60), 8):  # new tickets, new versions
            tickets[n] = a_ticket(n, tickets[n].version + 1 if n in tickets else 1, rng)
        for n in rng.sample(sorted(tickets), min(3, len(tickets))):  # leave the window
            del tickets[n]
        for n in rng.sample(range(20), 3):
            orders[n] = Order("prestashop", f"o{n}", version=orders[n].version + 1 if n in orders else 1)
        if orders and rng.random() < 0.3:
            del orders[rng.choice(sorted(orders))]
        window.sync_tickets(list(tickets.values()), digest_of)
        window.sync_orders(list(orders.values()), order_digest)
    fresh = SellerWindow()
    fresh.sync_tickets(list(tickets.values()), digest_of)
    fresh.sync_orders(list(orders.values()), order_digest)
    assert window.tally == fresh.tally and window.answers == fresh.answers
    assert window.median_answer == fresh.median_answer
    span = (T0 - timedelta(days=1), T0 + timedelta(days=10))
    assert window.deadlines_between(*span) == fresh.deadlines_between(*span)
    assert sorted(map(str, window.owed())) == sorted(map(str, fresh.owed()))


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    window = SellerWindow()
    tickets = [replace(a_ticket(n, 1, random.Random(n)), sla=(SlaClock(
        name="first_response", rule="PS-3", started_at=T0, due_at=T0 + 24 * H, state=ClockState.MET,
        stopped_at=T0 + hours * H),)) for n, hours in enumerate((1, 2, 4, 10))]
    window.sync_tickets(tickets, digest_of)
    assert window.median_answer == 3.0 and window.tally == {("PS-3", T0.date(), True): 4}
