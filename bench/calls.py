"""(a) DynamoDB and Scheduler calls per event type, on moto, counted with botocore hooks.

The same life cycles as the simulator, `scale.calls_tickets` per profile, delivered in time
order through `services.ingest` (DynamoDB, EventBridge Scheduler and KMS on moto). Due
schedules fire through `services.timers.fire` at their due time, read from a shadow of the
Create/Update/DeleteSchedule requests; firing and the ActionAfterCompletion delete are the
Scheduler's work and are not counted, only what the timer Lambda itself calls. After each
delivery or firing the table's stream is read and handed to the notifier, as Lambda would: its
calls (the schedule sync and the cue's clearing) are counted apart, off the webhook path.
"""
from __future__ import annotations

import heapq
import json
import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

from chalicelib.domain.events import TimerFired
from chalicelib.domain.model import ticket_id_for
from chalicelib.services.subjects import OrderRef, subject_of
from tests.builders import T0
from tests.streams import settle_for

from . import SEED, progress, workload
from .wiring import GROUP, TABLE, deliver, moto_stack, warm_tenants

TARGET_RT = 2
AFTER = ("ddb", "sched", "wru", "gsi")  # the stream consumer's share


class ScheduleShadow:
    """name -> (fire time, input) as the code last wrote it; a heap says what is due next."""

    def __init__(self, client):
        self.live: dict[str, tuple[datetime, str]] = {}
        self.heap: list = []
        client.meta.events.register("before-parameter-build.scheduler.*", self._seen)

    def _seen(self, params, model, **_) -> None:
        if model.name in ("CreateSchedule", "UpdateSchedule"):
            at = datetime.fromisoformat(params["ScheduleExpression"][3:-1]).replace(tzinfo=timezone.utc)
            self.live[params["Name"]] = entry = (at, params["Target"]["Input"])
            heapq.heappush(self.heap, (*entry, params["Name"]))
        elif model.name == "DeleteSchedule":
            self.live.pop(params["Name"], None)

    def pop_due(self, until: datetime):
        while self.heap and self.heap[0][0] <= until:
            at, payload, name = heapq.heappop(self.heap)
            if self.live.get(name) == (at, payload):
                yield name, (at, payload)


def run(scale) -> dict:
    steps = workload.timeline(SEED, scale.calls_tickets, T0, timedelta(days=14), prefix="a",
                              per_profile=True)
    profile_of = {ticket_id_for(s.marketplace, s.event["data"]["thread_id"]): s.marketplace
                  for s in steps if "thread_id" in s.event["data"]}
    tallies: dict[tuple[str, str], list[dict]] = defaultdict(list)
    with moto_stack(steps[0].at) as stack:
        services, meter = stack.services, stack.meter
        shadow = ScheduleShadow(stack.scheduler)
        meter.on = False
        warm_tenants(services, {s.event["data"].get("seller_id") for s in steps} - {None})
        settle = settle_for(services, TABLE)

        def metered(action) -> dict:
            meter.reset()
            meter.on = True
            try:
                action()
            finally:
                meter.on = False
            return _tally(meter)

        def measured(kind: str, marketplace: str, action) -> None:
            path, after = metered(action), metered(settle)
            tallies[(kind, marketplace)].append(
                {**path, **{f"after_{k}": after[k] for k in AFTER},
                 "written": Counter(path["written"]) + Counter(after["written"]),
                 "by_item": Counter(path["by_item"]) + Counter(after["by_item"])})

        def fire_due(until: datetime) -> None:
            for name, entry in shadow.pop_due(until):
                payload = json.loads(entry[1])
                fired = TimerFired(payload["subject_id"], payload["kind"], payload["version"],
                                   datetime.fromisoformat(payload["due_at"]))
                services.clock.set(max(services.clock.now(), fired.due_at))
                subject = subject_of(fired.subject_id)
                marketplace = (subject.marketplace if isinstance(subject, OrderRef)
                               else profile_of[fired.subject_id])
                kind = "duplicate_refund" if fired.kind.startswith("duplicate_refund") else fired.kind
                measured(f"timer {kind}", marketplace, lambda: services.timers.fire(fired))
                if shadow.live.get(name) == entry:
                    stack.scheduler.delete_schedule(Name=name, GroupName=GROUP)  # AfterCompletion

        for index, step in enumerate(steps):
            fire_due(step.at)
            services.clock.set(step.at)
            measured(step.kind, step.marketplace,
                     lambda: deliver(services, step.marketplace, step.event, f"wh-a-{step.seq}"))
            if index % 250 == 0:
                progress(f"(a) {index}/{len(steps)} webhooks on moto")
        fire_due(steps[-1].at + timedelta(days=45))
    return summarise(tallies)


def _tally(meter) -> dict:
    ddb = {op: n for (service, op), n in meter.calls.items() if service == "dynamodb"}
    return {"ddb": sum(ddb.values()), "ops": ddb, "wru": meter.wru, "rru": meter.rru, "gsi": meter.gsi_wru,
            "sched": sum(n for (s, _), n in meter.calls.items() if s == "scheduler"),
            "kms": sum(n for (s, _), n in meter.calls.items() if s == "kms"),
            "written": dict(meter.written), "by_item": dict(meter.by_item)}


def summarise(tallies: dict) -> dict:
    rows = []
    for (kind, marketplace), found in sorted(tallies.items(), key=lambda kv: (_order(kv[0][0]), kv[0][1])):
        patterns = Counter("+".join(f"{op}" + (f"×{n}" if n > 1 else "") for op, n in sorted(t["ops"].items()))
                           for t in found)
        rows.append({"kind": kind, "marketplace": marketplace, "profile": workload.PROFILES[marketplace],
                     "n": len(found), **{f"{k}_{f}": fn([t[k] for t in found])
                                         for k in ("ddb", "sched", "kms", "wru", "gsi", "rru",
                                                   *(f"after_{a}" for a in AFTER))
                                         for f, fn in (("mean", statistics.fmean), ("max", max))},
                     "pattern": patterns.most_common(1)[0][0] or "—",
                     "ops_mean": {op: sum(t["ops"].get(op, 0) for t in found) / len(found)
                                  for op in sorted({op for t in found for op in t["ops"]})},
                     "within_target": sum(t["ddb"] <= TARGET_RT for t in found)})
    return {"rows": rows, "webhooks": sum(r["n"] for r in rows if not r["kind"].startswith("timer")),
            "timers": sum(r["n"] for r in rows if r["kind"].startswith("timer")),
            **{key: dict(sum((Counter(t[key]) for f in tallies.values() for t in f), Counter()))
               for key in ("written", "by_item")}}


def _order(kind: str) -> int:
    kinds = [workload.FIRST, workload.FOLLOW_UP, workload.SELLER, "thread.closed",
             "payment.updated", "refund.requested", "refund.completed"]
    return kinds.index(kind) if kind in kinds else len(kinds)


def render(result: dict) -> str:
    lines = ["| event | profile | n | DynamoDB round trips mean / max | usual calls | Scheduler calls mean / max "
             "| KMS mean | WRU mean (+ GSI) | RRU mean | stream consumer: DynamoDB / Scheduler calls mean "
             "| stream consumer WRU mean (+ GSI) |", "|---|---|--:|--:|---|--:|--:|--:|--:|--:|--:|"]
    for r in result["rows"]:
        lines.append(f"| {r['kind']} | {r['profile']} | {r['n']} | {r['ddb_mean']:.2f} / {r['ddb_max']} "
                     f"| {r['pattern']} | {r['sched_mean']:.2f} / {r['sched_max']} | {r['kms_mean']:.2f} "
                     f"| {r['wru_mean']:.1f} (+{r['gsi_mean']:.1f}) | {r['rru_mean']:.1f} "
                     f"| {r['after_ddb_mean']:.2f} / {r['after_sched_mean']:.2f} "
                     f"| {r['after_wru_mean']:.1f} (+{r['after_gsi_mean']:.1f}) |")
    lines += ["", f"**Target ≤ {TARGET_RT} DynamoDB round trips per message.created**, by profile:", "",
              "| profile | message.created | mean round trips | within target | first messages within target |",
              "|---|--:|--:|--:|--:|"]
    for profile in workload.PROFILES.values():
        rows = [r for r in result["rows"] if r["profile"] == profile and r["kind"].startswith("message.created")]
        n, first = sum(r["n"] for r in rows), [r for r in rows if r["kind"] == workload.FIRST]
        mean = sum(r["ddb_mean"] * r["n"] for r in rows) / n
        within = sum(r["within_target"] for r in rows)
        lines.append(f"| {profile} | {n} | {mean:.2f} | {within}/{n} ({within / n:.0%}) "
                     f"| {sum(r['within_target'] for r in first)}/{sum(r['n'] for r in first)} |")
    return "\n".join(lines)
