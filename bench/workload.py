"""Seeded ticket life cycles shared by the call counts (a) and the simulator (f).

A ticket: maybe a payment first (Business Care on PrestaShop, a one-time purchase with three
months of support on CRMJetty, sometimes paid twice), the customer's opening message, an
automated acknowledgement, a personal seller reply (log-normal delay, median 6 h), follow-up
rounds, sometimes a confirmed bug and its fix (PS-4), a refund, and a thread.closed, or not
(CMS-5 auto-closes). Times are real instants; the caller delivers steps in time order.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.builders import iso

from . import corpus

PROFILES = {"cmsmart": "cmsmart", "prestashop": "prestashop-business-care",
            "crmjetty": "crmjetty"}  # marketplace -> profile
SHARE = {"cmsmart": 0.4, "prestashop": 0.3, "crmjetty": 0.3}
FRENCH = {"cmsmart": 0.1, "prestashop": 0.4, "crmjetty": 0.15}
FIRST, FOLLOW_UP, SELLER = ("message.created (first)", "message.created (follow-up)",
                            "message.created (seller reply)")
H = timedelta(hours=1)


@dataclass(frozen=True)
class Step:
    at: datetime
    seq: int
    marketplace: str
    kind: str
    event: dict


class Lifecycles:
    def __init__(self, seed: int, prefix: str = "t"):
        self.rng = random.Random(seed)
        self.prefix = prefix
        self.seq = 0
        self.last_customer: dict[str, str] = {}

    def ticket(self, n: int, opened: datetime, marketplace: str | None = None) -> list[Step]:
        rng, steps = self.rng, []
        mp = marketplace or rng.choices(list(SHARE), weights=list(SHARE.values()))[0]
        lang = "fr" if rng.random() < FRENCH[mp] else "en"
        thread, shop = f"{self.prefix}{n}", f"https://shop-{self.prefix}{n}.example.com"
        customer = self.last_customer.get(mp) if rng.random() < 0.1 else None
        customer = customer or f"{mp}-c-{self.prefix}{n}"
        self.last_customer[mp] = customer
        who = {"seller_id": f"{mp}-s{rng.randrange(20)}", "product_id": f"p{rng.randrange(30)}",
               "customer_id": customer}
        add = lambda at, kind, event: steps.append(self._step(at, mp, kind, event))  # noqa: E731
        order = f"o-{thread}"
        paid_at = opened - timedelta(days=rng.uniform(0.05, 100 if mp == "crmjetty" else 60))
        if rng.random() < (0.3 if mp == "cmsmart" else 0.85):
            add(paid_at, "payment.updated", self._payment(mp, order, who, shop, paid_at, 1))
            if mp == "crmjetty" and rng.random() < 0.05:
                again = paid_at + timedelta(minutes=rng.uniform(2, 30))
                add(again, "payment.updated", self._payment(mp, order, who, shop, again, 2))
            if mp != "cmsmart" and rng.random() < 0.06:
                asked = opened + timedelta(days=rng.uniform(0.5, 20))
                add(asked, "refund.requested", {"type": "refund.requested", "data": {
                    "refund_id": f"r-{thread}", "order_id": order, "customer_id": customer,
                    "reason": rng.choice(["not_working", "not_downloaded", "other"]),
                    "requested_at": iso(asked)}})
                if rng.random() < 0.7:
                    done = asked + timedelta(days=rng.uniform(1, 5))
                    add(done, "refund.completed", {"type": "refund.completed", "data": {
                        "refund_id": f"r-{thread}", "order_id": order, "completed_at": iso(done)}})
        message = lambda at, **data: {"type": "message.created", "data": {  # noqa: E731
            "message_id": f"m-{thread}-{len(steps)}", "thread_id": thread, **who, "sent_at": iso(at), **data}}
        size = corpus.log_uniform(rng, 150, 3000)
        planted = corpus.secret(rng) if rng.random() < 0.03 else None
        extra = {"shop_url": shop if rng.random() < 0.95 else "https://other-shop.example.com",
                 "product_version": "8.1.2" if rng.random() < 0.95 else "1.6.1"}
        if mp == "crmjetty":
            extra.update(order_id=order, attachments=[{"filename": "s.png", "content_type": "image/png"}]
                         if rng.random() < 0.5 else [])
        tags = ["pre_sale"] if mp == "prestashop" and rng.random() < 0.05 else []
        add(opened, FIRST, message(opened, author="customer", body=corpus.body(rng, lang, size, planted),
                                   assignee="anna" if rng.random() < 0.95 else None, tags=tags, **extra))
        last = opened
        if rng.random() < 0.2:
            last = opened + timedelta(minutes=rng.uniform(1, 10))
            add(last, SELLER, message(last, author="seller", automated=True,
                                      body=corpus.seller_body(rng, lang)))
        bug = mp == "prestashop" and rng.random() < 0.05
        for round_ in range(1 + rng.choice([0, 0, 1, 1, 2, 3])):
            if round_:
                last += H * rng.lognormvariate(math.log(3), 1.0)
                add(last, FOLLOW_UP, message(last, author="customer",
                                             body=corpus.body(rng, lang, corpus.log_uniform(rng, 80, 1200))))
            if rng.random() < (0.85 if round_ == 0 else 0.7):
                last += H * rng.lognormvariate(math.log(6), 1.0)
                add(last, SELLER, message(last, author="seller", body=corpus.seller_body(rng, lang),
                                          tags=["bug_confirmed"] if bug and round_ == 0 else []))
        if bug and rng.random() < 0.6:
            fixed = last + timedelta(days=rng.uniform(5, 45))
            add(fixed, SELLER, message(fixed, author="seller", body=corpus.seller_body(rng, lang),
                                       tags=["fix_released"]))
        if rng.random() < 0.55:
            closed = last + H * rng.uniform(1, 72)
            add(closed, "thread.closed", {"type": "thread.closed", "data": {
                "thread_id": thread, "closed_at": iso(closed), "closed_by": "seller"}})
        return steps

    def _payment(self, mp: str, order: str, who: dict, shop: str, at: datetime, n: int) -> dict:
        data = {"payment_id": f"pay-{order}-{n}", "order_id": order, **who, "status": "succeeded",
                "amount": "49.00", "currency": "EUR", "occurred_at": iso(at)}
        if mp == "prestashop":
            data.update(plan="business_care", shop_url=shop, covers_until=iso(at + timedelta(days=365)),
                        compatible_versions=["1.7.x", "8.0-8.1"])
        elif mp == "crmjetty":
            data.update(purchase="one_time")
        return {"type": "payment.updated", "data": data}

    def _step(self, at: datetime, mp: str, kind: str, event: dict) -> Step:
        self.seq += 1
        return Step(at, self.seq, mp, kind, {**event, "timestamp": iso(at)})


def timeline(seed: int, count: int, start: datetime, window: timedelta, prefix: str = "t",
             per_profile: bool = False) -> list[Step]:
    """`count` tickets opened uniformly over `window` (or `count` per marketplace), time-ordered."""
    life = Lifecycles(seed, prefix)
    steps = []
    if per_profile:
        plan = [(mp, n) for n in range(count) for mp in PROFILES]
    else:
        plan = [(None, n) for n in range(count)]
    for index, (mp, _) in enumerate(plan):
        steps += life.ticket(index, start + window * life.rng.random(), mp)
    return sorted(steps, key=lambda s: (s.at, s.seq))
