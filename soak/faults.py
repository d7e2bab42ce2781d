"""Injected faults for the in-memory wiring: wrappers around the store, the Scheduler twin and the vault.

Each call to a dependency fails with probability `rate`; the kind is drawn from the weights.
A commit can fail before it applies (throttling, 5xx, a timeout on the way in) or *after* it
applied (a timeout that lost the answer) - the case idempotency records exist for. The
Scheduler twin fails through `InMemoryTimers.fail_next` (nothing touched) or after applying.
"""
from __future__ import annotations

import random
from collections import Counter
from typing import Callable

from chalicelib.domain.errors import DependencyError

STORE_KINDS = {"throttling": 0.5, "5xx": 0.3, "timeout": 0.2}
SCHEDULER_KINDS = {"throttling": 0.6, "5xx": 0.25, "timeout": 0.15}
READS = ("load_ticket", "load_thread", "load_thread_and_orders", "load_order", "load_order_read",
         "customer_tickets", "orders_for_customer", "list_tickets", "unsynced_subjects",
         "mark_timers_synced")


class FaultPlan:
    """Seeded coin flips, and a tally of what was injected (by dependency and kind)."""

    def __init__(self, rate: float, seed: int, kms_rate: float | None = None):
        self.rate, self.kms_rate = rate, rate if kms_rate is None else kms_rate
        self.rng = random.Random(seed)
        self.injected: Counter = Counter()
        self.enabled = True

    def draw(self, kinds: dict[str, float], rate: float | None = None) -> str | None:
        """None (the call goes through), or the kind of failure to inject."""
        if not self.enabled or self.rng.random() >= (self.rate if rate is None else rate):
            return None
        return self.rng.choices(list(kinds), weights=list(kinds.values()))[0]

    def count(self, label: str) -> None:
        self.injected[label] += 1


class FaultyStore:
    """Any TicketStore; reads and commits fail like DynamoDB under throttling and timeouts."""

    def __init__(self, inner, plan: FaultPlan, on_applied: Callable | None = None):
        self.inner, self.plan, self.on_applied = inner, plan, on_applied

    def __getattr__(self, name):
        attribute = getattr(self.inner, name)
        if name not in READS:
            return attribute

        def call(*args, **kwargs):
            kind = self.plan.draw(STORE_KINDS)
            if kind:
                self.plan.count(f"DynamoDB {kind} ({name})")
                raise DependencyError(f"DynamoDB {name} failed: {kind} (injected)")
            return attribute(*args, **kwargs)
        return call

    def commit(self, change) -> None:
        kind = self.plan.draw(STORE_KINDS)
        lost_answer = kind == "timeout" and self.plan.rng.random() < 0.5
        if kind and not lost_answer:
            self.plan.count(f"DynamoDB {kind} (commit, not applied)")
            raise DependencyError(f"TransactWriteItems failed: {kind} (injected)")
        self.inner.commit(change)
        if self.on_applied:
            self.on_applied(change)
        if lost_answer:
            self.plan.count("DynamoDB timeout (commit applied, answer lost)")
            raise DependencyError("TransactWriteItems timed out after applying (injected)")


class FaultyTimers:
    """InMemoryTimers as the app sees it: sync and pending fail like EventBridge Scheduler."""

    def __init__(self, inner, plan: FaultPlan):
        self.inner, self.plan = inner, plan
        self.schedule_name = inner.schedule_name

    def sync(self, subject_id, wanted, unwanted_kinds) -> None:
        kind = self.plan.draw(SCHEDULER_KINDS)
        if kind == "timeout":
            self.inner.sync(subject_id, list(wanted), list(unwanted_kinds))
            self.plan.count("Scheduler timeout (sync applied, answer lost)")
            raise DependencyError("Scheduler timed out after applying (injected)")
        if kind:
            self.plan.count(f"Scheduler {kind} (sync)")
            self.inner.fail_next(1)
        self.inner.sync(subject_id, wanted, unwanted_kinds)

    def pending(self, subject_id=None):
        kind = self.plan.draw(SCHEDULER_KINDS)
        if kind:
            self.plan.count(f"Scheduler {kind} (list)")
            raise DependencyError(f"Scheduler list failed: {kind} (injected)")
        return self.inner.pending(subject_id)


class FaultyVault:
    """FakeVault behind KMS throttling: `fail` is raised for the calls the plan picks."""

    def __init__(self, inner, plan: FaultPlan):
        self.inner, self.plan = inner, plan

    def seal(self, ticket_id: str, plaintext: str) -> str:
        self.inner.fail = bool(self.plan.draw({"throttling": 1.0}, self.plan.kms_rate))
        if self.inner.fail:
            self.plan.count("KMS throttling (encrypt)")
        try:
            return self.inner.seal(ticket_id, plaintext)
        finally:
            self.inner.fail = False

    def open(self, ticket_id: str, ciphertext: str) -> str:
        return self.inner.open(ticket_id, ciphertext)
