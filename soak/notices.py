"""`python -m soak.notices`: the outbound-notice soak, and the notices section of BENCHMARKS.md.

In-memory stores and Scheduler on a simulated clock, real HTTP to three real receivers that
verify every signature (standardwebhooks). Faults: the marketplace's receiver and one seller
receiver answer 503 for two days of clock time; on ~10 % of the other attempts a receiver
answers 500, is too slow for the sender's timeout, or is slow but answers; the consumer
crashes mid-batch (the outbound store fails on ~1 % of its writes, so a stream record fails
half-processed and is replayed) and so do retry timers. At the end the seller resends what
exhausted its retries (the polling / resend path). Counted: notices lost (never delivered to an
endpoint that should have had them), delivered out of ticket order, and duplicates under a
different webhook-id; goals 0.
"""
from __future__ import annotations

import argparse
import logging
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from datetime import datetime, timedelta, timezone

from chalicelib import bootstrap
from chalicelib.adapters.http_sender import HttpSender
from chalicelib.adapters.kms_vault import FakeVault
from chalicelib.adapters.memory import InMemoryTenants, InMemoryTicketStore
from chalicelib.adapters.memory_outbound import InMemoryOutboundStore
from chalicelib.adapters.memory_timers import InMemoryTimers
from chalicelib.adapters.url_guard import UrlGuard
from chalicelib.domain.errors import DependencyError
from chalicelib.domain.events import Delivery, TimerFired
from chalicelib.domain.model import Marketplace, Seller
from chalicelib.domain.notices import Notice, NoticeType
from chalicelib.domain.outbound import DispatchState
from chalicelib.local.receiver import Receiver
from chalicelib.services.clock import FixedClock
from chalicelib.services.notifier import OutboxRecord
from chalicelib.services.ports import Change
from chalicelib.settings import Settings



START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
DOWN = (timedelta(days=1), timedelta(days=3))  # receivers answer 503 in this window
STEP = timedelta(seconds=30)
SENDER_TIMEOUT = 0.3
KINDS = (NoticeType.TICKET_OPENED, NoticeType.SLA_REMINDER, NoticeType.TICKET_CLOSED)


class FlakyOutbound:
    """The outbound store, failing on a share of its writes: a consumer crash mid-record."""

    def __init__(self, inner: InMemoryOutboundStore, rng: random.Random, rate: float):
        self._inner, self._rng, self.rate, self.failures = inner, rng, rate, 0

    def __getattr__(self, name):
        attribute = getattr(self._inner, name)
        if not name.startswith("put_") or name == "put_endpoint":
            return attribute

        def flaky(*args, **kwargs):
            if self._rng.random() < self.rate:
                self.failures += 1
                raise DependencyError("outbound store write failed (injected)")
            return attribute(*args, **kwargs)
        return flaky


@dataclass
class Faults:
    clock: FixedClock
    rng: random.Random
    down: bool
    counts: dict = field(default_factory=lambda: defaultdict(int))

    def decide(self, webhook_id: str, payload) -> int:
        elapsed = self.clock.now() - START
        if self.down and DOWN[0] <= elapsed < DOWN[1]:
            self.counts["down"] += 1
            return 503
        roll = self.rng.random()
        if roll < 0.035:
            self.counts["5xx"] += 1
            return 500
        if roll < 0.07:
            self.counts["timeout"] += 1
            time.sleep(SENDER_TIMEOUT + 0.15)
            return 200  # too late: the sender gave up, it will retry under the same id
        if roll < 0.10:
            self.counts["slow"] += 1
            time.sleep(SENDER_TIMEOUT / 3)
        return 200


def wiring(rng: random.Random):
    tenants = InMemoryTenants()
    tenants.add_marketplace(Marketplace("cmsmart", "cmsmart", ("whsec_c29ha3Rlc3Qtc2VjcmV0",)))
    tenants.add_seller(Seller("acme"))
    clock = FixedClock(START)
    outbound = FlakyOutbound(InMemoryOutboundStore(), rng, 0.0)
    guard = UrlGuard(allow_local=True)
    services = bootstrap.build(settings=Settings(), store=InMemoryTicketStore(), tenants=tenants,
                               scheduler=InMemoryTimers(), clock=clock, vault=FakeVault(),
                               outbound_store=outbound, url_guard=guard,
                               sender=HttpSender(guard, timeout=SENDER_TIMEOUT))
    services.outbound.dispatcher.rng = random.Random(rng.random())
    return services, outbound, clock


def workload(rng: random.Random, tickets: int) -> list[tuple[timedelta, str, int, list[Notice]]]:
    """Per ticket three changes at random times over four days, in order; the last also asks
    the marketplace to close the thread."""
    changes = []
    for t in range(tickets):
        ticket = f"tk-{t:05d}"
        at = sorted(timedelta(seconds=rng.uniform(0, 4 * 86400)) for _ in KINDS)
        for k, (kind, when) in enumerate(zip(KINDS, at)):
            notices = [Notice(kind, "cmsmart", "acme", ticket, {"ticket_id": ticket, "k": k})]
            if k == 2:
                notices.append(Notice(NoticeType.ACTION_REQUESTED, "cmsmart", "acme", ticket,
                                      {"ticket_id": ticket, "k": 3, "action": {"type": "close_thread"}}))
            changes.append((when, ticket, k, notices))
    return sorted(changes, key=lambda c: c[0])


def run(tickets: int = 300, seed: int = 7) -> dict:
    rng = random.Random(seed)
    services, outbound, clock = wiring(rng)
    faults = {name: Faults(clock, random.Random(rng.random()), down)
              for name, down in (("marketplace", True), ("seller-1", True), ("seller-2", False))}
    receivers = {name: Receiver(secrets=[], decide=f.decide) for name, f in faults.items()}
    ports = {name: r.start() for name, r in receivers.items()}
    endpoints = services.outbound.endpoints
    mp_secret = "whsec_" + "c29hay1tYXJrZXRwbGFjZS1lbmRwb2ludA=="
    receivers["marketplace"].secrets.append(mp_secret)
    by_endpoint = {endpoints.put_marketplace_endpoint(
        "cmsmart", f"http://127.0.0.1:{ports['marketplace']}/m", mp_secret).id: "marketplace"}
    for name in ("seller-1", "seller-2"):
        endpoint, secret = endpoints.register("acme", f"http://127.0.0.1:{ports[name]}/{name}")
        receivers[name].secrets.append(secret)
        by_endpoint[endpoint.id] = name
    outbound.rate = 0.01
    started = time.perf_counter()
    stats = simulate(services, outbound, clock, workload(rng, tickets), rng)
    outbound.rate = 0.0
    recovered = recover(services)
    for receiver in receivers.values():
        receiver.stop()
    stats.update(recovered)
    stats.update(check(services, receivers, by_endpoint, stats.pop("resend_from")))
    stats["fault_counts"] = {n: dict(f.counts) for n, f in faults.items()}
    stats["seconds"] = round(time.perf_counter() - started, 1)
    stats["sender_timeout"] = SENDER_TIMEOUT
    return stats


def simulate(services, outbound, clock, changes, rng) -> dict:
    position, crashes, timer_crashes, committed = 0, 0, 0, 0
    end = START + timedelta(days=6)
    pending = list(changes)
    while clock.now() < end:
        now = clock.now()
        while pending and START + pending[0][0] <= now:
            _, ticket, k, notices = pending.pop(0)
            services.store.commit(Change(Delivery("cmsmart", f"{ticket}:{k}", "h", "soak"), {},
                                         now, notices=tuple(notices)))
            committed += len(notices)
        batches = services.store.outbox_after(position)
        records = [OutboxRecord(str(position + i), f"ev{position + i}", tuple(b))
                   for i, b in enumerate(batches)]
        for start in range(0, len(records), 10):  # batches of 10, as the event source mapping
            failed = services.outbound.consumer.consume(records[start:start + 10])
            if failed:
                crashes += 1
                position = int(failed[0])  # Lambda restarts the batch at the failed record
                break
            position += len(records[start:start + 10])
        timer_crashes += fire_retries(services)
        clock.advance(STEP)
    return {"notices_committed": committed, "consumer_crashes": crashes,
            "retry_timer_crashes": timer_crashes, "resend_from": clock.now()}


def fire_retries(services) -> int:
    crashes = 0
    for request in services.scheduler.due(services.clock.now()):
        services.scheduler.remove(request.subject_id, request.kind)
        try:
            services.timers.fire(TimerFired(request.subject_id, request.kind, request.version,
                                            request.due_at))
        except DependencyError:
            crashes += 1
            services.scheduler.sync(request.subject_id, [request], [])  # Scheduler retries it
    return crashes


def recover(services) -> dict:
    """The seller's fallback (after polling): every delivery that exhausted its retries is
    resent, again if the receiver fails it, up to five times."""
    store = services.outbound.store
    resent = 0
    for notice in list(store._inner.notices.values()):
        for dispatch in store.dispatches_of(notice.id):
            if dispatch.state is DispatchState.EXHAUSTED:
                endpoint = store.load_endpoint(dispatch.endpoint_id)
                resent += 1
                for _ in range(5):  # the seller tries again until its receiver takes it
                    [done] = services.outbound.dispatcher.resend(notice, [endpoint])
                    if done.attempts and done.attempts[-1].ok:
                        break
    return {"resent_after_exhaustion": resent}


def check(services, receivers, by_endpoint, resend_from) -> dict:
    store = services.outbound.store._inner
    accepted = {name: {} for name in receivers}  # webhook-id -> first accepted arrival time
    ids_by_payload = {name: defaultdict(set) for name in receivers}
    arrivals = 0
    for name, receiver in receivers.items():
        for a in receiver.received:
            arrivals += 1
            if a.verified and 200 <= a.status < 300:
                accepted[name].setdefault(a.webhook_id, a.at)
            if a.verified:
                data = a.body["data"]
                ids_by_payload[name][(a.body["type"], data.get("ticket_id"), data.get("k"),
                                      data.get("endpoint_id"), data.get("failing_since"))].add(a.webhook_id)
    dispatches = list(store.dispatches.values())
    lost = [d for d in dispatches if d.notice_id not in accepted[by_endpoint[d.endpoint_id]]]
    for d in lost:
        lane = store.lanes.get((d.endpoint_id, d.subject_id))
        print("LOST", by_endpoint[d.endpoint_id], d.notice_id, d.subject_id, d.state, d.attempt_count,
              d.next_at, [(a.status_code, a.error) for a in d.attempts], lane, file=sys.stderr)
    committed = {n.id for batch in services.store.outbox for n in batch}
    unstored = committed - set(store.notices)
    order = out_of_order(store, dispatches, accepted, by_endpoint)
    duplicates = sum(len(ids) - 1 for per in ids_by_payload.values() for ids in per.values())
    same_id = sum(1 for r in receivers.values() for a in r.received if a.verified) - \
        sum(len(a) for a in accepted.values())
    return {"deliveries": len(dispatches), "arrivals": arrivals, "lost": len(lost) + len(unstored),
            "out_of_ticket_order": order, "duplicates_other_id": duplicates,
            "same_id_repeats": same_id, "attempts": sum(len(d.attempts) for d in dispatches),
            "warnings": sum(1 for n in store.notices.values() if n.type.value.startswith("endpoint."))}


def out_of_order(store, dispatches, accepted, by_endpoint) -> int:
    """Per (endpoint, ticket): notices accepted in the push phase must follow commit order,
    unless the earlier one had exhausted its retries (the contract lets the later one go)."""
    lanes = defaultdict(list)
    for d in dispatches:
        notice = store.notices[d.notice_id]
        if "k" in notice.data:
            lanes[(d.endpoint_id, d.subject_id)].append((notice.created_at, notice.id, d))
    bad = 0
    for (endpoint_id, _), items in lanes.items():
        items.sort(key=lambda i: (i[0], i[1]))
        seen = accepted[by_endpoint[endpoint_id]]
        for (_, earlier, d_earlier), (_, later, _) in zip(items, items[1:]):
            exhausted = d_earlier.attempt_count >= 8
            if not exhausted and earlier in seen and later in seen and seen[later] < seen[earlier]:
                bad += 1
    return bad


def measure_and_write(tickets: int, seed: int, benchmarks: Path) -> bool:
    """The soak, the latency on the local stack, outbox WRU and cost: BENCHMARKS.md's section."""
    from bench import notices as bench_notices

    from .notices_report import section, splice
    logging.getLogger("ticketwarden").setLevel(logging.CRITICAL)  # injected crashes log tracebacks
    stats = run(tickets, seed)
    latency = bench_notices.latency(200)
    wru = bench_notices.outbox_wru()
    cost = bench_notices.cost(wru)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = section(stats, latency, wru, cost, f"python -m soak.notices --tickets {tickets} --seed {seed}", when)
    if benchmarks.exists():
        benchmarks.write_text(splice(benchmarks.read_text(encoding="utf-8"), text), encoding="utf-8")
    print(text)
    return stats["lost"] == 0 and stats["out_of_ticket_order"] == 0 and stats["duplicates_other_id"] == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m soak.notices", description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--benchmarks", type=Path, default=Path(__file__).resolve().parents[1] / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    return 0 if measure_and_write(args.tickets, args.seed, args.benchmarks) else 1


if __name__ == "__main__":
    sys.exit(main())
