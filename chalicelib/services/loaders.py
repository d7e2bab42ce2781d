"""Load the facts a decision needs, once per attempt: the only reads before a commit."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.events import MessageCreated
from chalicelib.domain.model import Author, EarlyClose, Order, Refund, Ticket, ticket_id_for
from chalicelib.domain.ownership import check_same_thread, refund_seller
from chalicelib.policy.facts import MessageFacts, OrderFacts, TicketPast
from chalicelib.policy.messages import opens
from chalicelib.policy.money import settled_payments
from chalicelib.policy.order_state import verdicts_pending, with_refund
from chalicelib.policy.orders import terminated_products
from chalicelib.policy.profile import Profile
from chalicelib.policy.rules.open_tickets import SlotHolder

from .ports import TicketEntry, TicketQuery, TicketStore
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
        if refund is not None:
            return self._refund(marketplace, order_id, refund)
        order = self.store.load_order(marketplace, seller_id or "", order_id)
        customer_id = (order.customer_id if order else None) or customer_id
        profile = self.profiles.profile_for(marketplace, seller_id or "")
        if not (seller_id and customer_id):
            return OrderFacts(order, profile, seller_id)
        return OrderFacts(order, profile, seller_id,
                          tickets_before=self._past(profile, order, None, seller_id, customer_id))

    def _refund(self, marketplace: str, order_id: str, refund: Refund) -> OrderFacts:
        """One read: every seller's order of the id (which names the seller) and, for a
        request (the customer is on the wire), the customer's ticket digests; the digests are
        read apart only when PS-8 has open tickets to look for (a completed refund carries no
        customer), and the index only on a table whose digests are not complete."""
        read = self.store.load_order_read(marketplace, order_id, refund.customer_id)
        seller_id = refund_seller(refund, read.orders)
        order = next((o for o in read.orders if (o.seller_id or "") == seller_id), None)
        customer_id = (order.customer_id if order else None) or refund.customer_id
        profile = self.profiles.profile_for(marketplace, seller_id)
        if not customer_id:
            return OrderFacts(order, profile, seller_id)
        digest = None  # not read, incomplete, or read for another customer id: ask again
        if read.tickets is not None and customer_id == refund.customer_id:
            digest = read.tickets.get(seller_id, ())
        after = with_refund(order or Order(marketplace, order_id, seller_id=seller_id), refund)
        before = ()
        if verdicts_pending(profile, after):
            before = self._past(profile, order, refund, seller_id, customer_id) if digest is None \
                else _before(digest, after)
        ending = terminated_products(profile, after) if refund.state == "completed" else frozenset()
        open_tickets = self._ending(profile, refund, seller_id, customer_id, digest, ending) \
            if ending else ()
        return OrderFacts(order, profile, seller_id, tickets_before=before, open_tickets=open_tickets)

    def _ending(self, profile: Profile, refund: Refund, seller_id: str, customer_id: str,
                digest: tuple[TicketEntry, ...] | None, products: frozenset[str]) -> tuple[Ticket, ...]:
        """PS-8's open tickets: from the digest (read now when the refund named no customer),
        from the index on a table whose digests are not complete."""
        if digest is None:
            digest = self.store.customer_tickets(seller_id, customer_id)
        if digest is None:
            return self._open(profile, refund, seller_id, customer_id)
        return self._open_from(digest, products)

    def _open_from(self, digest: tuple[TicketEntry, ...], products: frozenset[str]) -> tuple[Ticket, ...]:
        """The digest's open tickets on those products, newest first (as the index lists them)."""
        wanted = sorted((e for e in digest if e.is_open and e.product_id in products),
                        key=lambda e: (e.opened_at, e.ticket_id), reverse=True)[:PAST_TICKETS]
        loaded = (self.store.load_ticket(e.ticket_id) for e in wanted)
        return tuple(t for t in loaded if t is not None)

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


def _before(digest: tuple[TicketEntry, ...], order: Order) -> tuple[TicketPast, ...]:
    """What `_past` finds through the index: the newest PAST_TICKETS opened before the latest
    request, from the digest instead."""
    until = max(r.at for r in order.refunds if r.state == "requested")
    found = sorted((e for e in digest if e.opened_at < until),
                   key=lambda e: (e.opened_at, e.ticket_id), reverse=True)[:PAST_TICKETS]
    return tuple(TicketPast(e.product_id, e.opened_at) for e in found)


def _may_open(ticket: Ticket | None, event: MessageCreated) -> bool:
    customer = event.message.author is Author.CUSTOMER
    return customer and (ticket is None or opens(ticket, event.message))
