"""One soak: the faulty run, its serial replay, the clean in-order run, and what they show."""
from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from chalicelib.services.timers import TIMER_SOURCE

from . import check
from .envs import MemoryEnv
from .faults import FaultPlan
from .runner import Chaos, Runner, Tally, submit
from .stories import generate
from .workload import Event

START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # a Monday, like tests/builders.T0


@dataclass
class Settings:
    deliveries: int = 10_000
    seed: int = 7
    backend: str = "memory"  # or "moto"
    fault_rate: float = 0.10
    duplicate_share: float = 0.30
    resent_share: float = 0.02
    jitter_seconds: float = 90.0
    round_hours: float = 1.0
    audit_every: int = 1  # rounds between schedule audits (moto: listing schedules is slow)


@dataclass
class Result:
    settings: Settings
    events: int = 0
    tally: Tally = field(default_factory=Tally)
    faults: Counter = field(default_factory=Counter)
    counts: dict = field(default_factory=dict)
    lost: Counter = field(default_factory=Counter)
    doubled: Counter = field(default_factory=Counter)
    missing: int = 0
    orphans: int = 0
    missing_seen: int = 0  # at any audit after a reconciler pass, on a subject without the cue
    orphans_seen: int = 0
    two_open: int = 0  # cmsmart customers seen with two open tickets at an audit (CMS-4)
    reference_problems: int = 0  # missing / orphan schedules and two open tickets in the clean run
    replay_mismatches: int = 0
    unexplained: Counter = field(default_factory=Counter)
    explained: Counter = field(default_factory=Counter)
    pairs: dict = field(default_factory=dict)  # tight pair kind -> (swapped, total)
    groups: int = 0
    reordered_groups: int = 0
    seconds: float = 0.0
    faulty_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (sum(self.lost.values()) or sum(self.doubled.values()) or self.missing or self.orphans
                    or self.missing_seen or self.orphans_seen or self.two_open
                    or self.replay_mismatches or sum(self.unexplained.values()) or self.tally.gave_up
                    or self.tally.errors or self.reference_problems)


def make_env(backend: str, plan: FaultPlan):
    if backend == "moto":
        from .aws import MotoEnv
        return MotoEnv(plan, START)
    return MemoryEnv(plan, START)


def unique_events(settings: Settings) -> int:
    """So that first deliveries + same-id duplicates + re-sent ones add up to `deliveries`."""
    share = 1 - settings.duplicate_share
    return max(30, round(settings.deliveries * share / (1 + settings.resent_share * share)))


def run(settings: Settings) -> Result:
    """The app logs a warning per failed sync and retry: thousands here, expected, silenced."""
    logger = logging.getLogger("ticketwarden")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return _run(settings)
    finally:
        logger.setLevel(level)


def _run(settings: Settings) -> Result:
    began = time.perf_counter()
    result = Result(settings)
    events = generate(unique_events(settings), settings.seed, START)
    result.events = len(events)
    round_ = timedelta(hours=settings.round_hours)
    env = make_env(settings.backend, FaultPlan(settings.fault_rate, settings.seed))
    try:
        chaos = Chaos(settings.seed, settings.jitter_seconds, settings.duplicate_share, settings.resent_share)
        result.tally = Runner(env, events, chaos, round_, settings.audit_every).run()
        result.faulty_seconds = time.perf_counter() - began
        state = check.final_state(env, events)
        result.missing, result.orphans = check.schedules(state, env.pending())
    finally:
        env.close()
    result.faults, result.counts = env.plan.injected, env.counts
    result.missing_seen, result.orphans_seen = map(len, (env.off_schedule["missing"], env.off_schedule["orphan"]))
    result.two_open = len(env.two_open)
    result.lost = check.lost(state, events, result.tally.acknowledged)
    result.doubled = check.doubled(state, env.applied)
    result.pairs = check.swapped_pairs(env, events)

    replayed_env, anomalies = replay(env, events)
    replayed = check.final_state(replayed_env, events)
    result.replay_mismatches = anomalies + sum(state[s] != replayed[s] for s in state)

    reference_env = MemoryEnv(FaultPlan(0.0, settings.seed), START)
    Runner(reference_env, events, Chaos(), round_, settings.audit_every).run()
    reference = check.final_state(reference_env, events)
    result.reference_problems = (sum(check.schedules(reference, reference_env.pending()))
                                 + sum(map(len, reference_env.off_schedule.values())) + len(reference_env.two_open))
    mine, theirs = check.op_orders(env, events), check.op_orders(reference_env, events)
    reordered = {g for g in set(mine) | set(theirs) if mine.get(g) != theirs.get(g)}
    result.groups, result.reordered_groups = len(set(mine) | set(theirs)), len(reordered)
    group_of = {e.subject: e.group for e in events}
    result.unexplained, result.explained = check.compare(state, reference, reordered, group_of)
    result.seconds = time.perf_counter() - began
    return result


def replay(source, events: list[Event]) -> tuple[MemoryEnv, int]:
    """The changes `source` applied, once each, in its order and at its instants, no faults.

    Also returns how many of them did not replay as a first application (0 if all is well)."""
    clean, anomalies, seen = MemoryEnv(FaultPlan(0.0, 0), START), 0, set()
    by_hook = {(e.marketplace, e.webhook_id): e for e in events}
    by_hook.update({(e.marketplace, f"{e.webhook_id}-resent"): e for e in events})
    parsed: dict = {}
    for marketplace, hook, at, _, _ in source.applied:
        if (marketplace, hook) in seen:  # applied twice: counted in `doubled` already
            anomalies += 1
            continue
        seen.add((marketplace, hook))
        clean.clock.set(at)
        if marketplace == TIMER_SOURCE:
            outcome = clean.fire(source.fired[hook])
        else:
            outcome = submit(clean.services, by_hook[(marketplace, hook)], hook, parsed)
        anomalies += outcome.duplicate
    return clean, anomalies
