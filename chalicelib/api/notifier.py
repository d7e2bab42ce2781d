"""The `notifier` Lambda: the table's DynamoDB Stream (outbox items and heads whose timers changed,
by the mapping's filter): it sends the notices and syncs the schedules.

The event source mapping lives in the merge template (chalice's decorator cannot set
ReportBatchItemFailures, bisecting, retries or a failure destination). Decoding is here;
what to do with the notices is the services'.
"""
from __future__ import annotations

import logging

from chalice import Blueprint

from chalicelib.adapters.dynamo import keys, outbound_keys
from chalicelib.services.notifier import OutboxRecord
from chalicelib.services.timer_sync import TimersChanged

from .context import services

bp = Blueprint(__name__)
logger = logging.getLogger("ticketwarden.notices")


def decode(event: dict) -> tuple[list[OutboxRecord], list[TimersChanged]]:
    """Stream records -> outbox records and timer changes, each in stream order; anything else
    is skipped (the filter should already have dropped it)."""
    outbox, timers = [], []
    for raw in event.get("Records") or []:
        change = raw.get("dynamodb") or {}
        image = keys.from_attrs(change.get("NewImage") or {})
        if raw.get("eventName") == "INSERT" and image.get("type") == outbound_keys.OUTBOX:
            outbox.append(OutboxRecord(position=str(change.get("SequenceNumber", "")),
                                       event_id=str(raw.get("eventID", "")),
                                       notices=tuple(outbound_keys.notices_from_outbox(image))))
        elif raw.get("eventName") in ("INSERT", "MODIFY"):
            old = keys.from_attrs(change["OldImage"]) if change.get("OldImage") else None
            timers += filter(None, [keys.timers_changed_from_images(image, old)])
    return outbox, timers


SPARE_MS = 60_000  # a record may need a few 15 s attempts: start none with less time left


def handle(event: dict, context=None) -> dict:
    """The partial-batch answer Lambda expects with ReportBatchItemFailures."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    more_time = lambda: True  # noqa: E731 - local mode and tests without a context
    if remaining:
        spare = min(SPARE_MS, remaining() // 2)
        more_time = lambda: remaining() > spare  # noqa: E731
    return process(services(), event, more_time)


def process(wiring, event: dict, more_time=lambda: True) -> dict:
    """Schedules first (a failed sync keeps its cue for the reconciler), then the notices."""
    outbox, timers = decode(event)
    if timers:  # a redelivered batch syncs them again: a sync is idempotent
        logger.info("timer sync", extra=wiring.timer_sync.consume(timers))
    failed = wiring.outbound.consumer.consume(outbox, more_time)
    return {"batchItemFailures": [{"itemIdentifier": position} for position in failed]}


@bp.lambda_function(name="notifier")
def notifier(event: dict, context) -> dict:
    return handle(event if isinstance(event, dict) else {}, context)
