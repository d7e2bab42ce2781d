"""GET /v1/sla/summary: where a seller stands, as one read model.

Three bounded reads, never a table scan and never the seller's whole history: the open
tickets (a sparse index that holds only open ones), the tickets opened in the last 30 days
(a key range on the seller's index) and the orders still active in the last two months or
later (a key range on `Order.active_until`). The work per request grows with what is
current (open tickets, the 30-day volume, recent orders), not with the seller's total
tickets; each read is capped and `limits` says when a cap was reached.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chalicelib.domain.model import Order, Seller, Ticket
from chalicelib.policy.profile import Profile

from . import summary_money as money
from . import summary_parts as parts
from .endpoint_health import EndpointHealthSource, NoEndpointsYet
from .policy import PolicyService
from .ports import TicketStore
from .views import iso

WINDOW = timedelta(days=30)
ORDER_LOOKBACK = timedelta(days=62)  # PS-7's one-month right and CRJ-4's days of waiting, with margin
OPEN_LIMIT, RECENT_LIMIT, ORDER_LIMIT = 5_000, 25_000, 5_000
DIGESTS_KEPT = 200_000  # ~200 bytes each: about 40 MB at most per container


@dataclass
class SummaryService:
    store: TicketStore
    policy: PolicyService
    endpoints: EndpointHealthSource = field(default_factory=NoEndpointsYet)
    digests: DigestCache = field(default_factory=lambda: DigestCache())

    def summary(self, seller: Seller, now: datetime) -> dict:
        open_tickets = self.store.open_tickets(seller.seller_id, OPEN_LIMIT)
        recent = self.store.tickets_opened_since(seller.seller_id, now - WINDOW, RECENT_LIMIT)
        orders = self.store.seller_orders(seller.seller_id, now - ORDER_LOOKBACK, ORDER_LIMIT)
        profiles = _Profiles(self.policy, seller.seller_id)
        seen = {t.id: t for t in recent} | {t.id: t for t in open_tickets}  # open ones are fresher
        digests = [self.digests.of(t, profiles.of) for t in seen.values()]
        decided = [d for digest in digests for d in digest.settled] + parts.overdue_now(open_tickets, now)
        return {
            "seller_id": seller.seller_id, "now": iso(now),
            "open_tickets": len(open_tickets),
            **parts.deadlines(open_tickets, profiles.of, now),
            "compliance": parts.compliance(decided, now),
            "median_first_response": parts.median_first_response(digests, now - WINDOW),
            "auto_closes_next_24h": parts.auto_closes(open_tickets, now, timedelta(hours=24)),
            **money.money_watch(orders, profiles.of, now, timedelta(days=7)),
            "endpoints": [_endpoint_view(e) for e in self.endpoints.endpoint_health(seller.seller_id)],
            "limits": {"open_tickets": _limit(open_tickets, OPEN_LIMIT),
                       "tickets_last_30_days": _limit(recent, RECENT_LIMIT),
                       "active_orders": _limit(orders, ORDER_LIMIT)},
        }


class DigestCache:
    """Digests by (ticket id, version), kept across requests of a warm container; bounded.

    A version's settled clocks never change, so a refresh works out only the tickets that
    moved since the last one. Full: it starts over (simple, and a miss is only slower).
    """

    def __init__(self, size: int = DIGESTS_KEPT):
        self._size, self._kept = size, {}

    def of(self, ticket: Ticket, profile_of) -> parts.Digest:
        key = (ticket.id, ticket.version)
        found = self._kept.get(key)
        if found is None:
            if len(self._kept) >= self._size:
                self._kept = {}
            found = self._kept[key] = parts.digest(ticket, profile_of(ticket))
        return found


class _Profiles:
    """One profile lookup per marketplace per request (a ticket or an order names its own)."""

    def __init__(self, policy: PolicyService, seller_id: str):
        self._policy, self._seller_id, self._cache = policy, seller_id, {}

    def of(self, subject: Ticket | Order) -> Profile:
        marketplace = subject.marketplace
        if marketplace not in self._cache:
            self._cache[marketplace] = self._policy.profile_for(marketplace, self._seller_id)
        return self._cache[marketplace]


def _limit(found: list, cap: int) -> dict:
    return {"read": len(found), "cap": cap, "truncated": len(found) >= cap}


def _endpoint_view(endpoint) -> dict:
    return {"endpoint_id": endpoint.endpoint_id, "url": endpoint.url, "status": endpoint.status,
            "last_success_at": iso(endpoint.last_success_at),
            "failing_since": iso(endpoint.failing_since)}
