"""Refund windows (PS-7, PS-5) and the refunds that end a product (PS-8).

Windows are calendar months from the purchase on the marketplace zone's wall clock, end
exclusive (time.months.within_months): one second before purchase + 1 month is inside, that
instant is outside. A request stamped before its purchase (skew) is inside. Seed 003 FAQ:
- `eligible` (PS-7) within `right_months` when the reason is `not_downloaded` and the product
  was not downloaded, or `not_working` and the customer contacted after-sales support first.
- `eligible` (PS-5) within `discretion_months` when the reason is `unresolvable` after an
  earlier ticket: seed 001 makes a refund the fallback for a problem that cannot be solved,
  at any age, but seed 003 caps every refund ("only ... up to 6 months").
- `seller_discretion` for every other request before `discretion_months`, the first month
  included when no ground holds (download status unknown or downloaded, no earlier ticket,
  reason `other`): rights exist for listed reasons only, yet the seller "can" accept others.
- `ineligible` from `discretion_months` on, whatever the reason.
`duplicate_payment` is no PS-7 ground: it is treated as `other`, since an extra charge is
proven by duplicates.duplicate_of (CRJ-4), which returns the extra payment, not the product.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.domain.model import Refund
from chalicelib.time.months import add_months, within_months
from chalicelib.time.zones import as_utc


@dataclass(frozen=True)
class RefundVerdict:
    outcome: str  # "eligible" | "seller_discretion" | "ineligible"
    rule: str  # "PS-7", or "PS-5" for an unresolvable problem
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)


def refund_verdict(*, purchased_at: datetime, requested_at: datetime, reason: str,
                   product_downloaded: bool | None, had_support_ticket_before: bool, zone: str,
                   right_months: int = 1, discretion_months: int = 6) -> RefundVerdict:
    """Whether a refund request is a right, the seller's call, or too late."""
    evidence = {"reason": reason, "purchased_at": as_utc(purchased_at, "purchased_at").isoformat(),
                "requested_at": as_utc(requested_at, "requested_at").isoformat(),
                "right_ends_at": add_months(purchased_at, right_months, zone).isoformat(),
                "discretion_ends_at": add_months(purchased_at, discretion_months, zone).isoformat(),
                "product_downloaded": product_downloaded,
                "had_support_ticket_before": had_support_ticket_before}
    if not within_months(purchased_at, requested_at, discretion_months, zone):
        too_late = f"requested {discretion_months} months or more after purchase"
        return RefundVerdict("ineligible", "PS-7", too_late, evidence)
    if reason == "unresolvable" and had_support_ticket_before:
        return RefundVerdict("eligible", "PS-5",
                             "the problem could not be solved: a refund is the fallback", evidence)
    if not within_months(purchased_at, requested_at, right_months, zone):
        between = f"{right_months} to {discretion_months} months after purchase"
        return RefundVerdict("seller_discretion", "PS-7", between, evidence)
    missing = _missing_ground(reason, product_downloaded, had_support_ticket_before)
    if missing:
        return RefundVerdict("seller_discretion", "PS-7", f"no refund right: {missing}", evidence)
    return RefundVerdict("eligible", "PS-7",
                         f"{reason} within {right_months} month(s) of purchase", evidence)


def _missing_ground(reason: str, product_downloaded: bool | None,
                    had_support_ticket_before: bool) -> str | None:
    """What keeps the stated reason from being a right, or None when it holds."""
    if reason == "not_downloaded":
        if product_downloaded is None:
            return "download status unknown"
        return "the product was downloaded" if product_downloaded else None
    if reason in ("not_working", "unresolvable"):
        return None if had_support_ticket_before else "no support ticket before the request"
    return f"{reason!r} is not a ground for a refund right"


def product_refunds(refunds: Iterable[Refund]) -> dict[tuple[str, str], list[Refund]]:
    """Completed refunds by (marketplace, order_id), earliest first, for PS-8.

    A refund whose request gave `duplicate_payment` returned an extra charge, not the
    product, so it terminates nothing.
    """
    records = list(refunds)
    extra_charges = {r.refund_id for r in records
                     if r.state == "requested" and r.reason == "duplicate_payment"}
    completed = [r for r in records if r.state == "completed" and r.refund_id not in extra_charges]
    completed.sort(key=lambda r: (as_utc(r.at, "completed_at"), r.refund_id))
    by_order: dict[tuple[str, str], list[Refund]] = {}
    for refund in completed:
        by_order.setdefault((refund.marketplace, refund.order_id), []).append(refund)
    return by_order
