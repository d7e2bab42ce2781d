"""An order's derived state (CRJ-4 duplicates, PS-7 refund verdicts, refund timers) from its
records, whatever order they arrived in. Pure: the same records always give the same state."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.actions import IssueRefund
from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import Order, Payment, Refund, Timer

from .facts import TicketPast
from .money import settled_payments
from .money.duplicates import duplicate_of, duplicate_refund_due, originals
from .money.refunds import refund_verdict
from .profile import Profile

DUPLICATE_REFUND = "duplicate_refund"
VERDICT_OUTCOME = {"eligible": "accept", "seller_discretion": "flag", "ineligible": "reject"}


def with_payment(order: Order, payment: Payment) -> Order:
    """Every status record is kept (a replay of the same record adds nothing)."""
    if payment in order.payments:
        return order
    return replace(order, payments=order.payments + (payment,),
                   customer_id=order.customer_id or payment.customer_id,
                   seller_id=order.seller_id or payment.seller_id)


def with_refund(order: Order, refund: Refund) -> Order:
    if refund in order.refunds:
        return order
    return replace(order, refunds=order.refunds + (refund,),
                   customer_id=order.customer_id or refund.customer_id)


def derive(profile: Profile, order: Order, *,
           tickets_before: tuple[TicketPast, ...] = ()) -> tuple[Order, tuple[Decision, ...]]:
    """New decisions (each made once) and the timers the order now wants."""
    new = _duplicates(profile, order) + _verdicts(profile, order, tickets_before)
    order = replace(order, decisions=order.decisions + new)
    return _with_timers(profile, order), new


def _decided(order: Order, rule: str, key: str, value: str) -> bool:
    return any(d.rule == rule and d.evidence.get(key) == value for d in order.decisions)


def _duplicates(profile: Profile, order: Order) -> tuple[Decision, ...]:
    """CRJ-4: a second successful payment for the same order is refunded after a few days."""
    rule = profile.rule_of_type("duplicate_payment")
    if rule is None:
        return ()
    settled = settled_payments(order.payments)
    found = []
    for payment in settled:
        original = duplicate_of(payment, settled)
        if original and not _decided(order, rule.id, "duplicate", payment.payment_id):
            due = duplicate_refund_due(payment, days=rule.params.refund_after_days)
            found.append(Decision(
                rule=rule.id, outcome="flag", code="duplicate_payment", policy=profile.ref,
                reason=f"payment {payment.payment_id} duplicates {original.payment_id}; "
                       f"refund due {due.isoformat()}",
                evidence={"duplicate": payment.payment_id, "original": original.payment_id,
                          "refund_due": due.isoformat()}))
    return tuple(found)


def _verdicts(profile: Profile, order: Order,
              tickets_before: tuple[TicketPast, ...]) -> tuple[Decision, ...]:
    """PS-7: each refund request gets a verdict once the purchase it refers to is known."""
    rule = profile.rule_of_type("refund_window")
    purchases = originals(settled_payments(order.payments))
    if rule is None or not purchases:
        return ()
    purchased_at = min(p.occurred_at for p in purchases)
    found = []
    for request in (r for r in order.refunds if r.state == "requested"):
        if _decided(order, rule.id, "refund_id", request.refund_id):
            continue
        verdict = refund_verdict(
            purchased_at=purchased_at, requested_at=request.at, reason=request.reason or "other",
            product_downloaded=request.product_downloaded, zone=profile.zone,
            had_support_ticket_before=_had_ticket(order, request, tickets_before),
            right_months=rule.params.right_months, discretion_months=rule.params.discretion_months)
        found.append(Decision(rule=rule.id, outcome=VERDICT_OUTCOME[verdict.outcome],
                              code=verdict.outcome, policy=profile.ref,
                              reason=f"{verdict.rule}: {verdict.reason}",
                              evidence={**verdict.evidence, "refund_id": request.refund_id,
                                        "grounds": verdict.rule}))
    return tuple(found)


def verdicts_pending(profile: Profile, order: Order) -> tuple[Refund, ...]:
    """The refund requests PS-7 would judge now (so only then are the customer's tickets read)."""
    rule = profile.rule_of_type("refund_window")
    if rule is None or not originals(settled_payments(order.payments)):
        return ()
    return tuple(r for r in order.refunds if r.state == "requested"
                 and not _decided(order, rule.id, "refund_id", r.refund_id))


def _had_ticket(order: Order, request: Refund, tickets: tuple[TicketPast, ...]) -> bool:
    """PS-7 'contacted after-sales support before': a ticket on the product before the request."""
    products = {p.product_id for p in order.payments}
    return any(t.product_id in products and t.opened_at < request.at for t in tickets)


def _with_timers(profile: Profile, order: Order) -> Order:
    wanted = []
    for decision in order.decisions:
        is_duplicate = decision.code == "duplicate_payment"
        duplicate = decision.evidence.get("duplicate") if is_duplicate else None
        if duplicate and duplicate not in order.refunds_issued:
            due = datetime.fromisoformat(decision.evidence["refund_due"])
            kind = f"{DUPLICATE_REFUND}:{duplicate}"
            current = order.timer(kind)
            wanted.append(current if current and current.due_at == due
                          else Timer(kind=kind, due_at=due, version=order.version))
    if set(wanted) == set(order.timers):
        return order
    return replace(order, timers=tuple(wanted))


def refund_duplicate(profile: Profile, order: Order,
                     kind: str) -> tuple[Order, tuple[Decision, ...], tuple[IssueRefund, ...]]:
    """The duplicate_refund timer fired: ask for the refund, exactly once per payment."""
    payment_id = kind.split(":", 1)[1]
    rule = profile.rule_of_type("duplicate_payment")
    if payment_id in order.refunds_issued or rule is None:
        return order, (), ()
    decision = Decision(rule=rule.id, outcome="flag", code="duplicate_refunded", policy=profile.ref,
                        reason=f"duplicate payment {payment_id} is refunded",
                        evidence={"payment_id": payment_id})
    order = replace(order, refunds_issued=order.refunds_issued + (payment_id,),
                    decisions=order.decisions + (decision,))
    return _with_timers(profile, order), (decision,), (IssueRefund(payment_id),)
