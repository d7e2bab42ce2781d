"""The one transition out of `open`: every path that closes or rejects a ticket comes here.

It gives the closed ticket with its reply clocks stopped (a clock past due is breached now),
no credentials kept (CRJ-3: deleted when the request closes), the release of the customer's
open slot (CMS-4) and the `close_thread` action for the marketplace.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.actions import CloseThread
from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import EarlyClose, SlotWrite, Ticket, TicketStatus

from . import clocks
from .effects import Effects, TicketUpdate
from .profile import Profile


@dataclass(frozen=True)
class Closing:
    ticket: Ticket
    breaches: tuple[Decision, ...]  # SLA breaches the close itself records
    slots: tuple[SlotWrite, ...]  # the slot release, if the ticket held the slot
    action: CloseThread


def close_ticket(profile: Profile, ticket: Ticket, at: datetime, reason: str, *,
                 status: TicketStatus = TicketStatus.CLOSED,
                 linked_to: str | None = None) -> Closing:
    closed = replace(ticket.closed(at, reason, status), holds_slot=False, vault=(),
                     linked_to=linked_to or ticket.linked_to)
    closed, breaches = clocks.on_close(profile, closed)
    return Closing(closed, breaches, release_slot(ticket), CloseThread(ticket.thread_id))


def release_slot(ticket: Ticket) -> tuple[SlotWrite, ...]:
    if not ticket.holds_slot:
        return ()
    return (slot_write(ticket, ticket.id, None, ""),)


def slot_write(ticket: Ticket, expected: str | None, holder: str | None, key: str) -> SlotWrite:
    return SlotWrite(ticket.marketplace, ticket.seller_id, ticket.customer_id,
                     expected=expected, ticket_id=holder, opened_key=key)


def decide_thread_closed(profile: Profile | None, ticket: Ticket | None, early: EarlyClose | None,
                         close: EarlyClose) -> Effects:
    """thread.closed: the marketplace closed the thread (no close_thread to ask for). One that
    overtook the first message is kept in the ticket's place, and the ticket opens closed."""
    if early is not None:
        return Effects(note="thread already closed before its first message")
    if ticket is None:
        return Effects(early_closes=(close,),
                       note="thread closed before its first message: its ticket will open closed")
    if not ticket.is_open:
        return Effects(ticket=ticket, note="ticket already closed")
    closing = close_ticket(profile, ticket, close.closed_at, "thread_closed")
    return Effects(tickets=(TicketUpdate(ticket, closing.ticket),), ticket=closing.ticket,
                   slots=closing.slots, decisions=closing.breaches)
