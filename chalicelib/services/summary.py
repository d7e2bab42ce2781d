"""GET /v1/sla/summary: where a seller stands, as one read model.

Three bounded reads, never a table scan and never the seller's whole history: the open
tickets (a sparse index that holds only open ones), the tickets opened in the last 30 days
(a key range on the seller's index) and the orders still active in the last two months or
later (a key range on `Order.active_until`). What they hold is folded into the seller's
running aggregates (summary_window), where only tickets and orders that changed since the
last request are worked out again. The work per request grows with what is current (open
tickets, the 30-day volume, recent orders), never with the seller's total tickets; each read
is capped and `limits` says when a cap was reached.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chalicelib.domain.model import Order, Seller, TicketSummary
from chalicelib.policy.profile import Profile

from . import summary_money as money
from . import summary_parts as parts
from .endpoint_status import EndpointHealthSource, NoEndpointsYet
from .summary_window import SellerWindows
from .profiles import Profiles
from .ports import TicketStore
from .views import iso

WINDOW = timedelta(days=30)
ORDER_LOOKBACK = timedelta(days=62)  # PS-7's one-month right and CRJ-4's days of waiting, with margin
OPEN_LIMIT, RECENT_LIMIT, ORDER_LIMIT = 5_000, 25_000, 5_000


@dataclass
class SummaryService:
    store: TicketStore
    profiles: Profiles
    endpoints: EndpointHealthSource = field(default_factory=NoEndpointsYet)
    windows: SellerWindows = field(default_factory=SellerWindows)

    def summary(self, seller: Seller, now: datetime) -> dict:
        open_tickets = self.store.open_tickets(seller.seller_id, OPEN_LIMIT)
        recent = self.store.tickets_opened_since(seller.seller_id, now - WINDOW, RECENT_LIMIT)
        orders = self.store.seller_orders(seller.seller_id, now - ORDER_LOOKBACK, ORDER_LIMIT)
        profiles = _Profiles(self.profiles, seller.seller_id)
        window = self.windows.of(seller.seller_id)
        with window.lock:
            window.sync_tickets([*recent, *open_tickets],  # an open ticket read second is fresher
                                lambda t: parts.digest(t, profiles.of(t)))
            window.sync_orders(orders, lambda o: money.order_digest(o, profiles.of(o)))
            decided = window.tally + Counter(parts.overdue_now(open_tickets, now))
            median, answers = window.median_answer, len(window.answers)
            watch = money.money_view(window.deadlines_between(now, now + timedelta(days=7)),
                                     window.owed())
        return {
            "seller_id": seller.seller_id, "now": iso(now),
            "open_tickets": len(open_tickets),
            **parts.deadlines(open_tickets, profiles.of, now),
            "compliance": parts.compliance(decided, now),
            "median_first_response": {"business_hours": None if median is None else round(median, 2),
                                      "answers": answers},
            "auto_closes_next_24h": parts.auto_closes(open_tickets, now, timedelta(hours=24)),
            **watch,
            "endpoints": [_endpoint_view(e) for e in self.endpoints.endpoint_health(seller.seller_id)],
            "limits": {"open_tickets": _limit(open_tickets, OPEN_LIMIT),
                       "tickets_last_30_days": _limit(recent, RECENT_LIMIT),
                       "active_orders": _limit(orders, ORDER_LIMIT)},
        }


class _Profiles:
    """One profile lookup per marketplace per request (a ticket or an order names its own)."""

    def __init__(self, profiles: Profiles, seller_id: str):
        self._profiles, self._seller_id, self._cache = profiles, seller_id, {}

    def of(self, subject: TicketSummary | Order) -> Profile:
        marketplace = subject.marketplace
        if marketplace not in self._cache:
            self._cache[marketplace] = self._profiles.profile_for(marketplace, self._seller_id)
        return self._cache[marketplace]


def _limit(found: list, cap: int) -> dict:
    return {"read": len(found), "cap": cap, "truncated": len(found) >= cap}


def _endpoint_view(endpoint) -> dict:
    return {"endpoint_id": endpoint.endpoint_id, "url": endpoint.url, "status": endpoint.status,
            "last_success_at": iso(endpoint.last_success_at),
            "failing_since": iso(endpoint.failing_since)}
