"""The seller summary's money watch: refund rights (PS-7) and Business Care (PS-1) ending, and
duplicate payments (CRJ-4) waiting for their refund. Pure functions of an order and its profile."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.model import Order
from chalicelib.policy.money import settled_payments
from chalicelib.policy.money.duplicates import originals
from chalicelib.policy.money.entitlements import entitlements_from
from chalicelib.policy.profile import Profile
from chalicelib.time.months import add_months

from .views import iso

LISTED = 50  # items per list


@dataclass(frozen=True)
class OrderDigest:
    """Every deadline one order version holds, whenever it falls; the summary picks the next 7 days."""

    deadlines: tuple[tuple[datetime, dict], ...] = ()  # (at, item): refund rights, Business Care ends
    owed: tuple[dict, ...] = ()  # duplicate payments whose refund timer is still pending


def order_digest(order: Order, profile: Profile) -> OrderDigest:
    return OrderDigest(_refund_rights(order, profile) + _care_ends(order, profile), _owed(order))


def _refund_rights(order: Order, profile: Profile) -> tuple:
    rule = profile.rule_of_type("refund_window")
    if rule is None or not order.payments:
        return ()
    found = []
    for payment in originals(settled_payments(order.payments)):
        closes = add_months(payment.occurred_at, rule.params.right_months, profile.zone)
        found.append((closes, {"kind": "refund_window", "rule": rule.id, "marketplace": order.marketplace,
                               "order_id": order.order_id, "payment_id": payment.payment_id,
                               "customer_id": payment.customer_id, "product_id": payment.product_id,
                               "closes_at": iso(closes)}))
    return tuple(found)


def _care_ends(order: Order, profile: Profile) -> tuple:
    """Business Care ends at its paid-through date, or earlier at a refund (PS-8)."""
    if profile.rule_of_type("support_entitlement") is None or not any(
            p.plan == "business_care" for p in order.payments):
        return ()
    granted = entitlements_from(settled_payments(order.payments), order.refunds, zone=profile.zone)
    return tuple((e.ends_at, {"kind": "business_care", "rule": e.rule, "marketplace": order.marketplace,
                              "order_id": order.order_id, "payment_id": e.payment_id,
                              "customer_id": e.customer_id, "product_id": e.product_id,
                              "ends_at": iso(e.ends_at)})
                 for e in granted if e.kind == "business_care")


def _owed(order: Order) -> tuple[dict, ...]:
    owed = [t for t in order.timers if t.kind.startswith("duplicate_refund:")]
    rule = next((d.rule for d in order.decisions if d.code == "duplicate_payment"), "CRJ-4")
    return tuple({"rule": rule, "marketplace": order.marketplace, "order_id": order.order_id,
                  "payment_id": t.kind.split(":", 1)[1], "refund_due": iso(t.due_at)} for t in owed)


def money_view(deadlines: list[dict], owed: list[dict]) -> dict:
    """The three lists of the summary, each in time order and at most LISTED long."""
    def strip(item: dict) -> dict:
        return {k: v for k, v in item.items() if k != "kind"}
    refunds = [strip(d) for d in deadlines if d["kind"] == "refund_window"]
    care = [strip(d) for d in deadlines if d["kind"] == "business_care"]
    owed = sorted(owed, key=lambda item: (item["refund_due"], item["order_id"], item["payment_id"]))
    return {"refund_windows_closing": refunds[:LISTED], "business_care_ending": care[:LISTED],
            "duplicate_payments_awaiting_refund": owed[:LISTED]}
