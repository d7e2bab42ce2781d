"""The outbox of a change: its notices, named and grouped for the one transaction that commits it."""
from __future__ import annotations

from collections import OrderedDict

from chalicelib.domain.outbound import StoredNotice, notice_id

from .ports import Change

MAX_NOTICES_PER_CHANGE = 50  # a change produces a handful; the bound keeps the transaction small


def stored_notices(change: Change) -> list[StoredNotice]:
    """Ids derive from the delivery (source + webhook-id) and the index: replays cannot add any."""
    if len(change.notices) > MAX_NOTICES_PER_CHANGE:
        raise ValueError(f"a change carries at most {MAX_NOTICES_PER_CHANGE} notices")
    delivery = change.delivery
    return [StoredNotice.of(n, notice_id(delivery.marketplace, delivery.webhook_id, i),
                            change.recorded_at)
            for i, n in enumerate(change.notices)]


def by_subject(notices: list[StoredNotice]) -> "OrderedDict[str, list[StoredNotice]]":
    """One outbox item per subject of the change (one in practice): the stream keeps each
    subject's items in commit order because they share a partition key."""
    groups: OrderedDict[str, list[StoredNotice]] = OrderedDict()
    for notice in notices:
        groups.setdefault(notice.subject_id, []).append(notice)
    return groups
