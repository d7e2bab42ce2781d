"""The `notifier` Lambda: the table's DynamoDB Stream (outbox items only, by the mapping's filter).

The event source mapping lives in the merge template (chalice's decorator cannot set
ReportBatchItemFailures, bisecting, retries or a failure destination). Decoding is here;
what to do with the notices is the services'.
"""
from __future__ import annotations

import logging

from chalice import Blueprint

from chalicelib.adapters.dynamo import keys, outbound_keys
from chalicelib.services.notifier import OutboxRecord

from .context import services

bp = Blueprint(__name__)
logger = logging.getLogger("ticketwarden.notices")


def decode(event: dict) -> list[OutboxRecord]:
    """Stream records -> outbox records, in stream order; anything but an outbox INSERT is skipped
    (the filter should already have dropped it)."""
    records = []
    for raw in event.get("Records") or []:
        change = raw.get("dynamodb") or {}
        image = keys.from_attrs(change.get("NewImage") or {})
        if raw.get("eventName") != "INSERT" or image.get("type") != outbound_keys.OUTBOX:
            continue
        records.append(OutboxRecord(position=str(change.get("SequenceNumber", "")),
                                    event_id=str(raw.get("eventID", "")),
                                    notices=tuple(outbound_keys.notices_from_outbox(image))))
    return records


SPARE_MS = 60_000  # a record may need a few 15 s attempts: start none with less time left


def handle(event: dict, context=None) -> dict:
    """The partial-batch answer Lambda expects with ReportBatchItemFailures."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    more_time = lambda: True  # noqa: E731 - local mode and tests without a context
    if remaining:
        spare = min(SPARE_MS, remaining() // 2)
        more_time = lambda: remaining() > spare  # noqa: E731
    failed = services().outbound.consumer.consume(decode(event), more_time)
    return {"batchItemFailures": [{"itemIdentifier": position} for position in failed]}


@bp.lambda_function(name="notifier")
def notifier(event: dict, context) -> dict:
    return handle(event if isinstance(event, dict) else {}, context)
