"""Payments and refunds: record them on their order, derive CRJ-4/PS-7, end Business Care (PS-8)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain import events
from chalicelib.domain.decisions import Action, Decision
from chalicelib.domain.model import Order, Refund, Ticket
from chalicelib.domain.ownership import refund_seller
from chalicelib.policy import engine
from chalicelib.policy.money import settled_payments
from chalicelib.policy.money.duplicates import pending_payment_notice
from chalicelib.policy.money.orders import derive, refund_duplicate, with_payment, with_refund
from chalicelib.policy.profile import Profile
from chalicelib.policy.replies import reply

from . import open_slot
from .plans import Plan
from .policy import PolicyService
from .ports import OrderWrite, TicketQuery, TicketStore, TicketWrite


@dataclass
class OrderService:
    store: TicketStore
    policy: PolicyService

    def on_payment(self, marketplace: str, event: events.PaymentUpdated, now: datetime) -> Plan:
        payment = event.payment
        before = self.store.load_order(marketplace, payment.seller_id, payment.order_id)
        order = with_payment(before or Order(marketplace, payment.order_id, seller_id=payment.seller_id), payment)
        plan = self._derived(before, order)
        profile = self._profile(order)
        rule = profile.rule_of_type("duplicate_payment")
        pending = pending_payment_notice(settled_payments(order.payments), payment.order_id)
        if rule is None or payment.status != "pending" or not pending or not plan.orders:
            return plan
        notice = Decision(rule=rule.id, outcome="flag", code="payment_pending",
                          reason="payment pending: the customer must not pay again",
                          policy=profile.ref, evidence={"payment_id": payment.payment_id})
        noticed = replace(plan.order, decisions=plan.order.decisions + (notice,))
        return replace(plan, orders=(replace(plan.orders[0], order=noticed),), order=noticed,
                       decisions=plan.decisions + (notice,),
                       actions=plan.actions + (reply(notice, "en"),))

    def on_refund(self, marketplace: str, event, now: datetime) -> Plan:
        refund = event.refund
        seller = refund_seller(refund, () if refund.seller_id else self.store.orders_with_id(marketplace, refund.order_id))
        before = self.store.load_order(marketplace, seller, refund.order_id)
        order = with_refund(before or Order(marketplace, refund.order_id, seller_id=seller), refund)
        plan = self._derived(before, order)
        if refund.state == "completed":
            plan = self._terminate(plan, refund, now)
        return plan

    def on_timer(self, marketplace: str, seller_id: str, order_id: str, event: events.TimerFired,
                 now: datetime) -> Plan:
        order = self.store.load_order(marketplace, seller_id, order_id)
        timer = order.timer(event.kind) if order else None
        if timer is None or timer.version != event.version:
            return Plan(order=order, note="stale timer: nothing to do")
        fired, decisions, actions = refund_duplicate(self._profile(order), order, event.kind)
        fired = replace(fired, version=order.version + 1)
        return Plan(orders=(OrderWrite.replacing(order, fired),), order=fired, decisions=decisions,
                    actions=actions)

    def _profile(self, order: Order) -> Profile:
        return self.policy.profile_for(order.marketplace, order.seller_id or "")

    def _derived(self, before: Order | None, order: Order) -> Plan:
        if before is not None and order == before:
            return Plan(order=before, note="record already applied")
        profile = self._profile(order)
        derived, decisions = derive(profile, order, zone=profile.zone,
                                    had_ticket_before=lambda r: self._had_ticket(order, r))
        derived = replace(derived, version=(before.version if before else 0) + 1)
        return Plan(orders=(OrderWrite.replacing(before, derived),), order=derived,
                    decisions=decisions, deciding=engine.deciding(decisions))

    def _had_ticket(self, order: Order, request: Refund) -> bool:
        """PS-7 'contacted after-sales support before': a ticket on the product before the request."""
        products = {p.product_id for p in order.payments}
        if not order.seller_id or not order.customer_id:
            return False
        page = self.store.list_tickets(TicketQuery(
            seller_id=order.seller_id, customer_id=order.customer_id,
            opened_until=request.at, limit=50))
        return any(t.product_id in products for t in page.items)

    def _terminate(self, plan: Plan, refund: Refund, now: datetime) -> Plan:
        """PS-8: a completed refund ends Business Care, and the open tickets on it are closed."""
        order = plan.order
        profile = self._profile(order)
        rule = profile.rule_of_type("refund_termination")
        covered = [p for p in settled_payments(order.payments)
                   if p.status == "succeeded" and p.plan == "business_care"]
        if rule is None or not covered or not order.seller_id:
            return plan
        decision = Decision(rule=rule.id, outcome="close", code="entitlement_ended", policy=profile.ref,
                            reason=f"refund {refund.refund_id} ended Business Care",
                            evidence={"refund_id": refund.refund_id, "order_id": order.order_id})
        writes, slots, actions = [], [], list(plan.actions)
        for ticket in self._open_tickets(order, {p.product_id for p in covered}):
            closed = replace(ticket.with_decisions((decision,)).closed(now, "entitlement_ended"),
                             version=ticket.version + 1)
            closed = self.policy.finish(ticket, closed)
            writes.append(TicketWrite.replacing(ticket, closed))
            slots += open_slot.release(ticket)
            actions.append(Action("close_thread", {"thread_id": ticket.thread_id}))
        if not writes:
            return plan
        return replace(plan, tickets=plan.tickets + tuple(writes), slots=plan.slots + tuple(slots),
                       decisions=plan.decisions + (decision,), actions=tuple(actions))

    def _open_tickets(self, order: Order, products: set[str]) -> list[Ticket]:
        page = self.store.list_tickets(TicketQuery(seller_id=order.seller_id, status="open",
                                                   customer_id=order.customer_id, limit=50))
        return [self.store.load_ticket(t.id) for t in page.items if t.product_id in products]
