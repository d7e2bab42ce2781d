"""A Plan: what a handler decided to write, and what the marketplace is told."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.decisions import Action, Decision
from chalicelib.domain.model import EarlyClose, Order, Ticket

from .ports import OrderWrite, SlotWrite, TicketWrite


@dataclass(frozen=True)
class Plan:
    tickets: tuple[TicketWrite, ...] = ()
    slots: tuple[SlotWrite, ...] = ()
    orders: tuple[OrderWrite, ...] = ()
    early_closes: tuple[EarlyClose, ...] = ()
    ticket: Ticket | None = None
    order: Order | None = None
    decisions: tuple[Decision, ...] = ()
    actions: tuple[Action, ...] = ()
    deciding: Decision | None = None
    note: str | None = None


def added_decisions(before: Ticket | None, after: Ticket) -> tuple[Decision, ...]:
    """Decisions are only ever appended: the new ones are the tail."""
    return after.decisions[len(before.decisions) if before else 0:]
