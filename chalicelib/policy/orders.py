"""payment.updated, refund.* and order timers, decided purely: record, derive CRJ-4/PS-7, PS-8."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import Order, Payment, Refund, Ticket

from . import engine
from .closing import close_ticket
from .effects import Effects, OrderUpdate, TicketUpdate
from .facts import OrderFacts
from .profile import Profile
from .money import settled_payments
from .money.duplicates import pending_payment_notice
from .order_state import derive, refund_duplicate, with_payment, with_refund
from .replies import reply


def decide_payment(facts: OrderFacts, marketplace: str, payment: Payment) -> Effects:
    before, profile = facts.order, facts.profile
    fresh = Order(marketplace, payment.order_id, seller_id=payment.seller_id)
    order = with_payment(before or fresh, payment)
    effects = _derived(facts, order)
    rule = profile.rule_of_type("duplicate_payment")
    pending = pending_payment_notice(settled_payments(order.payments), payment.order_id)
    if rule is None or payment.status != "pending" or not pending or not effects.orders:
        return effects
    notice = Decision(rule=rule.id, outcome="flag", code="payment_pending",
                      reason="payment pending: the customer must not pay again",
                      policy=profile.ref, evidence={"payment_id": payment.payment_id})
    noticed = replace(effects.order, decisions=effects.order.decisions + (notice,))
    told = reply(notice, profile.reply_languages[0])
    return replace(effects, orders=(replace(effects.orders[0], after=noticed),), order=noticed,
                   decisions=effects.decisions + (notice,),
                   actions=effects.actions + ((told,) if told else ()))


def decide_refund(facts: OrderFacts, marketplace: str, refund: Refund, now: datetime) -> Effects:
    order = with_refund(facts.order or Order(marketplace, refund.order_id, seller_id=facts.seller_id),
                        refund)
    effects = _derived(facts, order)
    if refund.state == "completed":
        effects = _terminate(facts, effects, refund, now)
    return effects


def decide_order_timer(facts: OrderFacts, kind: str, version: int) -> Effects:
    """CRJ-4's refund falls due: ask for it once; a stale timer does nothing."""
    order = facts.order
    timer = order.timer(kind) if order else None
    if timer is None or timer.version != version:
        return Effects(order=order, note="stale timer: nothing to do")
    fired, decisions, actions = refund_duplicate(facts.profile, order, kind)
    return Effects(orders=(OrderUpdate(order, fired),), order=fired, decisions=decisions,
                   actions=actions)


def _derived(facts: OrderFacts, order: Order) -> Effects:
    before = facts.order
    if before is not None and order == before:
        return Effects(order=before, note="record already applied")
    derived, decisions = derive(facts.profile, order, tickets_before=facts.tickets_before)
    return Effects(orders=(OrderUpdate(before, derived),), order=derived, decisions=decisions,
                   deciding=engine.deciding(decisions))


# PS-8 closes tickets in its one transaction (DynamoDB: 100 items). A close writes the ticket,
# deletes its vault items (at most MAX_VAULT_ITEMS), releases its slot and adds its outbox item;
# the order, its summary, the digest, the delivery record and the order's outbox take the rest.
TERMINATION_ITEMS = 90


def _close_items(ticket: Ticket) -> int:
    return 3 + len(ticket.vault)


def terminated_products(profile: Profile, order: Order) -> frozenset[str]:
    """PS-8: the products whose Business Care a completed refund of `order` ends (the loader
    reads the customer's open tickets only when there are some)."""
    if profile.rule_of_type("refund_termination") is None or not order.seller_id:
        return frozenset()
    return frozenset(p.product_id for p in settled_payments(order.payments)
                     if p.status == "succeeded" and p.plan == "business_care")


def _terminate(facts: OrderFacts, effects: Effects, refund: Refund, now: datetime) -> Effects:
    """PS-8: a completed refund ends Business Care, and the open tickets on it are closed, as
    many as one transaction holds (newest first); the decision names any left open."""
    order, profile = effects.order, facts.profile
    rule = profile.rule_of_type("refund_termination")
    covered = terminated_products(profile, order)
    if rule is None or not covered:
        return effects
    decision = Decision(rule=rule.id, outcome="close", code="entitlement_ended", policy=profile.ref,
                        reason=f"refund {refund.refund_id} ended Business Care",
                        evidence={"refund_id": refund.refund_id, "order_id": order.order_id})
    ending, left, budget = [], [], TERMINATION_ITEMS
    for ticket in (t for t in facts.open_tickets if t.is_open and t.product_id in covered):
        if _close_items(ticket) > budget or left:
            left.append(ticket.id)
            continue
        ending.append(ticket)
        budget -= _close_items(ticket)
    if left:
        decision = replace(decision, evidence={**decision.evidence, "left_open": left})
    updates, slots, actions, breaches = [], [], list(effects.actions), []
    for ticket in ending:
        closing = close_ticket(profile, ticket.with_decisions((decision,)), now,
                               "entitlement_ended")
        updates.append(TicketUpdate(ticket, closing.ticket))
        slots += closing.slots
        actions.append(closing.action)
        breaches += closing.breaches
    if not updates:
        return effects
    return replace(effects, tickets=effects.tickets + tuple(updates),
                   slots=effects.slots + tuple(slots), actions=tuple(actions),
                   decisions=effects.decisions + (decision,) + tuple(breaches))
