"""Money rules as pure functions: entitlements (PS-1, PS-8, CRJ-1, CRJ-10), refund windows
(PS-5, PS-7) and duplicate payments (CRJ-4). No I/O, no clock: `now` is always an argument.

Every function here takes the *whole* set of payment and refund records it knows and folds
them itself, so the answer never depends on the order the webhooks arrived in. The fold
below is shared: a payment is the sum of its `payment.updated` records, by payment_id.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from chalicelib.domain.model import Payment

# On a tie of occurred_at the more final status wins: a reversal beats a success, never the
# other way round, whichever webhook came in last.
STATUS_RANK = {"pending": 0, "succeeded": 1, "failed": 2, "reversed": 3}


def settled_payments(records: Iterable[Payment]) -> list[Payment]:
    """One Payment per payment_id: the latest record's status and fields, paid at its first success.

    Latest is by (occurred_at, status rank, full record), a total order, so replays and
    shuffles fold to the same result. A succeeded payment keeps the instant of its first
    success: a dispute won after a reversal reinstates the purchase, it does not re-date it.
    """
    history: dict[str, list[Payment]] = {}
    for record in records:
        history.setdefault(record.payment_id, []).append(record)
    return [_fold(history[payment_id]) for payment_id in sorted(history)]


def _fold(records: list[Payment]) -> Payment:
    latest = max(records, key=lambda p: (p.occurred_at, STATUS_RANK.get(p.status, -1), repr(p)))
    if latest.status != "succeeded":
        return latest
    first_success = min(p.occurred_at for p in records if p.status == "succeeded")
    return replace(latest, occurred_at=first_success)


def succeeded(records: Iterable[Payment]) -> list[Payment]:
    """The payments whose settled status is succeeded: the only ones that buy anything."""
    return [p for p in settled_payments(records) if p.status == "succeeded"]
