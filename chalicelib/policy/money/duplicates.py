"""CRJ-4: a second payment for the same order is refunded within days; a pending one is not
to be paid again (seed 002 §1.4, seed 004 §1.4 "nous vous rembourserons votre paiement
supplémentaire dans quelques jours").

Same order: same marketplace, order_id and thing bought (product_id, normalised shop URL,
and `covers_until` - None for one-time sales), so a cart of two products, two shop licences
or a renewal booked on the order are not duplicates; a different payment_id; both settled as
`succeeded`. The first by (paid at, payment_id) is the original, every later one a duplicate.
Amount and currency need not match: any extra charge for a paid order is the customer's
money, and the refund returns that payment's own amount. Replays and arrival order change
nothing: records are folded per payment_id first (money.settled_payments).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from chalicelib.domain.model import Payment
from chalicelib.domain.shop_urls import normalise_shop_url
from chalicelib.time.zones import as_utc

from . import settled_payments, succeeded


def duplicate_of(payment: Payment, others: Iterable[Payment]) -> Payment | None:
    """The original payment that `payment` duplicates, or None when it is not a duplicate."""
    paid = succeeded([payment, *others])
    this = next((p for p in paid if p.payment_id == payment.payment_id), None)
    if this is None:
        return None
    original = min((p for p in paid if _billing(p) == _billing(this)), key=_first)
    return None if original.payment_id == this.payment_id else original


def originals(payments: Iterable[Payment]) -> list[Payment]:
    """The succeeded payments that bought something: a duplicate buys nothing twice."""
    first_of_order: dict[tuple, Payment] = {}
    for payment in sorted(succeeded(payments), key=_first):
        first_of_order.setdefault(_billing(payment), payment)
    return list(first_of_order.values())


def duplicate_refund_due(duplicate: Payment, *, days: int = 3) -> datetime:
    """When the extra payment must be back: `days` (elapsed) after it was taken.

    Pass the settled duplicate (money.settled_payments): it carries its first success time.
    """
    return as_utc(duplicate.occurred_at, "occurred_at") + timedelta(days=days)


def pending_payment_notice(payments: Iterable[Payment], order_id: str) -> bool:
    """Whether to tell the customer not to pay again: a payment still pending, none succeeded.

    `payments` are one marketplace's, as order ids are only unique within one.
    """
    statuses = {p.status for p in settled_payments(payments) if p.order_id == order_id}
    return "pending" in statuses and "succeeded" not in statuses


def _billing(payment: Payment) -> tuple:
    return (payment.marketplace, payment.order_id, payment.product_id,
            normalise_shop_url(payment.shop_url), payment.covers_until)


def _first(payment: Payment) -> tuple:
    return as_utc(payment.occurred_at, "occurred_at"), payment.payment_id
