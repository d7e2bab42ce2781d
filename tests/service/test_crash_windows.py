"""Crash windows: a failure at each step between receiving an event and finishing its bookkeeping.

(a) the commit succeeded, the schedule sync did not (the Scheduler failed, or the stream record
    never reached the consumer): the reconciler repairs it;
(b) a timer's action committed, its bookkeeping did not: firing again changes nothing;
(c) the commit itself failed: a 503 (DependencyError), nothing changed, the retry applies once.
A commit can fail *before* applying (throttling, 5xx) or *after* (a timeout that lost the answer).
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from chalice.test import Client

from chalicelib.api import direct
from chalicelib.api import context
from chalicelib.adapters.memory import InMemoryTicketStore
from chalicelib.domain.errors import DependencyError
from chalicelib.domain.events import TimerFired
from chalicelib.domain.model import Marketplace, Seller, TicketStatus, ticket_id_for
from tests import fakes
from tests.builders import (SECRET, T0, message_event, payment_event, refund_requested_event,
                            signed_headers, thread_closed_event)


class FlakyStore:
    """The in-memory store, whose next commits fail before applying or lose the answer after."""

    def __init__(self) -> None:
        self.inner = InMemoryTicketStore()
        self.failures: list[str] = []  # "before" | "after", consumed one per commit

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def commit(self, change) -> None:
        mode = self.failures.pop(0) if self.failures else None
        if mode == "before":
            raise DependencyError("TransactWriteItems throttled (injected)")
        self.inner.commit(change)
        if mode == "after":
            raise DependencyError("TransactWriteItems timed out after applying (injected)")

    def snapshot(self) -> tuple:
        s = self.inner
        return (dict(s.tickets), dict(s.deliveries), dict(s.slots), dict(s.orders), dict(s.vault),
                dict(s.early_closes))


@pytest.fixture
def wiring():
    services = fakes.build(store=FlakyStore())
    services.tenants.add_marketplace(Marketplace("crmjetty", "crmjetty", (SECRET,)))
    services.tenants.add_seller(Seller("jetty"))
    return services


def deliver(wiring, event: dict, marketplace: str = "cmsmart", webhook_id: str | None = None):
    return direct.deliver(wiring, event, marketplace,
                          webhook_id or f"wh-{event['data'].get('message_id', id(event))}")


def fire(wiring, request):
    return wiring.timers.fire(TimerFired(request.subject_id, request.kind, request.version,
                                         request.due_at))


def crm_payment(payment_id: str, minutes: int = 0, **data) -> dict:
    return payment_event(payment_id=payment_id, order_id="o-9", seller_id="jetty", purchase="one_time",
                         at=T0 + timedelta(minutes=minutes), **data)


def duplicate_paid_order(wiring) -> str:
    """Two successful payments for one order: CRJ-4 wants a duplicate_refund timer for p2."""
    deliver(wiring, crm_payment("p1"), "crmjetty", "wh-p1")
    deliver(wiring, crm_payment("p2", minutes=1), "crmjetty", "wh-p2")
    return wiring.store.load_order("crmjetty", "jetty", "o-9").subject_id


def refunds(outcomes) -> list[dict]:
    """Refund actions the caller is told to carry out: a duplicate repeats the first answer."""
    return [a for o in outcomes if not o.duplicate
            for a in o.response["actions"] if a["type"] == "refund"]


# (a) commit, then the schedule call fails ------------------------------------------------

def test_a_ps_3_ticket_whose_schedule_call_failed_gets_both_sla_timers_from_the_reconciler(wiring):
    wiring.scheduler.fail_next(1)
    ticket = deliver(wiring, message_event(thread_id="ps", tags=["pre_sale"]), "prestashop").response["ticket"]
    assert wiring.scheduler.pending(ticket["id"]) == []
    assert wiring.timer_sync.reconcile() == {"repaired": 1, "failed": 0}
    wanted = wiring.store.load_ticket(ticket["id"]).timers
    assert {(r.kind, r.due_at, r.version) for r in wiring.scheduler.pending(ticket["id"])} == {
        (t.kind, t.due_at, t.version) for t in wanted} and len(wanted) == 2


def test_a_crj_4_refund_timer_whose_sync_failed_is_repaired_and_refunds_once(wiring):
    deliver(wiring, crm_payment("p1"), "crmjetty", "wh-p1")
    wiring.scheduler.fail_next(1)
    deliver(wiring, crm_payment("p2", minutes=1), "crmjetty", "wh-p2")
    subject = wiring.store.load_order("crmjetty", "jetty", "o-9").subject_id
    assert wiring.scheduler.pending(subject) == [] and wiring.store.unsynced_subjects() == [subject]

    assert wiring.timer_sync.reconcile() == {"repaired": 1, "failed": 0}
    [timer] = wiring.scheduler.pending(subject)
    assert (timer.kind, timer.due_at) == ("duplicate_refund:p2", T0 + timedelta(minutes=1, days=3))
    assert refunds([fire(wiring, timer), fire(wiring, timer)]) == [{"type": "refund", "payment_id": "p2"}]
    assert wiring.store.load_order("crmjetty", "jetty", "o-9").refunds_issued == ("p2",)


def test_a_commit_whose_answer_was_lost_is_a_503_then_a_duplicate_and_the_stream_schedules_it(wiring):
    wiring.store.failures = ["after"]
    event = message_event(thread_id="lost-answer")
    with pytest.raises(DependencyError):
        deliver(wiring, event, webhook_id="wh-lost")
    ticket_id = ticket_id_for("cmsmart", "lost-answer")
    assert [r.kind for r in wiring.scheduler.pending(ticket_id)] == ["auto_close"]  # the stream
    again = deliver(wiring, event, webhook_id="wh-lost")
    assert again.duplicate and again.response["ticket"]["status"] == "open"
    assert wiring.store.unsynced_subjects() == []


def test_a_stream_record_that_never_reached_the_consumer_is_scheduled_by_the_reconciler(wiring):
    wiring.store.stream_to(None)
    ticket_id = deliver(wiring, message_event(thread_id="lost-record")).response["ticket"]["id"]
    wiring.store.stream_to(wiring.timer_sync.consume)
    assert wiring.scheduler.pending(ticket_id) == [] and wiring.store.unsynced_subjects() == [ticket_id]
    assert wiring.timer_sync.reconcile() == {"repaired": 1, "failed": 0}
    assert [r.kind for r in wiring.scheduler.pending(ticket_id)] == ["auto_close"]


@pytest.mark.parametrize("window", ["scheduler_failed", "stream_record_lost"])
def test_a_timer_retired_while_its_sync_failed_is_not_left_behind_by_a_later_sync(wiring, window):
    ticket_id = deliver(wiring, message_event(thread_id="t-orphan")).response["ticket"]["id"]
    assert [r.kind for r in wiring.scheduler.pending(ticket_id)] == ["auto_close"]
    close = thread_closed_event(thread_id="t-orphan", at=T0 + timedelta(hours=1))
    if window == "scheduler_failed":
        wiring.scheduler.fail_next(1)
        deliver(wiring, close, webhook_id="wh-close")
    else:
        wiring.store.stream_to(None)
        deliver(wiring, close, webhook_id="wh-close")
        wiring.store.stream_to(wiring.timer_sync.consume)
    # before the reconciler's next pass, a customer writes again (CMS-6: stays closed)
    deliver(wiring, message_event(thread_id="t-orphan", at=T0 + timedelta(hours=1, minutes=1)))
    wiring.timer_sync.reconcile()
    assert wiring.store.load_ticket(ticket_id).timers == ()
    assert wiring.scheduler.pending(ticket_id) == []  # the auto_close schedule is an orphan


# (b) a timer's action committed, its bookkeeping did not -----------------------------------

def test_a_refund_timer_that_crashed_before_its_sync_fires_again_as_a_duplicate(wiring):
    subject = duplicate_paid_order(wiring)
    [timer] = wiring.scheduler.pending(subject)
    wiring.scheduler.fail_next(1)  # the commit went through; deleting the schedule did not
    first = fire(wiring, timer)
    assert wiring.scheduler.pending(subject) == [timer]  # the Scheduler fires it again
    again = fire(wiring, timer)
    assert again.duplicate and again.response == first.response
    assert refunds([first]) == [{"type": "refund", "payment_id": "p2"}]
    assert wiring.store.load_order("crmjetty", "jetty", "o-9").refunds_issued == ("p2",)
    assert wiring.timer_sync.reconcile() == {"repaired": 1, "failed": 0}
    assert wiring.scheduler.pending(subject) == []


def test_a_refund_timer_whose_commit_failed_is_retried_and_applied_once(wiring):
    subject = duplicate_paid_order(wiring)
    [timer] = wiring.scheduler.pending(subject)
    before = wiring.store.snapshot()
    wiring.store.failures = ["before"]
    with pytest.raises(DependencyError):
        fire(wiring, timer)
    assert wiring.store.snapshot() == before
    outcomes = [fire(wiring, timer), fire(wiring, timer)]
    assert [o.duplicate for o in outcomes] == [False, True]
    assert refunds(outcomes[:1]) == [{"type": "refund", "payment_id": "p2"}]
    order = wiring.store.load_order("crmjetty", "jetty", "o-9")
    assert order.refunds_issued == ("p2",)
    assert [d.code for d in order.decisions].count("duplicate_refunded") == 1


def test_a_refund_timer_whose_answer_was_lost_is_answered_from_its_record(wiring):
    subject = duplicate_paid_order(wiring)
    [timer] = wiring.scheduler.pending(subject)
    wiring.store.failures = ["after"]
    with pytest.raises(DependencyError):
        fire(wiring, timer)
    again = fire(wiring, timer)
    assert again.duplicate and again.response["actions"] == [{"type": "refund", "payment_id": "p2"}]
    assert wiring.store.load_order("crmjetty", "jetty", "o-9").refunds_issued == ("p2",)
    wiring.timer_sync.reconcile()
    assert wiring.scheduler.pending(subject) == [] and wiring.store.unsynced_subjects() == []


def test_an_auto_close_that_crashed_before_its_sync_closes_once(wiring):
    ticket_id = deliver(wiring, message_event(thread_id="t-expire")).response["ticket"]["id"]
    [timer] = wiring.scheduler.pending(ticket_id)
    wiring.scheduler.fail_next(1)
    outcomes = [fire(wiring, timer), fire(wiring, timer)]
    assert [o.duplicate for o in outcomes] == [False, True]
    ticket = wiring.store.load_ticket(ticket_id)
    assert (ticket.status, ticket.close_reason) == (TicketStatus.CLOSED, "expired")
    assert [d.rule for d in ticket.decisions] == ["CMS-5"]
    wiring.timer_sync.reconcile()
    assert wiring.scheduler.pending(ticket_id) == [] and wiring.store.unsynced_subjects() == []


# (c) the webhook's commit fails ------------------------------------------------------------

def _opened(wiring):
    deliver(wiring, message_event(thread_id="t-c", message_id="m-open"), webhook_id="wh-open")


CASES = {
    "opening message": (lambda w: None, message_event(thread_id="t-c", message_id="m-new"), "cmsmart"),
    "follow-up": (_opened, message_event(thread_id="t-c", message_id="m-2", author="seller",
                                         body="Could you send a screenshot?"), "cmsmart"),
    "thread closed": (_opened, thread_closed_event(thread_id="t-c", at=T0 + timedelta(hours=1)), "cmsmart"),
    "thread closed before its first message": (lambda w: None, thread_closed_event(thread_id="t-early"),
                                               "cmsmart"),
    "duplicate payment": (lambda w: deliver(w, crm_payment("p1"), "crmjetty", "wh-p1"),
                          crm_payment("p2", minutes=1), "crmjetty"),
    "refund request": (lambda w: deliver(w, crm_payment("p1"), "crmjetty", "wh-p1"),
                       refund_requested_event(order_id="o-9", refund_id="r-1"), "crmjetty"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_webhook_whose_commit_fails_changes_nothing_and_its_retry_applies_once(wiring, case):
    setup, event, marketplace = CASES[case]
    setup(wiring)
    before, pending = wiring.store.snapshot(), wiring.scheduler.pending()
    wiring.store.failures = ["before"]
    with pytest.raises(DependencyError):
        deliver(wiring, event, marketplace, "wh-retried")
    assert wiring.store.snapshot() == before and wiring.scheduler.pending() == pending

    applied = deliver(wiring, event, marketplace, "wh-retried")
    replayed = deliver(wiring, event, marketplace, "wh-retried")
    assert (applied.duplicate, replayed.duplicate) == (False, True)
    assert replayed.response == applied.response
    after = wiring.store.snapshot()
    assert len(after[1]) == len(before[1]) + 1  # one more delivery record, whatever the replays
    assert wiring.store.unsynced_subjects() == []


def test_a_vault_failure_is_a_503_with_nothing_stored_and_the_retry_seals_once():
    services = fakes.build(store=FlakyStore())
    services.tenants.add_marketplace(Marketplace("crmjetty", "crmjetty", (SECRET,)))
    services.tenants.add_seller(Seller("jetty", policy="crmjetty"))
    event = message_event(thread_id="t-v", seller_id="jetty",
                          body="The sync fails since the update. FTP password: Xk9mq2Lzq7 - how can I fix it?")
    deliver(services, crm_payment("p1"), "crmjetty", "wh-p1")  # CRJ-1: entitled, the ticket stays open
    vault = services.status.vault
    vault.fail = True
    before = services.store.snapshot()
    with pytest.raises(DependencyError):
        deliver(services, event, "crmjetty", "wh-vault")
    assert services.store.snapshot() == before
    vault.fail = False
    deliver(services, event, "crmjetty", "wh-vault")
    deliver(services, event, "crmjetty", "wh-vault")
    assert services.store.count_vault_items() == 1


def test_over_http_a_failed_commit_is_a_503_with_retry_after_then_a_200_then_a_duplicate():
    import app
    services = fakes.build(store=FlakyStore())
    services.store.failures = ["before", "after"]
    body = json.dumps(message_event(thread_id="t-http")).encode()
    context.use(services)
    try:
        with Client(app.app) as client:
            answers = [client.http.post("/webhooks/cmsmart", body=body,
                                        headers=signed_headers(body, webhook_id="wh-http"))
                       for _ in range(3)]
    finally:
        context.use(None)
    assert [a.status_code for a in answers] == [503, 503, 200]
    assert answers[0].headers["Retry-After"] == "5"
    assert json.loads(answers[2].body)["duplicate"] is True  # the second attempt had applied
    assert len(services.store.snapshot()[1]) == 1


def test_a_breach_whose_firing_failed_until_after_the_close_is_still_a_breach(wiring):
    ticket_id = deliver(wiring, message_event(thread_id="ps-late", tags=["pre_sale"]), "prestashop").response["ticket"]["id"]
    reminder, breach = wiring.scheduler.pending(ticket_id)
    fire(wiring, reminder)
    wiring.store.failures = ["before"]  # the breach's firing fails; the Scheduler retries later
    with pytest.raises(DependencyError):
        fire(wiring, breach)
    deliver(wiring, thread_closed_event(thread_id="ps-late", at=breach.due_at + timedelta(hours=1)), "prestashop")
    assert fire(wiring, breach).response["note"] == "stale timer: nothing to do"
    [clock] = wiring.store.load_ticket(ticket_id).sla
    assert clock.state.value == "breached"  # due before the close, never answered
