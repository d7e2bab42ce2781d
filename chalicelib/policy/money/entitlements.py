"""Who is covered for support, until when, and which payment and rule say so.

Only payments settled as `succeeded` grant, and a duplicate of one (CRJ-4) grants nothing:
- plan `business_care`: that product AND normalised shop URL, paid time to `covers_until`
  (PS-1, seed 003 "for the corresponding product and URL"); the plan wins over `purchase`.
- purchase `subscription`: paid time to `covers_until` (CRJ-1, seed 002 §1.3). Renewals are
  the customer's other succeeded payments for the product; coverage runs over the union, so
  a renewal paid in time extends it and a late one leaves the lapse uncovered.
- purchase `one_time` or absent (a sale that does not say it recurs): N calendar months
  from payment on the marketplace zone's wall clock (CRJ-1, "three months of free support").
- no `covers_until` on a recurring payment grants nothing: "forever" would serve a lapsed
  subscriber.
- PS-8: the first completed refund of the order inside a Business Care period ends it there
  (seed 003 "refund ... entails ... its termination", seed 001 "résiliation"); a refund
  requested as `duplicate_payment` gives back an extra payment, not the product (CRJ-4).
- CRJ-10 (seed 004 §5, one month "à compter de la date de livraison"): delivery is a seller
  message tagged `customization_delivered`; a re-delivery restarts the month.

A ticket opened while covered stays served if coverage lapses mid-thread (the customer asked
in time); a PS-8 termination is not a lapse and ends service at once.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.model import Author, Payment, Refund, Ticket
from chalicelib.domain.shop_urls import normalise_shop_url
from chalicelib.time.months import add_months
from chalicelib.time.zones import as_utc

from .duplicates import originals
from .refunds import product_refunds

SUPPORT_KINDS = ("free_support", "subscription", "business_care")
DELIVERED_TAG = "customization_delivered"


@dataclass(frozen=True)
class Entitlement:
    kind: str  # "free_support" | "subscription" | "business_care" | "customization_support"
    customer_id: str
    product_id: str
    shop: str | None  # normalised shop URL; Business Care only
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC, exclusive
    payment_id: str  # the granting payment; for customization support, the delivery message
    rule: str
    ended_by: str | None = None  # "PS-8 refund <refund_id>" when terminated early

    def covers(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


@dataclass(frozen=True)
class Coverage:
    covered: bool
    until: datetime | None  # end of the unbroken run of coverage that contains `at`
    entitlement: Entitlement | None  # the one that covers, else the last one that ended
    reason: str


def entitlements_from(payments: Iterable[Payment], refunds: Iterable[Refund], *, zone: str,
                      free_support_months: int = 3,
                      business_care_plan: str = "business_care") -> list[Entitlement]:
    """Every support entitlement the records grant, whatever order they arrived in."""
    refunds_by_order = product_refunds(refunds)
    found = []
    for payment in originals(payments):
        granted = _grant(payment, zone, free_support_months, business_care_plan)
        if granted:
            order_refunds = refunds_by_order.get((payment.marketplace, payment.order_id), [])
            found.append(_terminated(granted, order_refunds))
    return sorted(found, key=_sort_key)


def _grant(payment: Payment, zone: str, months: int, plan: str) -> Entitlement | None:
    if payment.plan == plan:
        return _paid_through(payment, "business_care", "PS-1", normalise_shop_url(payment.shop_url))
    if payment.purchase == "subscription":
        return _paid_through(payment, "subscription", "CRJ-1", None)
    return _entitlement(payment, "free_support", "CRJ-1", None,
                        add_months(payment.occurred_at, months, zone))


def _paid_through(payment: Payment, kind: str, rule: str, shop: str | None) -> Entitlement | None:
    if payment.covers_until is None:
        return None
    return _entitlement(payment, kind, rule, shop, as_utc(payment.covers_until, "covers_until"))


def _entitlement(payment: Payment, kind: str, rule: str, shop: str | None,
                 ends_at: datetime) -> Entitlement:
    starts_at = as_utc(payment.occurred_at, "occurred_at")
    return Entitlement(kind, payment.customer_id, payment.product_id, shop, starts_at, ends_at,
                       payment.payment_id, rule)


def _terminated(entitlement: Entitlement, refunds: list[Refund]) -> Entitlement:
    """PS-8 cuts Business Care at the first refund inside it; a later purchase is untouched."""
    if entitlement.kind != "business_care":
        return entitlement
    for refund in refunds:
        if entitlement.covers(refund.at):
            return replace(entitlement, ends_at=as_utc(refund.at, "completed_at"),
                           ended_by=f"PS-8 refund {refund.refund_id}")
    return entitlement


def _sort_key(e: Entitlement) -> tuple:
    return e.customer_id, e.product_id, e.starts_at, e.kind, e.payment_id


def coverage(entitlements: Iterable[Entitlement], *, customer_id: str, product_id: str,
             shop_url: str | None, at: datetime,
             kinds: tuple[str, ...] = SUPPORT_KINDS) -> Coverage:
    """Whether the customer is covered for this product (and shop, for Business Care) at `at`."""
    at = as_utc(at, "at")
    mine = [e for e in entitlements
            if (e.customer_id, e.product_id) == (customer_id, product_id) and e.kind in kinds]
    shop = normalise_shop_url(shop_url)
    usable = [e for e in mine if e.kind != "business_care" or (shop and e.shop == shop)]
    current = [e for e in usable if e.covers(at)]
    if current:
        best = max(current, key=lambda e: (e.ends_at, e.payment_id))
        until = _run_end(usable, best.ends_at)
        return Coverage(True, until, best, f"{_describe(best)}, covered until {until.isoformat()}")
    return _not_covered(mine, usable, shop, at)


def _run_end(entitlements: list[Entitlement], end: datetime) -> datetime:
    """A renewal that starts before or at the end carries it on; a gap stops it."""
    while later := [e.ends_at for e in entitlements if e.covers(end)]:
        end = max(later)
    return end


def _not_covered(mine: list[Entitlement], usable: list[Entitlement], shop: str | None,
                 at: datetime) -> Coverage:
    ended = [e for e in usable if e.ends_at <= at]
    if ended:
        last = max(ended, key=lambda e: (e.ends_at, e.payment_id))
        how = last.ended_by or "expired"
        return Coverage(False, None, last, f"{_describe(last)}, {how} {last.ends_at.isoformat()}")
    if any(e.kind == "business_care" for e in mine):
        where = f"shop {shop}" if shop else "an unknown shop (no shop URL given)"
        return Coverage(False, None, None, f"Business Care is per shop: none for {where}")
    return Coverage(False, None, None, "no entitlement for this product at this time")


def _describe(e: Entitlement) -> str:
    return f"{e.kind} ({e.rule}, {e.payment_id})"


def ticket_stays_served(opened_at: datetime, entitlement: Entitlement | None, *,
                        at: datetime) -> bool:
    """A lapse mid-thread keeps the ticket served; a PS-8 termination does not.

    Pass the entitlement that covered the opening: `coverage(..., at=opened_at).entitlement`.
    """
    if entitlement is None or not entitlement.covers(as_utc(opened_at, "opened_at")):
        return False
    return entitlement.ended_by is None or as_utc(at, "at") < entitlement.ends_at


def customization_support(delivered_at: datetime, zone: str, months: int = 1) -> datetime:
    """When customization support ends: calendar months from delivery, on the zone's clock."""
    return add_months(delivered_at, months, zone)


def customization_entitlements(tickets: Iterable[Ticket], *, zone: str,
                               months: int = 1) -> list[Entitlement]:
    """CRJ-10 grants, one per seller message tagged customization_delivered."""
    found = [Entitlement("customization_support", t.customer_id, t.product_id, None,
                         as_utc(m.sent_at, "sent_at"),
                         customization_support(m.sent_at, zone, months), m.message_id, "CRJ-10")
             for t in tickets for m in t.messages
             if m.author == Author.SELLER and DELIVERED_TAG in m.tags]
    return sorted(found, key=_sort_key)
