"""Deliveries overtaking each other further than the soak's jitter end in the state of an
in-order delivery (a close that comes first, a seller reply that overtakes the request); a
late answer is answered with its breach."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from chalicelib.api import direct
from chalicelib.domain.model import ClockState, TicketStatus, ticket_id_for
from chalicelib.services.ports import TicketQuery
from tests import fakes
from tests.builders import T0, message_event, thread_closed_event


@pytest.fixture
def wiring():
    return fakes.build()


def deliver(wiring, event: dict, marketplace: str = "cmsmart"):
    return direct.deliver(wiring, event, marketplace)


def open_tickets(wiring, customer: str) -> list[str]:
    found = wiring.store.list_tickets(TicketQuery(seller_id="acme", customer_id=customer)).items
    return [t.thread_id for t in found if t.is_open]


def test_a_thread_closed_that_overtakes_the_first_message_is_not_lost(wiring):
    early = deliver(wiring, thread_closed_event(thread_id="t-late", at=T0 + timedelta(minutes=5)))
    assert early.response["ticket"] is None and "first message" in early.response["note"]
    deliver(wiring, message_event(thread_id="t-late", at=T0))
    ticket = wiring.store.load_ticket(ticket_id_for("cmsmart", "t-late"))
    assert (ticket.status, ticket.close_reason) == (TicketStatus.CLOSED, "thread_closed")
    assert ticket.closed_at == T0 + timedelta(minutes=5) and ticket.opened_at == T0


def test_a_ticket_that_opens_closed_holds_no_slot_and_wants_no_timer(wiring):
    deliver(wiring, thread_closed_event(thread_id="t-late", at=T0 + timedelta(minutes=5)))
    deliver(wiring, message_event(thread_id="t-late", customer_id="c-2", at=T0))
    assert wiring.store.load_ticket(ticket_id_for("cmsmart", "t-late")).timers == ()
    assert wiring.scheduler.pending() == []
    deliver(wiring, message_event(thread_id="t-next", customer_id="c-2", at=T0 + timedelta(hours=1)))
    assert open_tickets(wiring, "c-2") == ["t-next"]  # CMS-4: the slot was never taken


def test_cms_3_still_judges_a_first_message_that_arrives_after_the_close(wiring):
    deliver(wiring, thread_closed_event(thread_id="t-late", at=T0 + timedelta(minutes=5)))
    opened = deliver(wiring, message_event(thread_id="t-late", at=T0,
                                           body="Why? Where? Who? What? When? How?"))
    assert opened.response["decided_by"] == "CMS-3"


def test_a_repeated_early_close_is_acknowledged_once(wiring):
    deliver(wiring, thread_closed_event(thread_id="t-late"))
    again = deliver(wiring, thread_closed_event(thread_id="t-late", at=T0 + timedelta(minutes=1)))
    assert again.response["note"] == "thread already closed before its first message"


def test_a_close_and_a_first_message_racing_always_end_closed(wiring):
    """Whichever commits second finds the other's write (the early close lives at the ticket's key)."""
    for n in range(40):
        thread = f"t-race-{n}"
        events = [thread_closed_event(thread_id=thread, at=T0 + timedelta(minutes=5)),
                  message_event(thread_id=thread, customer_id=f"c-race-{n}", at=T0)]
        workers = [threading.Thread(target=deliver, args=(wiring, e)) for e in events[:: 1 - 2 * (n % 2)]]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert wiring.store.load_ticket(ticket_id_for("cmsmart", thread)).status is TicketStatus.CLOSED


def test_a_seller_reply_that_overtakes_the_first_message_leaves_one_open_ticket(wiring):
    deliver(wiring, message_event(thread_id="t-b", customer_id="c-9", at=T0 + timedelta(seconds=50)))
    deliver(wiring, message_event(thread_id="t-a", customer_id="c-9", author="seller",
                                  body="We are looking into it.", at=T0 + timedelta(hours=2)))
    deliver(wiring, message_event(thread_id="t-a", customer_id="c-9", at=T0))  # retried for hours
    assert open_tickets(wiring, "c-9") == ["t-a"]


def test_the_customers_first_message_opens_even_after_a_seller_one(wiring):
    deliver(wiring, message_event(thread_id="ps-1", author="seller", body="We are looking into it.",
                                  at=T0 + timedelta(hours=2)), "prestashop")
    opened = deliver(wiring, message_event(thread_id="ps-1", tags=["pre_sale"], at=T0), "prestashop")
    assert "PS-2" in [d["rule"] for d in opened.response["decisions"]]  # the opening rules ran
    ticket = wiring.store.load_ticket(ticket_id_for("prestashop", "ps-1"))
    assert ticket.opened_at == T0
    assert [(c.name, c.state) for c in ticket.sla] == [("first_response", ClockState.MET)]
    assert wiring.scheduler.pending(ticket.id) == []  # answered: no reminder, no breach pending


def test_ps_3_a_late_answer_is_answered_with_its_breach(wiring):
    deliver(wiring, message_event(thread_id="ps-2", tags=["pre_sale"], at=T0), "prestashop")
    late = deliver(wiring, message_event(thread_id="ps-2", author="seller", body="Sorry for the delay.",
                                         at=T0 + timedelta(days=3)), "prestashop")
    assert [(d["rule"], d["code"]) for d in late.response["decisions"]] == [("PS-3", "sla_breached")]


def test_a_first_message_sent_after_an_early_close_opens_the_ticket_as_usual(wiring):
    deliver(wiring, thread_closed_event(thread_id="t-old", at=T0))  # a thread from before
    opened = deliver(wiring, message_event(thread_id="t-old", customer_id="c-3",
                                           at=T0 + timedelta(days=2)))
    assert opened.response["ticket"]["status"] == "open"
    assert open_tickets(wiring, "c-3") == ["t-old"]
