"""The seller status API use cases: authenticate by key, then read only the seller's data."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from chalicelib.domain.errors import NotFoundError, UnauthorizedError
from chalicelib.domain.model import Seller

from .ports import TenantDirectory, TicketPage, TicketQuery, TicketStore
from .views import ticket_detail, ticket_summary


def hash_api_key(key: str) -> str:
    """Keys are 256-bit random strings, so a plain SHA-256 is enough (no slow hash needed)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass
class StatusService:
    store: TicketStore
    tenants: TenantDirectory

    def seller_for(self, authorization: str | None) -> Seller:
        scheme, _, key = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise UnauthorizedError("send 'Authorization: Bearer <api key>'")
        seller = self.tenants.seller_for_key_hash(hash_api_key(key.strip()))
        if seller is None:
            raise UnauthorizedError("unknown or revoked API key")
        return seller

    def tickets(self, query: TicketQuery) -> dict:
        page: TicketPage = self.store.list_tickets(query)
        return {"items": [ticket_summary(t) for t in page.items], "next_cursor": page.next_cursor}

    def ticket(self, seller: Seller, ticket_id: str) -> dict:
        ticket = self.store.load_ticket(ticket_id)
        if ticket is None or ticket.seller_id != seller.seller_id:
            raise NotFoundError(f"no ticket '{ticket_id}'")
        return ticket_detail(ticket)
