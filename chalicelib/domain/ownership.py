"""Whose is it: a refund's seller, and a later message that must match its ticket. Pure."""
from __future__ import annotations

from typing import Iterable

from .errors import InvalidInputError
from .model import Order, Refund, Ticket

THREAD_FIELDS = ("seller_id", "customer_id", "product_id")


def refund_seller(refund: Refund, orders_with_that_id: Iterable[Order]) -> str:
    """The refund's own `seller_id`, else the one seller whose order of that id fits it.

    Without `seller_id`, a `refund.requested` matches that customer's orders of the id and a
    `refund.completed` (no customer on the wire) any seller's; none or several is a 400.
    """
    if refund.seller_id:
        return refund.seller_id
    sellers = sorted({o.seller_id for o in orders_with_that_id if o.seller_id
                      and (refund.customer_id is None or o.customer_id == refund.customer_id)})
    if len(sellers) == 1:
        return sellers[0]
    problem = ("required: several sellers have an order with this id" if sellers else
               "required: no payment of this order is known yet, so its seller is not either")
    raise InvalidInputError(f"which seller's order '{refund.order_id}'?", [("data.seller_id", problem)])


def check_same_thread(ticket: Ticket | None, **event_fields: str) -> None:
    """A later message names its ticket's seller, customer and product, or it is refused (400)."""
    if ticket is None:
        return
    wrong = [(f"data.{name}", "differs from the ticket this thread opened")
             for name in THREAD_FIELDS if event_fields[name] != getattr(ticket, name)]
    if wrong:
        raise InvalidInputError("message contradicts its thread's ticket", wrong)
