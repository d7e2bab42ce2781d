"""The webhook use case: who sent it, is it genuine, and apply it once."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Mapping

from chalicelib.domain.errors import UnknownMarketplaceError
from chalicelib.domain.events import Delivery, Event
from chalicelib.domain.model import Marketplace

from . import signatures
from .commit import Outcome
from .handlers import WebhookHandlers
from .ports import Clock, TenantDirectory


@dataclass
class WebhookIngest:
    tenants: TenantDirectory
    handlers: WebhookHandlers
    clock: Clock
    wall_clock: Clock  # signatures are checked against real time, even under a test clock

    def marketplace(self, name: str) -> Marketplace:
        found = self.tenants.marketplace(name)
        if found is None:
            raise UnknownMarketplaceError(f"unknown marketplace '{name}'")
        return found

    def authenticate(self, marketplace: Marketplace, body: bytes, headers: Mapping[str, str]) -> str:
        """Return the verified webhook-id (raises SignatureError)."""
        return signatures.verify(body, headers, marketplace.secrets, self.wall_clock.now())

    def process(self, marketplace: Marketplace, webhook_id: str, body: bytes, event_type: str,
                event: Event) -> Outcome:
        delivery = Delivery(marketplace=marketplace.name, webhook_id=webhook_id,
                            body_hash=hashlib.sha256(body).hexdigest(), event_type=event_type)
        return self.handlers.handle(delivery, event, self.clock.now())
