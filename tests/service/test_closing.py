"""Every path out of `open` goes through policy.closing.close_ticket: credentials purged (CRJ-3),
the customer's open slot released or moved (CMS-4). Each test takes one path."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from chalicelib.api import direct
from chalicelib.domain.events import TimerFired
from chalicelib.domain.model import TicketStatus
from chalicelib.policy.effects import Effects, TicketUpdate
from chalicelib.services.assemble import ClosingInvariantError, check_closes
from tests import fakes
from tests.builders import T0, message_event, thread_closed_event

SECRET_BODY = "Hi, the FTP login is shopftp and the password is Sup3r!Secret. Why does the upload fail?"


@pytest.fixture
def wiring():
    return fakes.build()


def open_with_credentials(wiring, thread="thread-1", at=T0) -> str:
    response = direct.deliver(wiring, message_event(thread_id=thread, body=SECRET_BODY, at=at),
                              "cmsmart").response
    ticket_id = response["ticket"]["id"]
    assert wiring.store.load_vault(ticket_id) and _slot_holder(wiring) == ticket_id
    return ticket_id


def _slot_holder(wiring) -> str | None:
    held = wiring.store.slots.get(("cmsmart", "acme", "cust-1"))
    return held[0] if held else None


def assert_closed_clean(wiring, ticket_id, reason):
    ticket = wiring.store.load_ticket(ticket_id)
    assert (ticket.status, ticket.close_reason) == (TicketStatus.CLOSED, reason)
    assert ticket.vault == () and wiring.store.load_vault(ticket_id) == []
    assert not ticket.holds_slot and _slot_holder(wiring) != ticket_id


def test_thread_closed_purges_the_vault_and_frees_the_slot(wiring):
    ticket_id = open_with_credentials(wiring)
    direct.deliver(wiring, thread_closed_event(), "cmsmart")
    assert_closed_clean(wiring, ticket_id, "thread_closed")
    assert _slot_holder(wiring) is None


def test_cms_5_auto_close_purges_the_vault_and_frees_the_slot(wiring):
    ticket_id = open_with_credentials(wiring)
    [timer] = wiring.scheduler.pending(ticket_id)
    wiring.timers.fire(TimerFired(ticket_id, timer.kind, timer.version, timer.due_at))
    assert_closed_clean(wiring, ticket_id, "expired")
    assert _slot_holder(wiring) is None


def test_cms_4_a_displaced_holder_is_purged_and_the_slot_moves(wiring):
    newer = open_with_credentials(wiring, thread="newer", at=T0 + timedelta(minutes=5))
    older = direct.deliver(wiring, message_event(thread_id="older", at=T0), "cmsmart").response
    assert_closed_clean(wiring, newer, "concurrent_issue")
    assert _slot_holder(wiring) == older["ticket"]["id"]


def test_cms_11_a_rejected_follow_up_purges_the_vault_and_frees_the_slot(wiring):
    ticket_id = open_with_credentials(wiring)
    threat = "I know where you live and I will burn down your office if this is not fixed today."
    direct.deliver(wiring, message_event(body=threat, at=T0 + timedelta(hours=1)), "cmsmart")
    ticket = wiring.store.load_ticket(ticket_id)
    assert ticket.status is TicketStatus.REJECTED
    assert wiring.store.load_vault(ticket_id) == [] and _slot_holder(wiring) is None


def test_a_close_that_skips_close_ticket_is_refused_before_any_write(wiring):
    ticket_id = open_with_credentials(wiring)
    held = wiring.store.load_ticket(ticket_id)
    forgot_vault = held.closed(T0, "thread_closed")
    with pytest.raises(ClosingInvariantError):
        check_closes(Effects(tickets=(TicketUpdate(held, forgot_vault),)))
    forgot_slot = replace(forgot_vault, vault=(), holds_slot=False)
    with pytest.raises(ClosingInvariantError):
        check_closes(Effects(tickets=(TicketUpdate(held, forgot_slot),)))
