"""One contract, two stores: the in-memory fake must behave like DynamoDB (run on moto)."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.domain.decisions import Decision
from chalicelib.domain.errors import (AlreadyAppliedError, ConcurrencyError, RequestRejectedError,
                                      SlotTakenError)
from chalicelib.domain.events import Delivery
from chalicelib.domain.model import (Author, ClockState, EarlyClose, Message, Order, Payment, Refund,
                                     SlaClock, Ticket, TicketStatus, TicketSummary, Timer, VaultRef,
                                     ticket_id_for)
from chalicelib.services.ports import Change, OrderWrite, SlotWrite, TicketQuery, TicketWrite
from tests.builders import T0


def a_message(n: int = 1, at=T0) -> Message:
    return Message(message_id=f"m{n}", author=Author.CUSTOMER, body=f"body {n}", sent_at=at,
                   tags=("pre_sale",), platform="magento", platform_version="2.4.7")


def a_ticket(thread: str = "th-1", seller: str = "acme", at=T0, **overrides) -> Ticket:
    ticket = Ticket(id=ticket_id_for("cmsmart", thread), marketplace="cmsmart", thread_id=thread,
                    seller_id=seller, product_id="p1", customer_id="c1", status=TicketStatus.OPEN,
                    opened_at=at, version=1, messages=(a_message(at=at),))
    return replace(ticket, **overrides)


def change(hook: str, *writes: TicketWrite, body_hash: str = "h", **extra) -> Change:
    return Change(delivery=Delivery("cmsmart", hook, body_hash, "message.created"),
                  response={"event_id": hook}, recorded_at=T0, tickets=writes, **extra)


def create(store, ticket: Ticket, hook: str | None = None) -> None:
    store.commit(change(hook or f"wh-{ticket.thread_id}", TicketWrite(ticket, None, ticket.messages)))


class TestTicketStoreContract:
    def test_a_committed_ticket_loads_back_equal(self, store):
        decision = Decision(rule="CMS-3", outcome="reject", reason="r", policy="cmsmart@1",
                            evidence={"count": 4}, code="too_many_questions")
        ticket = a_ticket(decisions=(decision,), timers=(Timer("auto_close", T0, 1),))
        create(store, ticket)
        assert store.load_ticket(ticket.id) == ticket

    def test_sla_clocks_and_the_sync_cue_round_trip(self, store):
        clock = SlaClock(name="first_response", rule="PS-3", started_at=T0,
                         due_at=T0 + timedelta(days=1), reminder_at=T0 + timedelta(hours=18),
                         state=ClockState.MET, stopped_at=T0 + timedelta(hours=2), reminded=True)
        ticket = a_ticket(sla=(clock,), timers=(Timer("sla_breach:first_response", T0, 1),))
        create(store, ticket)
        assert store.load_ticket(ticket.id) == ticket
        assert store.unsynced_subjects() == [ticket.id]

    def test_marking_timers_synced_clears_the_cue_only_at_that_version(self, store):
        ticket = a_ticket(timers=(Timer("auto_close", T0, 1),))
        create(store, ticket)
        store.mark_timers_synced(ticket.id, version=7)
        assert store.unsynced_subjects() == [ticket.id]
        store.mark_timers_synced(ticket.id, version=1)
        assert store.unsynced_subjects() == []

    def test_the_sync_cue_is_the_stores_a_write_that_keeps_the_timers_keeps_it(self, store):
        """A write whose timers changed sets the cue; one that keeps them leaves it as stored
        (still to sync, or synced): the ticket itself carries no storage flag (issue 13)."""
        ticket = a_ticket(timers=(Timer("auto_close", T0, 1),))
        create(store, ticket)
        second = a_message(2)
        store.commit(change("wh-2", TicketWrite.replacing(ticket, ticket.with_message(second),
                                                          (second,))))
        assert store.unsynced_subjects() == [ticket.id]  # the first sync had not happened
        store.mark_timers_synced(ticket.id, version=2)
        third = a_message(3)
        stored = store.load_ticket(ticket.id)
        store.commit(change("wh-3", TicketWrite.replacing(stored, stored.with_message(third),
                                                          (third,))))
        assert store.unsynced_subjects() == []  # synced, and the timers did not change
        stored = store.load_ticket(ticket.id)
        moved = replace(stored, timers=(Timer("auto_close", T0 + timedelta(days=1), 3),))
        store.commit(change("wh-4", TicketWrite.replacing(stored, moved)))
        assert store.unsynced_subjects() == [ticket.id]
        assert store.load_ticket(ticket.id).message_count == 3

    def test_an_unknown_ticket_loads_as_none(self, store):
        assert store.load_ticket("tkt_missing") is None

    def test_appending_a_message_keeps_both_in_order(self, store):
        ticket = a_ticket()
        create(store, ticket)
        second = a_message(2, T0 + timedelta(minutes=5))
        updated = replace(ticket.with_message(second), version=2)
        store.commit(change("wh-2", TicketWrite(updated, 1, (second,))))
        assert [m.message_id for m in store.load_ticket(ticket.id).messages] == ["m1", "m2"]

    def test_a_repeated_delivery_returns_the_first_response(self, store):
        create(store, a_ticket(), hook="wh-1")
        with pytest.raises(AlreadyAppliedError) as raised:
            store.commit(change("wh-1", TicketWrite(a_ticket("th-2"), None), body_hash="h"))
        assert raised.value.response == {"event_id": "wh-1"} and raised.value.body_hash == "h"
        assert store.load_ticket(a_ticket("th-2").id) is None

    def test_a_stale_version_is_a_conflict_and_changes_nothing(self, store):
        ticket = a_ticket()
        create(store, ticket)
        with pytest.raises(ConcurrencyError):
            store.commit(change("wh-x", TicketWrite(replace(ticket, version=3), 2)))
        assert store.load_ticket(ticket.id).version == 1

    def test_creating_an_existing_ticket_is_a_conflict(self, store):
        create(store, a_ticket())
        with pytest.raises(ConcurrencyError):
            create(store, a_ticket(), hook="wh-other")

    def test_a_failed_commit_does_not_record_the_delivery(self, store):
        ticket = a_ticket()
        create(store, ticket)
        with pytest.raises(ConcurrencyError):
            store.commit(change("wh-y", TicketWrite(ticket, 7)))
        store.commit(change("wh-y", TicketWrite(replace(ticket, version=2), 1)))

    def test_an_early_close_loads_with_the_thread_and_hides_from_tickets(self, store):
        early = EarlyClose(a_ticket().id, T0 + timedelta(minutes=5), "seller")
        store.commit(change("wh-close", early_closes=(early,)))
        assert store.load_thread(early.ticket_id) == (None, early)
        assert store.load_ticket(early.ticket_id) is None
        assert store.list_tickets(TicketQuery(seller_id="acme")).items == []

    def test_the_first_message_replaces_an_early_close_only_at_its_version(self, store):
        ticket = a_ticket()
        store.commit(change("wh-close", early_closes=(EarlyClose(ticket.id, T0),)))
        with pytest.raises(ConcurrencyError):  # a ticket write that did not see the close
            create(store, ticket, hook="wh-blind")
        store.commit(change("wh-first", TicketWrite(ticket, 0, ticket.messages)))
        assert store.load_thread(ticket.id) == (ticket, None)

    def test_an_early_close_cannot_land_on_a_ticket_or_on_another_close(self, store):
        ticket = a_ticket()
        create(store, ticket)
        with pytest.raises(ConcurrencyError):
            store.commit(change("wh-close", early_closes=(EarlyClose(ticket.id, T0),)))
        other = EarlyClose(a_ticket("th-2").id, T0)
        store.commit(change("wh-close-2", early_closes=(other,)))
        with pytest.raises(ConcurrencyError):
            store.commit(change("wh-close-3", early_closes=(other,)))
        assert store.load_thread(ticket.id) == (ticket, None)

    def test_the_open_slot_is_claimed_once(self, store):
        slot = SlotWrite("cmsmart", "acme", "c1", expected=None, ticket_id="t1", opened_key="k1")
        store.commit(change("wh-a", slots=(slot,)))
        with pytest.raises(SlotTakenError) as raised:
            store.commit(change("wh-b", slots=(replace(slot, ticket_id="t2", opened_key="k2"),)))
        assert (raised.value.ticket_id, raised.value.opened_key) == ("t1", "k1")

    def test_the_open_slot_moves_and_releases_only_from_its_holder(self, store):
        claim = SlotWrite("cmsmart", "acme", "c1", expected=None, ticket_id="t1", opened_key="k1")
        store.commit(change("wh-a", slots=(claim,)))
        store.commit(change("wh-b", slots=(replace(claim, expected="t1", ticket_id="t0"),)))
        with pytest.raises((SlotTakenError, ConcurrencyError)):
            store.commit(change("wh-c", slots=(replace(claim, expected="t1", ticket_id=None),)))
        store.commit(change("wh-d", slots=(replace(claim, expected="t0", ticket_id=None),)))
        store.commit(change("wh-e", slots=(claim,)))

    def test_tickets_list_newest_first_per_seller_with_filters(self, store):
        for n in range(4):
            create(store, a_ticket(f"th-{n}", at=T0 + timedelta(hours=n),
                                   status=TicketStatus.CLOSED if n % 2 else TicketStatus.OPEN))
        create(store, a_ticket("th-other", seller="globex"))
        page = store.list_tickets(TicketQuery(seller_id="acme"))
        assert [t.thread_id for t in page.items] == ["th-3", "th-2", "th-1", "th-0"]
        assert page.next_cursor is None
        page = store.list_tickets(TicketQuery(seller_id="acme", status="open"))
        assert [t.thread_id for t in page.items] == ["th-2", "th-0"]

    def test_listed_tickets_report_their_message_count(self, store):
        ticket = a_ticket()
        create(store, ticket)
        second = a_message(2, T0 + timedelta(minutes=5))
        store.commit(change("wh-2", TicketWrite(replace(ticket.with_message(second), version=2), 1,
                                                (second,))))
        [listed] = store.list_tickets(TicketQuery(seller_id="acme")).items
        assert listed.message_count == 2

    def test_lists_return_the_summary_read_model_not_half_loaded_tickets(self, store):
        """Every list (the status API's pages, the seller page's two reads) returns what the
        head says of the ticket and nothing it does not read: no messages, decisions or vault."""
        clock = SlaClock(name="first_response", rule="PS-3", started_at=T0,
                         due_at=T0 + timedelta(days=1), reminder_at=None,
                         state=ClockState.RUNNING, stopped_at=None, reminded=False)
        decision = Decision(rule="CMS-3", outcome="pass", reason="r", policy="cmsmart@1")
        ticket = a_ticket(sla=(clock,), decisions=(decision,), credentials_shared=2,
                          vault=(VaultRef("m1", "bundle", "2 credentials"),),
                          timers=(Timer("auto_close", T0 + timedelta(days=3), 1),))
        create(store, ticket)
        expected = TicketSummary.of(ticket)
        assert expected.holds_credentials and expected.message_count == 1
        assert store.list_tickets(TicketQuery(seller_id="acme")).items == [expected]
        assert store.open_tickets("acme", 10) == [expected]
        assert store.tickets_opened_since("acme", T0, 10) == [expected]
        assert not hasattr(expected, "messages") and not hasattr(expected, "decisions")

    def test_tickets_filter_by_opening_window_and_due_timers(self, store):
        for n in range(4):
            create(store, a_ticket(f"th-{n}", at=T0 + timedelta(hours=n),
                                   timers=(Timer("auto_close", T0 + timedelta(days=n), 1),)))
        window = TicketQuery(seller_id="acme", opened_from=T0 + timedelta(hours=1),
                             opened_until=T0 + timedelta(hours=3))
        assert [t.thread_id for t in store.list_tickets(window).items] == ["th-2", "th-1"]
        due = TicketQuery(seller_id="acme", due_before=T0 + timedelta(days=1, hours=1))
        assert [t.thread_id for t in store.list_tickets(due).items] == ["th-1", "th-0"]

    def test_tickets_paginate_without_gaps_or_repeats(self, store):
        for n in range(7):
            create(store, a_ticket(f"th-{n}", at=T0 + timedelta(minutes=n)))
        seen, cursor = [], None
        while True:
            page = store.list_tickets(TicketQuery(seller_id="acme", limit=3, cursor=cursor))
            seen += [t.thread_id for t in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == [f"th-{n}" for n in reversed(range(7))]

    def test_orders_round_trip_and_are_found_by_customer(self, store):
        payment = Payment(payment_id="pay1", order_id="o1", marketplace="cmsmart", seller_id="acme",
                          product_id="p1", customer_id="c1", status="succeeded", amount="10.00",
                          currency="EUR", occurred_at=T0, covers_until=T0 + timedelta(days=30),
                          compatible_versions=("1.7.x",))
        refund = Refund(refund_id="r1", order_id="o1", marketplace="cmsmart", state="requested",
                        at=T0 + timedelta(days=2), customer_id="c1", reason="not_working",
                        product_downloaded=True)
        order = Order("cmsmart", "o1", version=1, customer_id="c1", seller_id="acme",
                      payments=(payment,), refunds=(refund,), refunds_issued=("pay0",),
                      timers=(Timer("duplicate_refund:pay0", T0, 1),))
        store.commit(change("wh-o", orders=(OrderWrite(order, None),)))
        assert store.load_order("cmsmart", "acme", "o1") == order
        assert store.orders_for_customer("acme", "c1") == [order]
        assert store.orders_with_id("cmsmart", "o1") == [order]
        assert store.orders_for_customer("acme", "c2") == [] and store.load_order("cmsmart", "acme", "o2") is None
        subject = "order:cmsmart:4:acme:o1"
        assert store.unsynced_subjects() == [subject]
        store.mark_timers_synced(subject, 1)
        assert store.unsynced_subjects() == []

    def test_a_thread_comes_with_the_customers_orders_with_this_seller(self, store):
        """What a first message under money rules reads: the thread and, in the same read, the
        customer's payments and refunds with this seller, on every marketplace (issue 17)."""
        ticket = a_ticket()
        create(store, ticket)
        mine = Order("cmsmart", "o1", version=1, customer_id="c1", seller_id="acme",
                     payments=(Payment(payment_id="pay1", order_id="o1", marketplace="cmsmart",
                                       seller_id="acme", product_id="p1", customer_id="c1",
                                       status="succeeded", amount="10.00", currency="EUR",
                                       occurred_at=T0),))
        elsewhere = Order("crmjetty", "o9", version=1, customer_id="c1", seller_id="acme")
        theirs = Order("cmsmart", "o1", version=1, customer_id="c1", seller_id="globex")
        store.commit(change("wh-o", orders=(OrderWrite(mine, None), OrderWrite(elsewhere, None),
                                            OrderWrite(theirs, None))))
        later = replace(mine, version=2, refunds=(Refund(refund_id="r1", order_id="o1",
                                                         marketplace="cmsmart", state="requested",
                                                         at=T0, customer_id="c1"),))
        store.commit(change("wh-r", orders=(OrderWrite(later, 1),)))
        loaded, early, orders = store.load_thread_and_orders(ticket.id, "acme", "c1")
        assert (loaded, early) == (ticket, None)
        assert [(o.marketplace, o.order_id, o.seller_id, o.payments, o.refunds) for o in orders] == [
            ("cmsmart", "o1", "acme", later.payments, later.refunds), ("crmjetty", "o9", "acme", (), ())]
        assert store.load_thread_and_orders("tkt_none", "acme", "c2") == (None, None, [])

    def test_two_sellers_orders_of_one_order_id_are_two_orders(self, store):
        """One cart, several vendors: the order id alone names nothing (issue 15)."""
        mine = Order("cmsmart", "cart-1", version=1, customer_id="c1", seller_id="acme")
        theirs = Order("cmsmart", "cart-1", version=1, customer_id="c1", seller_id="globex")
        store.commit(change("wh-a", orders=(OrderWrite(mine, None),)))
        store.commit(change("wh-b", orders=(OrderWrite(theirs, None),)))
        assert store.load_order("cmsmart", "acme", "cart-1") == mine
        assert store.load_order("cmsmart", "globex", "cart-1") == theirs
        assert store.orders_for_customer("acme", "c1") == [mine]
        assert store.orders_for_customer("globex", "c1") == [theirs]
        assert sorted(o.seller_id for o in store.orders_with_id("cmsmart", "cart-1")) == ["acme", "globex"]

    def test_no_seller_and_customer_pair_spells_another_pairs_orders(self, store):
        """`#` in ids must not let (seller "a#b", customer "c") read (seller "a", customer "b#c")."""
        store.commit(change("wh-x", orders=(OrderWrite(Order("m", "o", version=1, customer_id="b#c",
                                                             seller_id="a"), None),)))
        assert store.orders_for_customer("a#b", "c") == []
        assert len(store.orders_for_customer("a", "b#c")) == 1

    def test_a_change_over_100_items_is_refused_whole_by_both_stores(self, store):
        """DynamoDB's transaction limit: the fake keeps it, so tests on it see what AWS would do."""
        messages = tuple(a_message(n) for n in range(1, 100))  # + ticket + delivery = 101 items
        with pytest.raises(RequestRejectedError):
            create(store, a_ticket(messages=messages))
        assert store.load_ticket(a_ticket().id) is None

    def test_a_stale_order_version_is_a_conflict(self, store):
        order = Order("cmsmart", "o1", version=1, customer_id="c1", seller_id="acme")
        store.commit(change("wh-o1", orders=(OrderWrite(order, None),)))
        with pytest.raises(ConcurrencyError):
            store.commit(change("wh-o2", orders=(OrderWrite(replace(order, version=3), 2),)))
