"""Deliver a workload to an env like marketplaces would, in rounds of simulated time.

Each delivery is processed at its arrival instant (the FixedClock is set to it); at every
round boundary due schedules fire and the reconciler runs once, as its 5-minute rule would
between rounds. A 503 (DependencyError) is redelivered with the same webhook-id after a
growing delay, up to MAX_TRIES. At the horizon the reconciler runs until nothing is unsynced.
"""
from __future__ import annotations

import heapq
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chalicelib.api import schemas
from chalicelib.api.webhooks import parse_event
from chalicelib.domain.errors import DependencyError, TicketwardenError

from .workload import Event

RETRY_DELAYS = (5, 30, 120, 300, 900, 1800, 3600, 7200)  # seconds, like a webhook sender's backoff
MAX_TRIES = 12
ROUND = timedelta(hours=1)
SETTLE = timedelta(days=5)


@dataclass(frozen=True)
class Delivery:
    event: Event
    webhook_id: str
    kind: str  # first | duplicate | resent (same body under a new webhook-id)


@dataclass
class Chaos:
    """How the marketplaces misbehave; Chaos() is the clean in-order run."""

    seed: int = 0
    jitter_seconds: float = 0.0
    duplicate_share: float = 0.0  # of all deliveries
    resent_share: float = 0.0  # of unique events


@dataclass
class Tally:
    deliveries: Counter = field(default_factory=Counter)  # by kind
    retries: int = 0
    gave_up: int = 0
    errors: Counter = field(default_factory=Counter)  # anything but 200 or 503
    duplicate_answers: int = 0
    rounds: int = 0
    acknowledged: set = field(default_factory=set)  # seqs of events answered with a 200


def deliveries(events: list[Event], chaos: Chaos) -> list[tuple[datetime, int, Delivery]]:
    rng = random.Random(chaos.seed)

    def arrival(event: Event) -> datetime:
        return event.sent_at + timedelta(seconds=rng.uniform(0, chaos.jitter_seconds))

    plan = [(arrival(e), e.seq, Delivery(e, e.webhook_id, "first")) for e in events]
    extra = round(len(events) * chaos.duplicate_share / (1 - chaos.duplicate_share))
    for _ in range(extra):  # same webhook-id, same body: right away, minutes or a day later
        event = rng.choice(events)
        delay = rng.choice((rng.uniform(0, 2), rng.uniform(60, 600), rng.uniform(3600, 86400)))
        plan.append((arrival(event) + timedelta(seconds=delay), event.seq, Delivery(event, event.webhook_id, "duplicate")))
    for event in rng.sample(events, round(len(events) * chaos.resent_share)):
        plan.append((arrival(event) + timedelta(seconds=rng.uniform(60, 7200)), event.seq,
                     Delivery(event, f"{event.webhook_id}-resent", "resent")))
    return plan


def submit(services, event: Event, webhook_id: str, parsed: dict):
    """What the webhook route does after the signature check: parse, convert, process."""
    if event.seq not in parsed:
        wire = parse_event(event.body)
        parsed[event.seq] = (wire.type, schemas.to_domain(wire, event.marketplace))
    wire_type, domain = parsed[event.seq]
    ingest = services.ingest
    return ingest.process(ingest.marketplace(event.marketplace), webhook_id, event.body, wire_type, domain)


class Runner:
    def __init__(self, env, events: list[Event], chaos: Chaos, round_: timedelta = ROUND,
                 audit_every: int = 1):
        self.env, self.events, self.chaos, self.round = env, events, chaos, round_
        self.audit_every = audit_every  # rounds between checks that synced subjects match schedules
        self.tally = Tally()
        self._parsed: dict[int, tuple] = {}

    def run(self) -> Tally:
        queue = [(at, n, seq, d, 0) for n, (at, seq, d) in enumerate(deliveries(self.events, self.chaos))]
        heapq.heapify(queue)
        boundary = self.events[0].sent_at.replace(minute=0, second=0, microsecond=0) + self.round
        horizon = max(e.sent_at for e in self.events) + SETTLE
        order = len(queue)
        while queue or boundary <= horizon:
            if queue and queue[0][0] < boundary:
                at, _, seq, delivery, tries = heapq.heappop(queue)
                self.tally.deliveries[delivery.kind] += tries == 0
                if not self._deliver(at, delivery):
                    if tries + 1 >= MAX_TRIES:
                        self.tally.gave_up += 1
                        continue
                    order += 1
                    self.tally.retries += 1
                    delay = RETRY_DELAYS[min(tries, len(RETRY_DELAYS) - 1)]
                    heapq.heappush(queue, (at + timedelta(seconds=delay), order, seq, delivery, tries + 1))
                continue
            self._round(boundary)
            boundary += self.round
        self._settle(boundary)
        return self.tally

    def _deliver(self, at: datetime, delivery: Delivery) -> bool:
        """True once answered (200, or a 4xx that a retry cannot fix); False on a 503."""
        self.env.clock.set(at)
        try:
            outcome = submit(self.env.services, delivery.event, delivery.webhook_id, self._parsed)
        except DependencyError:
            return False
        except TicketwardenError as exc:
            self.tally.errors[type(exc).__name__] += 1
            return True
        except Exception as exc:  # noqa: BLE001 - a 500: counted and reported, never hidden
            self.tally.errors[f"500 {type(exc).__name__}: {exc}"[:120]] += 1
            return True
        self.tally.duplicate_answers += outcome.duplicate
        self.tally.acknowledged.add(delivery.event.seq)
        return True

    def _round(self, now: datetime) -> None:
        self.tally.rounds += 1
        self.env.clock.set(now)
        self.env.fire_due(now)
        self.env.reconcile()
        if self.audit_every and self.tally.rounds % self.audit_every == 0:
            self.env.audit()
        self.env.fire_due(now)

    def _settle(self, now: datetime, passes: int = 100) -> None:
        self.env.clock.set(now)
        for _ in range(passes):
            self.env.reconcile()
            self.env.fire_due(now)
            if not self.env.store.unsynced_subjects(1000):
                break
        self.env.audit()
