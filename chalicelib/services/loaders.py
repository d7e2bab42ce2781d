"""Load the facts a decision needs, once per attempt: the only reads before a commit."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.events import MessageCreated
from chalicelib.domain.model import Author, EarlyClose, Order, Refund, Ticket, ticket_id_for
from chalicelib.domain.ownership import check_same_thread, refund_seller
from chalicelib.policy.facts import MessageFacts, OrderFacts, TicketPast
from chalicelib.policy.messages import opens
from chalicelib.policy.money import settled_payments
from chalicelib.policy.profile import Profile
from chalicelib.policy.rules.open_tickets import SlotHolder

from .ports import TicketQuery, TicketStore
from .profiles import Profiles

MONEY_RULE_TYPES = ("other_shop", "incompatible_version", "support_entitlement")
PAST_TICKETS = 50  # PS-7 asks whether there was one before the request: a page is plenty


@dataclass
class Loader:
    store: TicketStore
    profiles: Profiles

    def message(self, marketplace: str, event: MessageCreated, profile: Profile,
                holder: SlotHolder | None) -> MessageFacts:
        """The stored side of the facts; the handler adds the message's own (text, vault)."""
        ticket_id = ticket_id_for(marketplace, event.thread_id)
        money = (event.message.author is Author.CUSTOMER
                 and any(profile.rule_of_type(t) for t in MONEY_RULE_TYPES))
        if money:  # the orders come with the thread: one read, needed or not
            ticket, early, orders = self.store.load_thread_and_orders(
                ticket_id, event.seller_id, event.customer_id)
        else:
            (ticket, early), orders = self.store.load_thread(ticket_id), []
        check_same_thread(ticket, seller_id=event.seller_id, customer_id=event.customer_id,
                          product_id=event.product_id)
        payments, refunds = (), ()
        if money and _may_open(ticket, event):
            mine = [o for o in orders if o.marketplace == marketplace]
            payments = tuple(settled_payments(p for o in mine for p in o.payments))
            refunds = tuple(r for o in mine for r in o.refunds)
        holder_ticket = None
        if holder is not None and holder.ticket_id != ticket_id:
            holder_ticket = self.store.load_ticket(holder.ticket_id)
        return MessageFacts(marketplace=marketplace, event=event, profile=profile, text=None,
                            ticket=ticket, early_close=early, payments=payments,
                            refunds=refunds, holder=holder, holder_ticket=holder_ticket)

    def thread(self, ticket_id: str) -> tuple[Ticket | None, EarlyClose | None, Profile | None]:
        ticket, early = self.store.load_thread(ticket_id)
        return ticket, early, self._profile(ticket)

    def ticket(self, ticket_id: str) -> tuple[Ticket | None, Profile | None]:
        ticket = self.store.load_ticket(ticket_id)
        return ticket, self._profile(ticket)

    def order(self, marketplace: str, order_id: str, *, seller_id: str | None = None,
              customer_id: str | None = None, refund: Refund | None = None) -> OrderFacts:
        """One seller's order; a refund without a seller names it through its order id."""
        if seller_id is None and refund is not None:
            known = () if refund.seller_id else self.store.orders_with_id(marketplace, order_id)
            seller_id = refund_seller(refund, known)
        order = self.store.load_order(marketplace, seller_id or "", order_id)
        customer_id = (order.customer_id if order else None) or customer_id
        profile = self.profiles.profile_for(marketplace, seller_id or "")
        if not (seller_id and customer_id):
            return OrderFacts(order, profile, seller_id)
        return OrderFacts(order, profile, seller_id,
                          tickets_before=self._past(profile, order, refund, seller_id, customer_id),
                          open_tickets=self._open(profile, refund, seller_id, customer_id))

    def _profile(self, ticket: Ticket | None) -> Profile | None:
        return ticket and self.profiles.profile_for(ticket.marketplace, ticket.seller_id)

    def _past(self, profile: Profile, order: Order | None, refund: Refund | None, seller_id: str,
              customer_id: str) -> tuple[TicketPast, ...]:
        """PS-7 needs the customer's tickets before each refund request, if there is one."""
        requests = [r for r in (order.refunds if order else ()) + ((refund,) if refund else ())
                    if r.state == "requested"]
        if not requests or profile.rule_of_type("refund_window") is None:
            return ()
        page = self.store.list_tickets(TicketQuery(
            seller_id=seller_id, customer_id=customer_id,
            opened_until=max(r.at for r in requests), limit=PAST_TICKETS))
        return tuple(TicketPast(t.product_id, t.opened_at) for t in page.items)

    def _open(self, profile: Profile, refund: Refund | None, seller_id: str,
              customer_id: str) -> tuple[Ticket, ...]:
        """PS-8 closes the open tickets a completed refund ends."""
        ends = profile.rule_of_type("refund_termination")
        if refund is None or refund.state != "completed" or not ends:
            return ()
        page = self.store.list_tickets(TicketQuery(seller_id=seller_id, status="open",
                                                   customer_id=customer_id, limit=PAST_TICKETS))
        loaded = (self.store.load_ticket(t.id) for t in page.items)
        return tuple(t for t in loaded if t is not None)


def _may_open(ticket: Ticket | None, event: MessageCreated) -> bool:
    customer = event.message.author is Author.CUSTOMER
    return customer and (ticket is None or opens(ticket, event.message))
