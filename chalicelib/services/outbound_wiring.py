"""The delivery side wired together: one place, so Lambda, local mode and tests agree."""
from __future__ import annotations

from dataclasses import dataclass

from .dispatch import Dispatcher
from .endpoints import EndpointService
from .notifier import OutboxConsumer
from .outbound_ports import OutboundStore, UrlChecker


@dataclass
class Outbound:
    store: OutboundStore
    dispatcher: Dispatcher
    consumer: OutboxConsumer
    endpoints: EndpointService


def build(*, store: OutboundStore, vault, scheduler, clock, wall_clock, url_guard: UrlChecker,
          sender) -> Outbound:
    dispatcher = Dispatcher(store=store, sender=sender, vault=vault, scheduler=scheduler,
                            clock=clock, wall_clock=wall_clock)
    return Outbound(store=store, dispatcher=dispatcher, consumer=OutboxConsumer(dispatcher),
                    endpoints=EndpointService(store=store, vault=vault, guard=url_guard,
                                              dispatcher=dispatcher, clock=clock))
