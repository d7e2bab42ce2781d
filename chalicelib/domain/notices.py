"""Outbound notices: what a change wants the outside world to know, as data.

Decided by the pure policy code next to its decisions, carried on the services' `Change` and
written in the same transaction as the state that caused them (the outbox). Delivery, fan-out
to endpoints and retries happen after the commit, from the table's stream.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class NoticeType(str, enum.Enum):
    ACTION_REQUESTED = "action.requested"
    TICKET_OPENED = "ticket.opened"
    TICKET_CLOSED = "ticket.closed"
    TICKET_REJECTED = "ticket.rejected"
    SLA_REMINDER = "sla.reminder"
    SLA_BREACHED = "sla.breached"
    ENDPOINT_FAILING = "endpoint.failing"
    ENDPOINT_DISABLED = "endpoint.disabled"


class Audience(str, enum.Enum):
    """Who must act: `action.requested` goes to the marketplace's endpoints (sellers may
    subscribe too); everything else to the seller's endpoints."""

    MARKETPLACE = "marketplace"
    SELLER = "seller"


@dataclass(frozen=True)
class Notice:
    """One notice. `subject_id` (ticket id or order subject) orders delivery: per subject,
    notices arrive in commit order. `data` is the wire `data` object, JSON-ready."""

    type: NoticeType
    marketplace: str
    seller_id: str
    subject_id: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def audience(self) -> Audience:
        return audience_of(self.type)


def audience_of(kind: NoticeType) -> Audience:
    return Audience.MARKETPLACE if kind is NoticeType.ACTION_REQUESTED else Audience.SELLER
