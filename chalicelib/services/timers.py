"""The `timer` use case: a schedule fired; apply it once, through the same commit path as webhooks."""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from chalicelib.domain.events import Delivery, TimerFired
from chalicelib.domain.outbound import RETRY_KIND
from chalicelib.policy.expiry import decide_timer
from chalicelib.policy.orders import decide_order_timer

from .assemble import assemble
from .commit import Outcome, commit_decided
from .loaders import Loader
from .notices import Cause
from .ports import Change, Clock, TicketStore
from .subjects import OrderRef, TicketRef, subject_of

TIMER_SOURCE = "_timer"  # where a firing's delivery record lives, beside the marketplaces'


@dataclass
class TimerHandlers:
    store: TicketStore
    loader: Loader
    clock: Clock
    sleep: Callable[[float], None] = field(default=time.sleep)
    dispatcher: Any = None  # services.dispatch.Dispatcher: notice retries are timers too

    def fire(self, event: TimerFired) -> Outcome:
        """Idempotent: a duplicate firing finds the first one's delivery record."""
        if event.kind == RETRY_KIND and self.dispatcher is not None:
            return Outcome({"note": self.dispatcher.retry(event.subject_id)})
        delivery = _delivery(event)
        now = self.clock.now()
        return commit_decided(self.store, delivery, lambda: self._decide(delivery, event, now),
                              self.sleep)

    def _decide(self, delivery: Delivery, event: TimerFired, now) -> Change:
        cause = Cause("timer", event.kind)
        match subject_of(event.subject_id):
            case OrderRef(marketplace, seller_id, order_id):
                facts = self.loader.order(marketplace, order_id, seller_id=seller_id)
                effects = decide_order_timer(facts, event.kind, event.version)
                return assemble(delivery, effects, facts.profile, now, cause=cause)
            case TicketRef(ticket_id):
                ticket, profile = self.loader.ticket(ticket_id)
                effects = decide_timer(profile, ticket, event.kind, event.version, now)
                return assemble(delivery, effects, profile, now, cause=cause)


def _delivery(event: TimerFired) -> Delivery:
    canonical = json.dumps({"subject_id": event.subject_id, "kind": event.kind,
                            "version": event.version, "due_at": event.due_at.isoformat()},
                           sort_keys=True)
    return Delivery(marketplace=TIMER_SOURCE,
                    webhook_id=f"{event.subject_id}:{event.kind}:{event.version}",
                    body_hash=hashlib.sha256(canonical.encode()).hexdigest(),
                    event_type=f"timer.{event.kind}")
