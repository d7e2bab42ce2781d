"""The `timer` use case: a schedule fired; apply it once, through the same commit path as webhooks."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.events import Delivery, TimerFired
from chalicelib.domain.outbound import RETRY_KIND

from .handlers import Outcome, WebhookHandlers
from .ports import Clock

TIMER_SOURCE = "_timer"


@dataclass
class TimerService:
    handlers: WebhookHandlers
    clock: Clock
    dispatcher: Any = None  # services.dispatch.Dispatcher: holds the retry waits of notices

    def fire(self, event: TimerFired) -> Outcome:
        """Idempotent: a duplicate firing finds the first one's delivery record."""
        if event.kind == RETRY_KIND and self.dispatcher is not None:
            return Outcome({"note": self.dispatcher.retry(event.subject_id)})
        canonical = json.dumps({"subject_id": event.subject_id, "kind": event.kind,
                                "version": event.version, "due_at": event.due_at.isoformat()},
                               sort_keys=True)
        delivery = Delivery(marketplace=TIMER_SOURCE,
                            webhook_id=f"{event.subject_id}:{event.kind}:{event.version}",
                            body_hash=hashlib.sha256(canonical.encode()).hexdigest(),
                            event_type=f"timer.{event.kind}")
        return self.handlers.handle(delivery, event, self.clock.now())
