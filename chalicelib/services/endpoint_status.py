"""Endpoint health for the seller summary: the one place the summary meets outbound endpoints
(`StoredEndpointHealth` reads the seller's endpoint records; `NoEndpointsYet` answers none)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.outbound import Endpoint, EndpointStatus

from .outbound_ports import OutboundStore


@dataclass(frozen=True)
class EndpointHealth:
    endpoint_id: str
    url: str
    status: str  # "active" | "failing" | "disabled" (the contract's endpoint status)
    last_success_at: datetime | None = None
    failing_since: datetime | None = None


class EndpointHealthSource(Protocol):
    def endpoint_health(self, seller_id: str) -> list[EndpointHealth]:
        """The seller's endpoints and how delivery to each is going (read-only)."""


class NoEndpointsYet:
    """No endpoint records exist yet: every seller has none."""

    def endpoint_health(self, seller_id: str) -> list[EndpointHealth]:
        return []


@dataclass
class StoredEndpointHealth:
    """The seller's endpoints as delivery left them: active, failing (since when) or disabled."""

    store: OutboundStore

    def endpoint_health(self, seller_id: str) -> list[EndpointHealth]:
        return [EndpointHealth(e.id, e.url, _status(e), e.last_success_at, e.failing_since)
                for e in self.store.endpoints_of(f"seller:{seller_id}")]


def _status(endpoint: Endpoint) -> str:
    if endpoint.status is EndpointStatus.DISABLED:
        return "disabled"
    return "failing" if endpoint.failing_since else "active"
