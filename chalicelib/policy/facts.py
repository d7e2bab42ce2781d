"""Everything a decision needs, loaded once by services/loaders.py before it decides."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.events import MessageCreated
from chalicelib.domain.model import EarlyClose, Order, Payment, Refund, SharedCredentials, Ticket
from chalicelib.text.facts import TextFacts

from .profile import Profile
from .rules.open_tickets import SlotHolder


@dataclass(frozen=True)
class MessageFacts:
    marketplace: str
    event: MessageCreated  # its message already redacted
    profile: Profile
    text: TextFacts | None  # the analysis of a customer message, made once per delivery
    credentials: SharedCredentials = SharedCredentials()  # sealed from this message (CRJ-3)
    ticket: Ticket | None = None
    early_close: EarlyClose | None = None
    payments: tuple[Payment, ...] = ()  # the customer's settled payments, if an opening needs them
    refunds: tuple[Refund, ...] = ()
    holder: SlotHolder | None = None  # who holds the customer's open slot, learnt from a commit
    holder_ticket: Ticket | None = None


@dataclass(frozen=True)
class TicketPast:
    """A ticket of the customer as PS-7 needs it: on which product, opened when."""

    product_id: str
    opened_at: datetime


@dataclass(frozen=True)
class OrderFacts:
    order: Order | None
    profile: Profile
    seller_id: str | None = None  # whose order: orders are per seller
    tickets_before: tuple[TicketPast, ...] = ()  # the customer's tickets with this seller
    open_tickets: tuple[Ticket, ...] = ()  # loaded for a completed refund (PS-8)
