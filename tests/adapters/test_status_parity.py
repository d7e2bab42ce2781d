"""What sellers read from the status API is the same on DynamoDB (moto) as in memory, after
the same life cycles: catches a store that drops or misreads a field (message_count once)."""
from __future__ import annotations

from datetime import timedelta

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.adapters.kms_vault import FakeVault
from chalicelib.adapters.memory import InMemoryTicketStore
from chalicelib.adapters.memory_timers import InMemoryTimers
from chalicelib.api import schemas
from chalicelib.api.webhooks import parse_event
from chalicelib.domain.events import TimerFired
from chalicelib.domain.model import Seller
from chalicelib.services.clock import FixedClock
from chalicelib.services.ports import TicketQuery
from chalicelib.settings import Settings
from soak.envs import tenants
from soak.stories import generate
from tests.streams import settle_for
from tests.builders import T0

from .conftest import TABLE

EVENTS = generate(unique_events=160, seed=11, start=T0)


def lived(store):
    """The workload in sent order, due timers fired before each delivery, as the Scheduler would."""
    clock, timers = FixedClock(T0), InMemoryTimers()
    services = bootstrap.build(settings=Settings(), store=store, tenants=tenants(), scheduler=timers,
                               clock=clock, vault=FakeVault())
    settle = settle_for(services, TABLE)
    for event in EVENTS:
        clock.set(event.sent_at + timedelta(seconds=1))
        settle()
        for due in timers.due(clock.now()):
            services.timers.fire(TimerFired(due.subject_id, due.kind, due.version, due.due_at))
            timers.remove(due.subject_id, due.kind)
        wire = parse_event(event.body)
        services.ingest.process(services.ingest.marketplace(event.marketplace), event.webhook_id,
                                event.body, wire.type, schemas.to_domain(wire, event.marketplace))
    settle()
    return services, clock.now()


def views(services, now) -> dict:
    status, seen = services.status, {}
    for seller in (Seller("acme"), Seller("jetty")):
        listed, cursor = [], None
        while True:  # small pages: the cursors are exercised too
            page = status.tickets(TicketQuery(seller_id=seller.seller_id, limit=7, cursor=cursor))
            listed += page["items"]
            if not (cursor := page["next_cursor"]):
                break
        customers = sorted({t["customer_id"] for t in listed})
        seen[seller.seller_id] = {
            "list": listed, "open": status.tickets(TicketQuery(seller_id=seller.seller_id,
                                                               status="open", limit=200))["items"],
            "details": [status.ticket(seller, t["id"]) for t in listed],
            "sla": status.sla_report(seller, None, None),
            "entitlements": [status.entitlements(seller, c, None, now) for c in customers]}
    return seen


def test_the_status_api_reads_the_same_from_both_stores(dynamodb):
    memory = views(*lived(InMemoryTicketStore()))
    dynamo = views(*lived(DynamoTicketStore(dynamodb, TABLE)))
    assert len(memory["acme"]["list"]) > 20 and memory["jetty"]["entitlements"]
    for seller in memory:
        for view in memory[seller]:
            assert dynamo[seller][view] == memory[seller][view], f"{seller} {view}"
