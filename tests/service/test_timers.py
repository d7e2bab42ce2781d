"""Timers through bootstrap.build with in-memory fakes: schedule, fire once, stale, repair."""
from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.api import direct
from chalicelib.domain.events import TimerFired
from chalicelib.domain.model import TicketStatus
from tests import fakes
from tests.builders import T0, message_event, thread_closed_event


@pytest.fixture
def wiring():
    return fakes.build()


def deliver(wiring, event: dict, marketplace: str = "cmsmart"):
    return direct.deliver(wiring, event, marketplace).response


def fire(wiring, request):
    return wiring.timers.fire(TimerFired(request.subject_id, request.kind, request.version, request.due_at))


def test_opening_a_cmsmart_ticket_schedules_its_auto_close(wiring):
    ticket = deliver(wiring, message_event())["ticket"]
    [request] = wiring.scheduler.pending(ticket["id"])
    assert (request.kind, request.due_at) == ("auto_close", T0 + timedelta(days=3))
    assert wiring.store.unsynced_subjects() == []


def test_cms_5_the_auto_close_timer_closes_the_ticket_once(wiring):
    ticket_id = deliver(wiring, message_event())["ticket"]["id"]
    [request] = wiring.scheduler.pending(ticket_id)
    first, again = fire(wiring, request), fire(wiring, request)
    ticket = wiring.store.load_ticket(ticket_id)
    assert (ticket.status, ticket.close_reason) == (TicketStatus.CLOSED, "expired")
    assert first.response["decided_by"] == "CMS-5" and again.duplicate
    assert [d.rule for d in ticket.decisions] == ["CMS-5"]


def test_a_timer_for_a_state_that_moved_on_does_nothing(wiring):
    ticket_id = deliver(wiring, message_event())["ticket"]["id"]
    [request] = wiring.scheduler.pending(ticket_id)
    deliver(wiring, thread_closed_event())
    outcome = fire(wiring, request)
    assert outcome.response["note"] == "stale timer: nothing to do"
    assert wiring.store.load_ticket(ticket_id).close_reason == "thread_closed"
    assert wiring.scheduler.pending(ticket_id) == []


def test_closing_the_thread_deletes_the_schedule(wiring):
    ticket_id = deliver(wiring, message_event())["ticket"]["id"]
    deliver(wiring, thread_closed_event())
    assert wiring.scheduler.pending(ticket_id) == []


def test_a_scheduler_failure_after_the_commit_is_repaired_by_the_reconciler(wiring):
    wiring.scheduler.fail_next(1)
    response = deliver(wiring, message_event())
    ticket_id = response["ticket"]["id"]
    assert response["ticket"]["status"] == "open"  # the webhook still succeeded
    assert wiring.scheduler.pending(ticket_id) == []
    assert wiring.store.unsynced_subjects() == [ticket_id]
    assert wiring.timer_sync.reconcile() == {"repaired": 1, "failed": 0}
    assert [r.kind for r in wiring.scheduler.pending(ticket_id)] == ["auto_close"]
    assert wiring.store.unsynced_subjects() == []


def test_a_reconciler_pass_that_fails_again_leaves_the_cue_for_the_next(wiring):
    wiring.scheduler.fail_next(2)
    ticket_id = deliver(wiring, message_event())["ticket"]["id"]
    assert wiring.timer_sync.reconcile() == {"repaired": 0, "failed": 1}
    assert wiring.store.unsynced_subjects() == [ticket_id]


def test_ps_3_reminder_then_breach_are_recorded_on_the_ticket(wiring):
    ticket_id = deliver(wiring, message_event(thread_id="ps", tags=["pre_sale"]), "prestashop")["ticket"]["id"]
    for request in wiring.scheduler.pending(ticket_id):
        fire(wiring, request)
    ticket = wiring.store.load_ticket(ticket_id)
    assert [(d.rule, d.code) for d in ticket.decisions][-2:] == [("PS-3", "sla_reminder"), ("PS-3", "sla_breached")]
    assert [c.state.value for c in ticket.sla] == ["breached"]


def backlog(wiring, tickets: int) -> list[str]:
    """A Scheduler outage: every first message commits, no schedule is made."""
    wiring.scheduler.fail_next(tickets)
    return [deliver(wiring, message_event(thread_id=f"outage-{n}", customer_id=f"c-{n}"))["ticket"]["id"]
            for n in range(tickets)]


def test_the_reconciler_drains_a_backlog_larger_than_a_batch_in_one_run(wiring):
    ids = backlog(wiring, 45)
    assert wiring.timer_sync.drain(batch=20, more_time=lambda: True) == {
        "repaired": 45, "failed": 0, "batches": 3}
    assert wiring.store.unsynced_subjects() == []
    assert all(wiring.scheduler.pending(i) for i in ids)


def test_the_reconciler_stops_at_a_failed_batch_and_after_one_batch_when_time_is_short(wiring):
    backlog(wiring, 45)
    wiring.scheduler.fail_next(1)  # still struggling: the next run tries again
    assert wiring.timer_sync.drain(batch=20, more_time=lambda: True) == {
        "repaired": 19, "failed": 1, "batches": 1}
    assert wiring.timer_sync.drain(batch=20, more_time=lambda: False) == {
        "repaired": 20, "failed": 0, "batches": 1}  # one batch, whatever the time left
    assert len(wiring.store.unsynced_subjects(limit=100)) == 6


def test_the_reconciler_does_not_spin_on_a_cue_it_cannot_clear(wiring):
    [ticket_id] = backlog(wiring, 1)
    wiring.store.mark_timers_synced = lambda subject_id, version: None  # the cue stays
    assert wiring.timer_sync.drain(batch=20, more_time=lambda: True) == {
        "repaired": 1, "failed": 0, "batches": 1}
    assert wiring.store.unsynced_subjects() == [ticket_id]
