"""Timer subjects as schedules and stream records name them: a ticket id, or an order's
`order:<mp>:<len(seller)>:<seller>:<order>` (`domain.model.order_subject`). Read here, once,
into a typed reference that callers `match` on."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.model import Order, Ticket

from .ports import TicketStore


@dataclass(frozen=True)
class TicketRef:
    ticket_id: str


@dataclass(frozen=True)
class OrderRef:
    marketplace: str
    seller_id: str
    order_id: str


def subject_of(subject_id: str) -> TicketRef | OrderRef:
    """A subject of another format (a schedule set before orders had sellers) reads as a
    ticket id: its firing then finds nothing, a stale no-op."""
    if not subject_id.startswith("order:"):
        return TicketRef(subject_id)
    marketplace, _, rest = subject_id[len("order:"):].partition(":")
    length, _, rest = rest.partition(":")
    if not length.isdigit() or len(rest) <= int(length) or rest[int(length)] != ":":
        return TicketRef(subject_id)
    return OrderRef(marketplace, rest[:int(length)], rest[int(length) + 1:])


def load_subject(store: TicketStore, subject_id: str) -> Ticket | Order | None:
    match subject_of(subject_id):
        case OrderRef(marketplace, seller_id, order_id):
            return store.load_order(marketplace, seller_id, order_id)
        case TicketRef(ticket_id):
            return store.load_ticket(ticket_id)
