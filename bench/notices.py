"""Outbound notices, measured: delivery latency after commit on the local stack, outbox WRU
per webhook on the bench workload, and the modeled cost of the notifier and deliveries.

    python -m bench.notices            (also run by `make soak`, which writes the section)
"""
from __future__ import annotations

import math
import statistics
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from chalicelib import bootstrap
from chalicelib.adapters.dynamo import keys
from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.adapters.kms_vault import FakeVault
from chalicelib.adapters.memory import InMemoryTenants, InMemoryTicketStore
from chalicelib.adapters.memory_timers import InMemoryTimers
from chalicelib.domain.events import TimerFired
from chalicelib.services.clock import FixedClock
from chalicelib.settings import Settings

from . import workload
from .cost import PRICE
from .meter import item_size
from .wiring import deliver, marketplaces

SEED, T0 = 14, datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
M = 1e6


class OutboxMeter:
    """A ticket store that counts what the outbox adds to each committed transaction."""

    def __init__(self, inner):
        self._inner = inner
        self.changes = self.with_notices = self.notices = 0
        self.wru = 0
        self.types: Counter = Counter()

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def commit(self, change) -> None:
        self._inner.commit(change)
        self.changes += 1
        items = DynamoTicketStore._outbox(change)
        if items:
            self.with_notices += 1
            self.notices += len(change.notices)
            self.types.update(n.type.value for n in change.notices)
            # inside TransactWriteItems: 2 WRU per started KB of each item
            self.wru += sum(2 * max(1, math.ceil(item_size(keys.to_attrs(i)) / 1024)) for i in items)


def outbox_wru(tickets: int = 300) -> dict:
    tenants = InMemoryTenants()
    for marketplace in marketplaces():
        tenants.add_marketplace(marketplace)
    meter = OutboxMeter(InMemoryTicketStore())
    clock, timers = FixedClock(T0), InMemoryTimers()
    services = bootstrap.build(settings=Settings(), store=meter, tenants=tenants, scheduler=timers,
                               clock=clock, vault=FakeVault())
    steps = workload.timeline(SEED, tickets, T0, timedelta(days=14), prefix="n")
    fired = 0

    def fire_until(until: datetime) -> int:
        count = 0
        while due := timers.due(until):
            for request in due:
                timers.remove(request.subject_id, request.kind)
                clock.set(max(clock.now(), request.due_at))
                services.timers.fire(TimerFired(request.subject_id, request.kind,
                                                request.version, request.due_at))
                count += 1
        return count

    for n, step in enumerate(steps):
        fired += fire_until(step.at)
        clock.set(max(clock.now(), step.at))
        deliver(services, step.marketplace, step.event, f"bench-n-{n}")
    fired += fire_until(steps[-1].at + timedelta(days=45))
    return {"webhooks": len(steps), "timer_firings": fired, "changes": meter.changes,
            "with_notices": meter.with_notices, "notices": meter.notices, "types": dict(meter.types),
            "outbox_wru": meter.wru, "wru_per_webhook": meter.wru / len(steps)}


def latency(samples: int = 200) -> dict:
    """Commit -> arrival at a receiver, on the local stack (moto stream, real HTTP)."""
    import tempfile
    from pathlib import Path

    from chalicelib.domain.notices import Notice, NoticeType
    from tests.e2e.notices_stack import notice_stack, wait_until

    found = []
    with tempfile.TemporaryDirectory() as tmp, notice_stack(Path(tmp)) as stack:
        received = stack.marketplace.received
        for n in range(samples):
            committed = time.time()
            stack.commit_notices(f"bench-latency-{n}-{committed}", Notice(
                NoticeType.ACTION_REQUESTED, "cmsmart", "acme-modules", f"tk-lat-{n}",
                {"action": {"type": "close_thread"}, "n": n}))
            done = time.time()
            arrival = wait_until(lambda: [a for a in received if a.body and a.body["data"].get("n") == n],
                                 seconds=30, step=0.005)[0]
            found.append((arrival.at - done) * 1000)
            time.sleep(0.02)
    found.sort()
    q = lambda p: found[min(len(found) - 1, int(p * len(found)))]  # noqa: E731
    return {"samples": samples, "p50": q(0.5), "p95": q(0.95), "p99": q(0.99), "max": found[-1],
            "mean": statistics.fmean(found)}


# Per notice and endpoint, what the notifier does on the happy path (read from services/dispatch.py):
# writes: notice (1 + GSI1 1), dispatch create (1), lane append (1), dispatch delivered (1), lane pop (1)
# reads (consistent, 1 RRU each): dispatch x2, lane x3, endpoint, notice; plus endpoints_of per owner
WRITES_PER_NOTICE, WRITES_PER_DELIVERY = 2, 4
READS_PER_DELIVERY, ENDPOINT_QUERIES = 7, 2
DELIVERY_MS, OP_MS, NOTIFIER_GB = 150, 5, 0.25  # assumed: a receiver's answer, a DynamoDB call
FAILED_SHARE = 0.05  # assumed share of attempts that fail and wait on a Scheduler retry


def cost(wru: dict, endpoints_per_notice: float = 1.5) -> dict:
    per_hook = wru["notices"] / wru["webhooks"]
    deliveries = per_hook * endpoints_per_notice
    records = wru["with_notices"] / wru["webhooks"]
    q = {"outbox_wru": wru["wru_per_webhook"],
         "notifier_wru": per_hook * WRITES_PER_NOTICE + deliveries * WRITES_PER_DELIVERY,
         "notifier_rru": deliveries * READS_PER_DELIVERY + per_hook * ENDPOINT_QUERIES * 0.5,
         "lambda_req": records + deliveries * FAILED_SHARE,
         "gb_s": NOTIFIER_GB * deliveries * (DELIVERY_MS + OP_MS * 11) / 1000,
         "sched": deliveries * FAILED_SHARE}
    prices = {"outbox_wru": PRICE["wru"], "notifier_wru": PRICE["wru"], "notifier_rru": PRICE["rru"],
              "lambda_req": PRICE["lambda_req"], "gb_s": PRICE["gb_s"], "sched": PRICE["sched"]}
    dollars = {k: q[k] * prices[k] * M for k in q}
    return {"q": q, "cost": dollars, "total": sum(dollars.values()), "per_hook": per_hook,
            "deliveries": deliveries, "records": records}


if __name__ == "__main__":
    import json
    w = outbox_wru()
    print(json.dumps(w, indent=1))
    print(json.dumps(cost(w), indent=1))
    print(json.dumps(latency(50), indent=1))
