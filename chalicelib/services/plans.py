"""A Plan: what a handler decided to write, and what the marketplace is told."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.decisions import Action, Decision
from chalicelib.domain.model import Payment, Refund, Ticket

from .ports import SlotWrite, TicketWrite


@dataclass(frozen=True)
class Plan:
    tickets: tuple[TicketWrite, ...] = ()
    slots: tuple[SlotWrite, ...] = ()
    payments: tuple[Payment, ...] = ()
    refunds: tuple[Refund, ...] = ()
    ticket: Ticket | None = None
    decisions: tuple[Decision, ...] = ()
    actions: tuple[Action, ...] = ()
    deciding: Decision | None = None
    note: str | None = None
