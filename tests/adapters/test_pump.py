"""The local pump fires moto's schedules in due order, as EventBridge Scheduler would."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from chalicelib.adapters.scheduler import EventBridgeTimers
from chalicelib.services.ports import TimerRequest
from chalicelib.local.pump import TimerPump
from chalicelib.services.clock import FixedClock
from tests.builders import T0

from tests.adapters.conftest import GROUP
TICKET = "tkt_0123456789abcdef01234567"


@pytest.fixture
def timers(scheduler):
    return EventBridgeTimers(scheduler, group=GROUP, role_arn="arn:aws:iam::123456789012:role/s",
                             target_arn="arn:aws:lambda:eu-west-1:123456789012:function:timer")


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def fired() -> list[dict]:
    return []


@pytest.fixture
def pump(scheduler, fired, clock):
    return TimerPump(scheduler, GROUP, fired.append, clock.now)


def set_timer(timers, kind: str, after: timedelta, subject: str = TICKET, version: int = 1):
    timers.sync(subject, [TimerRequest(subject, kind, T0 + after, version)], [])


def test_due_timers_fire_in_due_order_and_are_deleted(timers, pump, clock, fired):
    set_timer(timers, "sla_breach", timedelta(hours=2))
    set_timer(timers, "auto_close", timedelta(hours=3))
    set_timer(timers, "sla_reminder", timedelta(hours=1))
    clock.advance(timedelta(hours=2))
    assert pump.fire_due() == 2
    assert [f["kind"] for f in fired] == ["sla_reminder", "sla_breach"]
    assert [t.kind for t in timers.pending()] == ["auto_close"]


def test_the_payload_reaches_fire_unchanged(timers, pump, clock, fired):
    set_timer(timers, "bugfix_deadline", timedelta(minutes=5), version=4)
    pump.fire_due(until=T0 + timedelta(minutes=5))
    assert fired == [{"kind": "bugfix_deadline", "subject_id": TICKET, "version": 4,
                      "due_at": "2026-11-23T09:05:00+00:00"}]


def test_equal_due_times_fire_in_name_order(timers, pump, fired):
    for subject in ("tkt_b", "tkt_a", "tkt_c"):
        set_timer(timers, "auto_close", timedelta(0), subject)
    pump.fire_due()
    assert [f["subject_id"] for f in fired] == ["tkt_a", "tkt_b", "tkt_c"]


def test_nothing_fires_before_its_whole_second(timers, pump, fired):
    set_timer(timers, "auto_close", timedelta(seconds=10, milliseconds=1))
    assert pump.fire_due(until=T0 + timedelta(seconds=10)) == 0
    assert pump.fire_due(until=T0 + timedelta(seconds=11)) == 1


def test_a_failing_fire_keeps_its_schedule_for_the_next_pass(timers, scheduler, clock, caplog):
    attempts = []

    def flaky(payload: dict) -> None:
        attempts.append(payload["kind"])
        if payload["kind"] == "auto_close" and attempts.count("auto_close") == 1:
            raise RuntimeError("timer lambda crashed")

    set_timer(timers, "auto_close", timedelta(0))
    set_timer(timers, "sla_reminder", timedelta(0))
    pump = TimerPump(scheduler, GROUP, flaky, clock.now)
    assert pump.fire_due() == 1
    assert [t.kind for t in timers.pending()] == ["auto_close"]
    assert "timer lambda crashed" in caplog.text
    assert pump.fire_due() == 1
    assert timers.pending() == [] and attempts == ["auto_close", "sla_reminder", "auto_close"]


def test_a_timer_set_while_firing_fires_in_the_same_call_when_due(timers, scheduler, clock):
    def chain(payload: dict) -> None:
        if payload["kind"] == "sla_reminder":
            set_timer(timers, "sla_breach", timedelta(minutes=30))

    set_timer(timers, "sla_reminder", timedelta(minutes=10))
    pump = TimerPump(scheduler, GROUP, chain, clock.now)
    assert pump.fire_due(until=T0 + timedelta(hours=1)) == 2
    assert timers.pending() == []


def test_a_schedule_its_own_handler_re_set_survives(timers, scheduler, clock):
    def snooze(payload: dict) -> None:
        set_timer(timers, "sla_reminder", timedelta(days=1), version=payload["version"] + 1)

    set_timer(timers, "sla_reminder", timedelta(0))
    assert TimerPump(scheduler, GROUP, snooze, clock.now).fire_due() == 1
    assert [(t.due_at, t.version) for t in timers.pending()] == [(T0 + timedelta(days=1), 2)]


def test_run_forever_pumps_until_stopped(timers, pump, fired):
    set_timer(timers, "auto_close", timedelta(0))
    stop = threading.Event()
    worker = threading.Thread(target=pump.run_forever, args=(0.01, stop))
    worker.start()
    try:
        for _ in range(200):
            if fired:
                break
            stop.wait(0.01)
    finally:
        stop.set()
        worker.join(timeout=2)
    assert [f["kind"] for f in fired] == ["auto_close"] and not worker.is_alive()
