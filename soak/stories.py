"""A seeded workload of webhook events: stories of tickets, payments and refunds on three marketplaces.

Gaps inside a story are either *loose* (an hour or more: no delivery jitter or retry can swap
them) or deliberately *tight* (10-60 s: they may swap). Tight pairs: two customer messages in
a row, a customer message just after thread.closed (CMS-6 or not), a second first message of
the same customer (CMS-4 decides which ticket stays open), a seller reply or a thread.closed
just after the first message (either may overtake it), and a pending payment record just
before its success.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from .workload import Event, Story

H, D = 3600.0, 86400.0
OPENINGS = ("Hello, the checkout page shows a blank screen after I enabled the module. How can I fix it?",
            "Hi, since the last update the invoices are generated twice for every order. Why does this happen?",
            "Good morning, the payment step returns an error 500 when a customer applies a voucher. "
            "Is there a fix for this?")
TOO_MANY = "Why is it slow? Where are the logs? Who changed the cache? What should I do now? Can you call me?"
FRENCH = "Bonjour, depuis la mise à jour le module ne fonctionne plus du tout sur ma boutique. Pouvez-vous m'aider ?"
REPLY = "Thank you, we are looking into it and will come back to you shortly."
CRJ_OPENING = ("The CRM sync stops after a few orders and the dashboard shows no new leads since yesterday. "
               "Other installed extensions: a SEO plugin and a cache plugin. How can we solve this?")
CREDENTIALS = " You can log in to check: FTP password: Xk9mq2Lzq7"
FOLLOW_UPS = "two customer messages in a row"



def _follow_ups(s: Story, mp: str, seller: str, customer: str, thread: str, at: float) -> None:
    """A customer message, sometimes a second one right after it (a tight pair)."""
    s.message(mp, seller, customer, thread, at)
    if s.chance(0.3):
        s.message(mp, seller, customer, thread, at + s.between(10, 50), tight=FOLLOW_UPS)


def _cmsmart(s: Story) -> None:
    mp, customer, thread = "cmsmart", f"c-cms-{s.n}", f"cms-{s.n}"
    roll = s.rng.random()
    opening = TOO_MANY if roll < 0.08 else FRENCH if roll < 0.12 else s.rng.choice(OPENINGS)
    s.message(mp, "acme", customer, thread, 0, body=opening)
    if s.chance(0.04):  # closed at once (the customer found the answer): the close may come first
        s.close(mp, customer, thread, s.between(10, 50), tight="thread.closed just after the first message")
        return
    if s.chance(0.06):  # an instant answer, which may open the ticket before the request
        s.message(mp, "acme", customer, thread, s.between(10, 50), "seller", REPLY,
                  tight="a seller reply just after the first message")
    if s.chance(0.1):  # a concurrent issue (CMS-4): may arrive before the first one
        s.message(mp, "acme", customer, f"{thread}-b", s.between(10, 60), body=s.rng.choice(OPENINGS),
                  tight="CMS-4: two first messages of one customer")
    if s.chance(0.05):  # a deliberate second issue two hours later (CMS-8)
        s.message(mp, "acme", customer, f"{thread}-c", s.between(2 * H, 6 * H), body=s.rng.choice(OPENINGS))
    s.message(mp, "acme", customer, thread, s.between(1 * H, 3 * H), "seller", REPLY)
    if s.chance(0.7):
        at = s.between(4 * H, 6 * H)
        _follow_ups(s, mp, "acme", customer, thread, at)
    if s.chance(0.5):
        s.message(mp, "acme", customer, thread, s.between(7 * H, 9 * H), "seller", REPLY)
    if s.chance(0.6):  # else CMS-5 closes it after 3 days
        closed = s.between(10 * H, 30 * H)
        s.close(mp, customer, thread, closed)
        if s.chance(0.25):
            s.message(mp, "acme", customer, thread, closed + s.between(10, 50),
                      tight="CMS-6: a customer message just after thread.closed")


def _prestashop(s: Story) -> None:
    mp, customer, thread, order = "prestashop", f"c-ps-{s.n}", f"ps-{s.n}", f"bc-{s.n}"
    care, shop = s.chance(0.5), f"https://shop-{s.n}.example.fr"
    if care:
        covers = (s.start + timedelta(days=365)).isoformat()
        s.payment(mp, "acme", customer, order, f"pay-{s.n}", -s.between(1 * D, 2 * D),
                  plan="business_care", shop_url=shop, covers_until=covers)
    extra = {"shop_url": shop} if care else {"tags": ["pre_sale"]}
    s.message(mp, "acme", customer, thread, 0, body=s.rng.choice(OPENINGS), **extra)
    roll = s.rng.random()
    if roll < 0.7:  # PS-3 met
        s.message(mp, "acme", customer, thread, s.between(2 * H, 10 * H), "seller", REPLY)
    elif roll < 0.85:  # answered after the breach
        s.message(mp, "acme", customer, thread, s.between(4 * D, 6 * D), "seller", REPLY)
    if care and s.chance(0.3):  # PS-4: bug confirmed, maybe fixed
        s.message(mp, "acme", customer, thread, s.between(11 * H, 11.5 * H), "seller", REPLY, tags=["bug_confirmed"])
        if s.chance(0.5):
            s.message(mp, "acme", customer, thread, s.between(3 * D, 8 * D), "seller", REPLY, tags=["fix_released"])
    at = s.between(12 * H, 13 * H)
    _follow_ups(s, mp, "acme", customer, thread, at)
    if s.chance(0.5):
        s.close(mp, customer, thread, s.between(14 * H, 3 * D))
    if care and s.chance(0.25):  # PS-7 verdict, then PS-8 ends Business Care
        s.refund(mp, "acme", customer, order, f"r-{s.n}", s.between(4 * D, 6 * D), False, reason="not_working")
        s.refund(mp, "acme", customer, order, f"r-{s.n}", s.between(7 * D, 9 * D), True)


def _crmjetty(s: Story) -> None:
    mp, customer, thread, order = "crmjetty", f"c-crj-{s.n}", f"crj-{s.n}", f"o-{s.n}"
    paid = {"purchase": "one_time"}
    pending = s.chance(0.25)
    if pending:  # the pending record just before the success: may arrive after it
        s.payment(mp, "jetty", customer, order, f"p1-{s.n}", -s.between(10, 50), "pending", **paid)
    s.payment(mp, "jetty", customer, order, f"p1-{s.n}", 0,
              tight="CRJ-4: a pending record just before its success" if pending else "", **paid)
    if s.chance(0.3):  # CRJ-4: a duplicate payment, refunded by a timer three days later
        s.payment(mp, "jetty", customer, order, f"p2-{s.n}", s.between(60, 2 * H), **paid)
        if s.chance(0.3):
            s.refund(mp, "jetty", customer, order, f"r-{s.n}", s.between(1 * D, 2 * D), False, reason="duplicate_payment")
            s.refund(mp, "jetty", customer, order, f"r-{s.n}", s.between(2.2 * D, 2.8 * D), True)
    if not s.chance(0.7):
        return
    body = CRJ_OPENING + (CREDENTIALS if s.chance(0.15) else "")
    extra = {"order_id": order, "shop_url": f"https://crm-{s.n}.example.com", "product_version": "3.2"}
    if s.chance(0.5):
        extra["attachments"] = [{"filename": "error.png", "content_type": "image/png"}]
    s.message(mp, "jetty", customer, thread, s.between(1 * H, 5 * H), body=body, **extra)
    if s.chance(0.6):  # CRJ-5 met; else reminder and breach
        s.message(mp, "jetty", customer, thread, s.between(6 * H, 20 * H), "seller", REPLY)
    at = s.between(22 * H, 24 * H)
    _follow_ups(s, mp, "jetty", customer, thread, at)
    if s.chance(0.5):
        s.close(mp, customer, thread, s.between(5 * D, 7 * D))


STORIES = (_cmsmart, _prestashop, _crmjetty)


def generate(unique_events: int, seed: int, start: datetime, stories_per_day: int = 100) -> list[Event]:
    """At least `unique_events` events, in the order the marketplaces sent them."""
    rng, events, n = random.Random(seed), [], 0
    while len(events) < unique_events:
        spacing = D / stories_per_day
        begin = start + timedelta(days=2, seconds=n * spacing + rng.uniform(0, spacing))
        STORIES[n % 3](Story(events, rng, begin, n))
        n += 1
    return sorted(events, key=lambda e: (e.sent_at, e.seq))
