"""The seller summary's money watch: refund rights (PS-7) and Business Care (PS-1) ending soon,
duplicate payments (CRJ-4) waiting for their refund. Pure functions of orders and profiles."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.model import Order
from chalicelib.policy.money import settled_payments
from chalicelib.policy.money.duplicates import originals
from chalicelib.policy.money.entitlements import entitlements_from
from chalicelib.policy.profile import Profile
from chalicelib.time.months import add_months

from .views import iso

LISTED = 50  # items per list
MONTH_SLACK = timedelta(days=4)  # month lengths and DST: calendar months are not a fixed span


@dataclass(frozen=True)
class _MoneyRules:
    """One profile's money rules and the cheap bounds that rule most orders out."""

    refund_rule: str | None
    right_months: int
    zone: str
    care: bool
    earliest_purchase: datetime  # purchases before this cannot have a right ending from now on

    @classmethod
    def of(cls, profile: Profile, now: datetime) -> _MoneyRules:
        rule = profile.rule_of_type("refund_window")
        months = rule.params.right_months if rule else 0
        return cls(rule.id if rule else None, months, profile.zone,
                   profile.rule_of_type("support_entitlement") is not None,
                   add_months(now, -months, profile.zone) - MONTH_SLACK)


def money_watch(orders: Iterable[Order], profile_of: Callable[[Order], Profile], now: datetime,
                within: timedelta) -> dict:
    """PS-7 refund rights and PS-1 Business Care ending within `within`; CRJ-4 refunds owed."""
    refunds, care, duplicates, rules = [], [], [], {}
    until = now + within
    for order in orders:
        money = rules.get(order.marketplace)
        if money is None:
            money = rules[order.marketplace] = _MoneyRules.of(profile_of(order), now)
        if money.refund_rule and any(money.earliest_purchase <= p.occurred_at <= until
                                     for p in order.payments):
            refunds += _refund_windows(order, money, now, until)
        if money.care and any(p.plan == "business_care" and p.covers_until
                              and now <= p.covers_until <= until for p in order.payments):
            care += _care_ending(order, money.zone, now, until)
        if order.timers:
            duplicates += _duplicates_owed(order)
    by_time = lambda key: lambda item: (item[key], item["order_id"])  # noqa: E731
    return {"refund_windows_closing": sorted(refunds, key=by_time("closes_at"))[:LISTED],
            "business_care_ending": sorted(care, key=by_time("ends_at"))[:LISTED],
            "duplicate_payments_awaiting_refund": sorted(duplicates, key=by_time("refund_due"))[:LISTED]}


def _refund_windows(order: Order, money: _MoneyRules, now: datetime, until: datetime) -> list[dict]:
    found = []
    for payment in originals(settled_payments(order.payments)):
        closes = add_months(payment.occurred_at, money.right_months, money.zone)
        if now <= closes <= until:
            found.append({"rule": money.refund_rule, "marketplace": order.marketplace,
                          "order_id": order.order_id, "payment_id": payment.payment_id,
                          "customer_id": payment.customer_id, "product_id": payment.product_id,
                          "closes_at": iso(closes)})
    return found


def _care_ending(order: Order, zone: str, now: datetime, until: datetime) -> list[dict]:
    """Business Care ends at its paid-through date, or earlier at a refund (PS-8) already past."""
    granted = entitlements_from(settled_payments(order.payments), order.refunds, zone=zone)
    return [{"rule": e.rule, "marketplace": order.marketplace, "order_id": order.order_id,
             "payment_id": e.payment_id, "customer_id": e.customer_id, "product_id": e.product_id,
             "ends_at": iso(e.ends_at)}
            for e in granted if e.kind == "business_care" and now <= e.ends_at <= until]


def _duplicates_owed(order: Order) -> list[dict]:
    owed = [t for t in order.timers if t.kind.startswith("duplicate_refund:")]
    rule = next((d.rule for d in order.decisions if d.code == "duplicate_payment"), "CRJ-4")
    return [{"rule": rule, "marketplace": order.marketplace, "order_id": order.order_id,
             "payment_id": t.kind.split(":", 1)[1], "refund_due": iso(t.due_at)} for t in owed]
