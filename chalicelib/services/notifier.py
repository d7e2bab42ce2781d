"""The `notifier` use case: outbox records from the table's stream, fanned out in order."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from chalicelib.domain.outbound import StoredNotice

from .dispatch import Dispatcher

logger = logging.getLogger("ticketwarden.notices")


@dataclass(frozen=True)
class OutboxRecord:
    position: str  # the stream record's sequence number: what a failure reports
    event_id: str
    notices: tuple[StoredNotice, ...]


@dataclass
class OutboxConsumer:
    dispatcher: Dispatcher

    def consume(self, records: list[OutboxRecord],
                more_time: Callable[[], bool] = lambda: True) -> list[str]:
        """Stop at the first record that fails and report it: the stream then restarts there,
        so no later record of the batch overtakes it (per-item order holds). A record left
        when time runs short is reported the same way, rather than cut off by the timeout."""
        for record in records:
            if not more_time():
                return [record.position]
            try:
                self.dispatcher.fan_out(list(record.notices))
            except Exception:  # noqa: BLE001 - any failure must stop the batch, not just ours
                logger.exception("outbox record failed; the stream retries from it",
                                 extra={"event_id": record.event_id})
                return [record.position]
        return []
