"""What one decision changes, as data: new states, slot moves, decisions and actions.

Every decider in policy/ returns Effects; services/assemble.py alone turns them into the
store's Change (versions, timers, vault items, the answer and the outbox).
"""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.actions import Action
from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import EarlyClose, Message, Order, SlotWrite, Ticket


@dataclass(frozen=True)
class TicketUpdate:
    """A ticket's new state. `before` None: a new ticket (`replaces`: the early close it
    takes the place of)."""

    before: Ticket | None
    after: Ticket
    new_messages: tuple[Message, ...] = ()
    replaces: EarlyClose | None = None


@dataclass(frozen=True)
class OrderUpdate:
    before: Order | None
    after: Order


@dataclass(frozen=True)
class Effects:
    tickets: tuple[TicketUpdate, ...] = ()
    slots: tuple[SlotWrite, ...] = ()
    orders: tuple[OrderUpdate, ...] = ()
    early_closes: tuple[EarlyClose, ...] = ()
    ticket: Ticket | None = None  # the ticket the answer is about
    order: Order | None = None
    decisions: tuple[Decision, ...] = ()  # every decision this change records, in answer order
    deciding: Decision | None = None
    actions: tuple[Action, ...] = ()
    note: str | None = None
