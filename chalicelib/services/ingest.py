"""The webhook use case: who sent it, is it genuine, and apply it once."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Mapping

from chalicelib.domain import events
from chalicelib.domain.errors import InvalidInputError, UnknownMarketplaceError
from chalicelib.domain.events import Delivery, Event
from chalicelib.domain.model import Marketplace

from . import signatures
from .commit import Outcome
from .handlers import WebhookHandlers
from .ports import Clock, TenantDirectory


MAX_NAME_BYTES = 256  # a longer URL segment names no marketplace (and would exceed a key's size)


@dataclass
class WebhookIngest:
    tenants: TenantDirectory
    handlers: WebhookHandlers
    clock: Clock
    wall_clock: Clock  # signatures are checked against real time, even under a test clock

    def marketplace(self, name: str) -> Marketplace:
        found = None if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES else self.tenants.marketplace(name)
        if found is None:
            raise UnknownMarketplaceError(f"unknown marketplace '{name}'")
        return found

    def authenticate(self, marketplace: Marketplace, body: bytes, headers: Mapping[str, str]) -> str:
        """Return the verified webhook-id (raises SignatureError)."""
        return signatures.verify(body, headers, marketplace.secrets, self.wall_clock.now())

    def process(self, marketplace: Marketplace, webhook_id: str, body: bytes, event_type: str,
                event: Event) -> Outcome:
        self._require_known_seller(event)
        delivery = Delivery(marketplace=marketplace.name, webhook_id=webhook_id,
                            body_hash=hashlib.sha256(body).hexdigest(), event_type=event_type)
        return self.handlers.handle(delivery, event, self.clock.now())

    def _require_known_seller(self, event: Event) -> None:
        """A seller the tenants do not know is the sender's error (400 on `data.seller_id`),
        like any other bad field: the URL named a real marketplace, so not a 404."""
        seller_id = _seller_of(event)
        if seller_id is not None and self.tenants.seller(seller_id) is None:
            raise InvalidInputError("unknown seller", [("data.seller_id", "no such seller")])


def _seller_of(event: Event) -> str | None:
    if isinstance(event, events.MessageCreated):
        return event.seller_id
    if isinstance(event, events.PaymentUpdated):
        return event.payment.seller_id
    if isinstance(event, (events.RefundRequested, events.RefundCompleted)):
        return event.refund.seller_id
    return None
