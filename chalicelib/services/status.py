"""The seller status API use cases: authenticate by key, then read only the seller's data."""
from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.errors import InvalidInputError, NotFoundError, UnauthorizedError
from chalicelib.domain.model import Seller, TicketSummary

from chalicelib.policy.money import settled_payments
from chalicelib.policy.money.entitlements import entitlements_from

from .credentials import CredentialKeeper
from .profiles import Profiles
from .ports import CredentialVault, TenantDirectory, TicketQuery, TicketStore
from .views import iso, ticket_detail, ticket_summary

SLA_REPORT_LIMIT = 10_000
audit = logging.getLogger("ticketwarden.audit")


def hash_api_key(key: str) -> str:
    """Keys are 256-bit random strings, so a plain SHA-256 is enough (no slow hash needed)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass
class StatusService:
    store: TicketStore
    tenants: TenantDirectory
    profiles: Profiles
    vault: CredentialVault

    def seller_for(self, authorization: str | None) -> Seller:
        scheme, _, key = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise UnauthorizedError("send 'Authorization: Bearer <api key>'")
        seller = self.tenants.seller_for_key_hash(hash_api_key(key.strip()))
        if seller is None:
            raise UnauthorizedError("unknown or revoked API key")
        return seller

    def tickets(self, query: TicketQuery) -> dict:
        page = self.store.list_tickets(query)
        return {"items": [ticket_summary(t) for t in page.items], "next_cursor": page.next_cursor}

    def ticket(self, seller: Seller, ticket_id: str) -> dict:
        ticket = self.store.load_ticket(ticket_id)
        if ticket is None or ticket.seller_id != seller.seller_id:
            raise NotFoundError(f"no ticket '{ticket_id}'")
        return ticket_detail(ticket)

    def credentials(self, seller: Seller, ticket_id: str) -> dict:
        """CRJ-3 read-back: the ticket's own seller, while it is open; every read is audited."""
        ticket = self.store.load_ticket(ticket_id)
        if ticket is None or ticket.seller_id != seller.seller_id:
            raise NotFoundError(f"no ticket '{ticket_id}'")
        if not ticket.is_open:
            raise NotFoundError(f"ticket '{ticket_id}' is closed: its credentials were deleted")
        sealed = self.store.load_vault(ticket_id)
        audit.info("credentials read", extra={"seller_id": seller.seller_id, "ticket_id": ticket_id,
                                              "count": ticket.credentials_shared - ticket.credentials_not_kept})
        keeper = CredentialKeeper(self.vault)
        return {"ticket_id": ticket_id, "items": [i for s in sealed for i in keeper.open(ticket_id, s)]}

    def sla_report(self, seller: Seller, since: datetime | None, until: datetime | None) -> dict:
        """Counts over the seller's tickets opened in [since, until)."""
        tickets = self._all(TicketQuery(seller_id=seller.seller_id, opened_from=since,
                                        opened_until=until, limit=200))
        clocks = Counter((c.name, c.state.value) for t in tickets for c in t.sla)
        met, breached = (sum(n for (_, s), n in clocks.items() if s == state)
                         for state in ("met", "breached"))
        return {"since": iso(since), "until": iso(until), "tickets": len(tickets),
                "by_status": dict(Counter(t.status.value for t in tickets)),
                "clocks": {name: {state: clocks[(name, state)]
                                  for state in ("running", "paused", "met", "breached")}
                           for name in sorted({n for n, _ in clocks})},
                "compliance": round(met / (met + breached), 4) if met + breached else None}

    def support_hours(self, seller: Seller, marketplace: str | None, now: datetime) -> dict:
        if not seller.policy and not marketplace:
            raise InvalidInputError("which marketplace?", [
                ("marketplace", "required: this seller has no profile of its own")])
        if not seller.policy and self.tenants.marketplace(marketplace) is None:
            raise NotFoundError(f"unknown marketplace '{marketplace}'")
        profile = self.profiles.profile_for(marketplace or "", seller.seller_id)
        rule = profile.rule_of_type("support_hours")
        if rule is None:
            raise NotFoundError(f"profile {profile.ref} declares no support hours")
        calendar = profile.calendar(rule.params.calendar)
        open_now = calendar.is_open(now)
        return {"rule": rule.id, "policy": profile.ref, "open_now": open_now, "now": iso(now),
                "closes_at": iso(calendar.closing_time(now)) if open_now else None,
                "next_opening": iso(calendar.next_opening(now)),
                "calendar": {"zone": calendar.zone, "hours": _hours(calendar)}}

    def entitlements(self, seller: Seller, customer_id: str, product_id: str | None,
                     now: datetime) -> dict:
        """What the customer's payments with this seller grant, and who says so."""
        orders = self.store.orders_for_customer(seller.seller_id, customer_id)
        items = []
        for marketplace in sorted({o.marketplace for o in orders}):
            mine = [o for o in orders if o.marketplace == marketplace]
            profile = self.profiles.profile_for(marketplace, seller.seller_id)
            granted = entitlements_from(settled_payments(p for o in mine for p in o.payments),
                                        [r for o in mine for r in o.refunds], zone=profile.zone)
            items += [_entitlement_view(marketplace, e, now) for e in granted
                      if product_id is None or e.product_id == product_id]
        current = [i for i in items if i["covered_now"]]
        return {"customer_id": customer_id, "product_id": product_id, "covered": bool(current),
                "until": max((i["ends_at"] for i in current), default=None), "items": items}

    def _all(self, query: TicketQuery) -> list[TicketSummary]:
        found: list[TicketSummary] = []
        while len(found) < SLA_REPORT_LIMIT:
            page = self.store.list_tickets(query)
            found += page.items
            if not page.next_cursor:
                break
            query = replace(query, cursor=page.next_cursor)
        return found


def _entitlement_view(marketplace: str, entitlement, now: datetime) -> dict:
    return {"marketplace": marketplace, "kind": entitlement.kind, "rule": entitlement.rule,
            "product_id": entitlement.product_id, "shop": entitlement.shop,
            "payment_id": entitlement.payment_id, "starts_at": iso(entitlement.starts_at),
            "ends_at": iso(entitlement.ends_at), "ended_by": entitlement.ended_by,
            "covered_now": entitlement.covers(now)}


def _hours(calendar) -> dict[str, list[str]]:
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return {day: [f"{_hhmm(p.start)}-{_hhmm(p.end)}" for p in periods]
            for day, periods in zip(days, calendar.hours) if periods}


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
