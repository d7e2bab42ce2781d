"""(f) Simulator: whole ticket life cycles through the services with in-memory fakes.

Tickets come in independent cohorts of `scale.sim_shard` (a fresh store per cohort: the
in-memory adapters scan every record on some calls, see the notes), each opened uniformly
over 28 days from Monday 23 Nov 2026. Webhooks go through JSON + pydantic + `ingest.process`
(no signature: the clock is simulated); before each one the FixedClock moves to its time
and every timer due by then fires, in order, at its due time, through `InMemoryTimers.due`
and `services.timers.fire`; a fired schedule is then deleted (ActionAfterCompletion).
"""
from __future__ import annotations

import heapq
import time
from collections import Counter, defaultdict
from datetime import timedelta

from chalicelib.adapters.memory_timers import InMemoryTimers
from chalicelib.adapters.scheduler import fire_time
from chalicelib.domain.events import TimerFired
from tests.builders import T0

from . import SEED, progress, workload
from .outcomes import outcomes, render  # noqa: F401 - the section's Markdown
from .wiring import deliver, memory_services

WINDOW, DRAIN = timedelta(days=28), timedelta(days=10)


class SimTimers(InMemoryTimers):
    """Remembers what it holds and when the next one is due, so the simulator asks `.due(now)`
    (which sorts every pending timer) only when a timer is due."""

    def __init__(self):
        super().__init__()
        self.heap: list = []
        self.held: dict[tuple[str, str], object] = {}

    def sync(self, subject_id, wanted, unwanted_kinds) -> None:
        wanted, unwanted_kinds = list(wanted), list(unwanted_kinds)
        super().sync(subject_id, wanted, unwanted_kinds)
        for kind in set(unwanted_kinds) - {r.kind for r in wanted}:
            self.held.pop((subject_id, kind), None)
        for request in wanted:
            self.held[(subject_id, request.kind)] = request
            heapq.heappush(self.heap, (fire_time(request.due_at), subject_id, request.kind))

    def remove(self, subject_id: str, kind: str) -> None:
        super().remove(subject_id, kind)
        self.held.pop((subject_id, kind), None)

    def falling_due(self, now):
        """Each timer due by `now`, in due order, as the Scheduler would fire it (the caller
        fires it); one the firing did not replace is then gone, like a one-time schedule."""
        while self.heap and self.heap[0][0] <= now:
            while self.heap and self.heap[0][0] <= now:
                heapq.heappop(self.heap)
            for request in self.due(now):
                yield request
                if self.held.get((request.subject_id, request.kind)) == request:
                    self.remove(request.subject_id, request.kind)


def run_cohort(seed: int, count: int, prefix: str, keep_store: bool = False) -> dict:
    started = time.process_time()
    steps = workload.timeline(seed, count, T0, WINDOW, prefix=prefix)
    generated = time.process_time()
    timers = SimTimers()
    services = memory_services(steps[0].at, scheduler=timers)
    clock, done, errors, cpu = services.clock, Counter(), Counter(), Counter()

    def fire_until(now) -> None:
        for request in timers.falling_due(now):
            clock.set(max(clock.now(), request.due_at))
            begun = time.process_time()
            _guarded(errors, "timer", lambda: services.timers.fire(TimerFired(
                request.subject_id, request.kind, request.version, request.due_at)))
            cpu["timer"] += time.process_time() - begun
            done["timer"] += 1

    for step in steps:
        fire_until(step.at)
        clock.set(step.at)
        begun = time.process_time()
        _guarded(errors, step.kind, lambda: deliver(services, step.marketplace, step.event,
                                                     f"wh-{prefix}-{step.seq}"))
        cpu["webhook"] += time.process_time() - begun
        done["webhook"] += 1
    fire_until(T0 + WINDOW + DRAIN)
    finished = time.process_time()
    return {"webhooks": done["webhook"], "timers": done["timer"], "errors": errors,
            "webhook_cpu_s": cpu["webhook"], "timer_cpu_s": cpu["timer"],
            "generate_s": generated - started, "handle_s": finished - generated,
            "outcomes": outcomes(services.store), **({"store": services.store} if keep_store else {})}


def _guarded(errors: Counter, kind: str, action) -> None:
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - counted and reported; one failure must not stop 100k tickets
        errors[f"{kind}: {type(exc).__name__}"] += 1


def run(scale) -> dict:
    total, cohorts = Counter(), range(0, scale.sim_tickets, scale.sim_shard)
    outcome: dict = defaultdict(Counter)
    errors: Counter = Counter()
    wall = time.perf_counter()
    for first in cohorts:
        count = min(scale.sim_shard, scale.sim_tickets - first)
        result = run_cohort(SEED + first, count, prefix=f"f{first}-")
        total.update({k: result[k] for k in ("webhooks", "timers", "generate_s", "handle_s",
                                             "webhook_cpu_s", "timer_cpu_s")})
        errors.update(result["errors"])
        for profile, tally in result["outcomes"].items():
            outcome[profile].update(tally)
        done = first + count
        if done % 10_000 == 0 or done == scale.sim_tickets:
            events = total["webhooks"] + total["timers"]
            progress(f"(f) {done:,}/{scale.sim_tickets:,} tickets, {events:,} events, "
                     f"{events / total['handle_s']:.0f} events/s CPU, {time.perf_counter() - wall:.0f} s")
    return {"tickets": scale.sim_tickets, "cohort": scale.sim_shard, **total,
            "wall_s": time.perf_counter() - wall, "errors": dict(errors),
            "events_per_s": (total["webhooks"] + total["timers"]) / total["handle_s"],
            "webhook_cpu_ms": 1000 * total["webhook_cpu_s"] / max(1, total["webhooks"]),
            "timer_cpu_ms": 1000 * total["timer_cpu_s"] / max(1, total["timers"]),
            "outcomes": {p: dict(t) for p, t in outcome.items()}}

