"""Commit a decided change, deciding again after a conflict: the only retry loop."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable

from chalicelib.domain.errors import (AlreadyAppliedError, ConcurrencyError, DeliveryConflictError,
                                      DependencyError, SlotTakenError)
from chalicelib.domain.events import Delivery

from .ports import Change, TicketStore

MAX_ATTEMPTS = 25


@dataclass(frozen=True)
class Outcome:
    response: dict[str, Any]
    duplicate: bool = False

    def body(self) -> dict[str, Any]:
        return {**self.response, "duplicate": self.duplicate}


def commit_decided(store: TicketStore, delivery: Delivery, decide: Callable[[], Change],
                   sleep: Callable[[float], None], *,
                   slot_taken: Callable[[SlotTakenError], None] | None = None) -> Outcome:
    """`decide` loads its facts and decides; a conflict reloads and decides again. A repeat of
    a delivery already applied answers what the first one answered."""
    for attempt in range(MAX_ATTEMPTS):
        change = decide()
        try:
            store.commit(change)
        except AlreadyAppliedError as exc:
            if exc.body_hash != delivery.body_hash:
                raise DeliveryConflictError(
                    "webhook-id already used with a different body") from exc
            return Outcome(exc.response, duplicate=True)
        except SlotTakenError as exc:
            if slot_taken is None:
                raise
            slot_taken(exc)
            continue
        except ConcurrencyError:
            sleep(random.uniform(0, 0.005 * min(attempt, 10)))
            continue
        return Outcome(change.response)
    raise DependencyError("too many concurrent changes; retry the delivery")
