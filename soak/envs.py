"""Wirings the soak drives: the app's services over in-memory adapters (optionally faulty).

An env gives the runner the services, a way to fire due schedules the way EventBridge
Scheduler does (then delete them: `ActionAfterCompletion: DELETE`), and clean readers
(no injected faults) for the final comparison. `soak.aws.MotoEnv` is the DynamoDB twin.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from chalicelib import bootstrap
from chalicelib.adapters.kms_vault import FakeVault
from chalicelib.adapters.memory import InMemoryTenants, InMemoryTicketStore
from chalicelib.adapters.memory_timers import InMemoryTimers
from chalicelib.domain.errors import DependencyError
from chalicelib.domain.events import TimerFired
from chalicelib.domain.model import Marketplace, Seller
from chalicelib.services.subjects import load_subject
from chalicelib.services.clock import FixedClock
from chalicelib.services.ports import TicketQuery
from chalicelib.settings import Settings

from .faults import FaultPlan, FaultyStore, FaultyTimers, FaultyVault

SECRET = "whsec_c29hay1ub3QtdXNlZC1zaWduYXR1cmVzLWFyZS1za2lwcGVk"
FIRE_ATTEMPTS = 3  # the Scheduler retries a failed invocation; later rounds try again
STREAM_LOSS = 0.5  # of the fault rate: a timer record that never reaches the consumer (past the
                   # stream's 24 h retention, or parked in its failure queue)


def tenants() -> InMemoryTenants:
    """tests/fakes.py's two marketplaces, plus crmjetty as tests/service/test_money.py adds it."""
    directory = InMemoryTenants()
    for name, policy in (("cmsmart", "cmsmart"), ("prestashop", "prestashop-business-care"),
                         ("crmjetty", "crmjetty")):
        directory.add_marketplace(Marketplace(name=name, policy=policy, secrets=(SECRET,)))
    for seller in ("acme", "jetty"):
        directory.add_seller(Seller(seller))
    return directory


class BaseEnv:
    """What every env shares: the applied-change log, timer bookkeeping and counters."""

    def __init__(self, plan: FaultPlan, start: datetime):
        self.plan, self.clock = plan, FixedClock(start)
        self.applied: list[tuple] = []  # (marketplace, webhook_id, recorded_at, changed, response)
        self.fired: dict[str, TimerFired] = {}  # timer delivery id -> the firing, for replays
        self.counts = {"timer_firings": 0, "timer_retries": 0, "reconciler_failures": 0,
                       "repaired": 0, "stale_firings": 0}
        self.off_schedule: dict[str, set] = {"missing": set(), "orphan": set()}
        self.timed: set[str] = set()  # subjects committed since the last audit or wanting timers
        self.two_open: set[str] = set()  # cmsmart customers seen with two open tickets (CMS-4)

    def record(self, change) -> None:
        d = change.delivery
        self.timed |= {w.ticket.id for w in change.tickets} | {w.order.subject_id for w in change.orders}
        self.applied.append((d.marketplace, d.webhook_id, change.recorded_at,
                             bool(change.tickets or change.orders), change.response))

    def reaches_consumer(self) -> bool:
        """False for a stream record the consumer never gets: the reconciler must repair it."""
        lost = self.plan.enabled and self.plan.rng.random() < self.plan.rate * STREAM_LOSS
        if lost:
            self.plan.count("stream record lost before the consumer (past retention)")
        return not lost

    def fire(self, fired: TimerFired):
        self.fired[f"{fired.subject_id}:{fired.kind}:{fired.version}"] = fired
        outcome = self.services.timers.fire(fired)
        self.counts["stale_firings"] += (not outcome.duplicate
                                         and outcome.response.get("note") == "stale timer: nothing to do")
        return outcome

    def audit(self) -> None:
        """After a reconciler pass, a subject without the cue must have exactly its schedules."""
        cued = set(self.store.unsynced_subjects(100_000))
        scheduled: dict[str, set] = {}
        for r in self.pending():
            scheduled.setdefault(r.subject_id, set()).add((r.subject_id, r.kind, r.version, r.due_at))
        for subject in sorted(set(scheduled) | self.timed):
            item = load_subject(self.store, subject)
            wanted = {(subject, t.kind, t.version, t.due_at) for t in (item.timers if item else ())}
            if subject not in cued:
                self.off_schedule["missing"] |= wanted - scheduled.get(subject, set())
                self.off_schedule["orphan"] |= scheduled.get(subject, set()) - wanted
            if not wanted:
                self.timed.discard(subject)
            else:
                self.timed.add(subject)
        self._one_open_ticket_per_customer()

    def _one_open_ticket_per_customer(self) -> None:
        """CMS-4/CMS-8: between deliveries a cmsmart customer never has two open tickets."""
        open_tickets, cursor = Counter(), None
        while True:
            page = self.store.list_tickets(TicketQuery(seller_id="acme", status="open", limit=1000,
                                                       cursor=cursor))
            open_tickets.update(t.customer_id for t in page.items if t.marketplace == "cmsmart")
            if not (cursor := page.next_cursor):
                break
        self.two_open |= {customer for customer, n in open_tickets.items() if n > 1}

    def reconcile(self) -> None:
        try:
            result = self.services.timer_sync.reconcile(limit=200)
            self.counts["repaired"] += result["repaired"]
        except DependencyError:
            self.counts["reconciler_failures"] += 1


class MemoryEnv(BaseEnv):
    def __init__(self, plan: FaultPlan, start: datetime):
        super().__init__(plan, start)
        self.store = InMemoryTicketStore()
        self.schedules = InMemoryTimers()
        self.services = bootstrap.build(
            settings=Settings(), store=FaultyStore(self.store, plan, self.record), tenants=tenants(),
            scheduler=FaultyTimers(self.schedules, plan), clock=self.clock,
            vault=FaultyVault(FakeVault(), plan))
        self.services.ingest.handlers.sleep = lambda seconds: None
        self.store.stream_to(self._consume)

    def _consume(self, records) -> None:
        """The stream as it commits; the consumer's own Scheduler calls fail by the plan."""
        if self.reaches_consumer():
            self.services.timer_sync.consume(records)

    def fire_due(self, now: datetime) -> None:
        """Like the local pump: passes until quiet; a failed firing keeps its schedule."""
        seen: set = set()
        while due := [r for r in self.schedules.due(now) if r not in seen]:
            for request in due:
                seen.add(request)
                for _ in range(FIRE_ATTEMPTS):
                    try:
                        self.fire(TimerFired(request.subject_id, request.kind, request.version,
                                             request.due_at))
                    except DependencyError:
                        self.counts["timer_retries"] += 1
                        continue
                    self.counts["timer_firings"] += 1
                    if request in self.schedules.pending(request.subject_id):
                        self.schedules.remove(request.subject_id, request.kind)
                    break

    def pending(self) -> list:
        return self.schedules.pending()

    def close(self) -> None:
        pass
