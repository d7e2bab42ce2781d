"""Endpoint health for the seller summary: the one place the summary meets outbound endpoints.

Outbound notices and seller endpoints (`/v1/endpoints`) arrive on another branch; until
they are wired here, `NoEndpointsYet` answers an empty list and the page says "no endpoints
registered". The integrator swaps in the real source (one `bootstrap.build` argument).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


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
