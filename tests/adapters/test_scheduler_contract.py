"""One contract, two timer adapters: the in-memory twin must behave like EventBridge Scheduler."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from chalicelib.adapters.memory_timers import InMemoryTimers
from chalicelib.adapters.scheduler import EventBridgeTimers, ensure_group
from chalicelib.services.ports import TimerRequest
from chalicelib.domain.errors import DependencyError
from tests.builders import T0

from tests.adapters.conftest import GROUP
TARGET = "arn:aws:lambda:eu-west-1:123456789012:function:ticketwarden-dev-timer"
ROLE = "arn:aws:iam::123456789012:role/scheduler"
TICKET = "tkt_0123456789abcdef01234567"
LONG_SUBJECT = "order:" + "very-long-marketplace-name" * 8 + ":ÄÖ/#42"


@pytest.fixture
def sleeps() -> list[float]:
    return []


def eventbridge(client, sleeps: list[float], **overrides) -> EventBridgeTimers:
    return EventBridgeTimers(client, group=GROUP, target_arn=TARGET, role_arn=ROLE,
                             sleep=sleeps.append, **overrides)


@pytest.fixture(params=["memory", "eventbridge"])
def timers(request, sleeps):
    if request.param == "memory":
        return InMemoryTimers()
    return eventbridge(request.getfixturevalue("scheduler"), sleeps)


def timer(kind: str = "auto_close", subject: str = TICKET, due=T0, version: int = 1):
    return TimerRequest(subject, kind, due, version)


class TestTimersContract:
    def test_a_synced_timer_is_pending(self, timers):
        timers.sync(TICKET, [timer()], [])
        assert timers.pending(TICKET) == [timer()]

    def test_resyncing_with_a_new_due_time_updates_without_a_duplicate(self, timers):
        timers.sync(TICKET, [timer(due=T0)], [])
        timers.sync(TICKET, [timer(due=T0 + timedelta(hours=2), version=2)], [])
        assert timers.pending(TICKET) == [timer(due=T0 + timedelta(hours=2), version=2)]

    def test_unwanted_kinds_are_deleted_and_the_rest_kept(self, timers):
        timers.sync(TICKET, [timer("sla_reminder"), timer("sla_breach:first_response")], [])
        timers.sync(TICKET, [], ["sla_breach:first_response"])
        assert [t.kind for t in timers.pending(TICKET)] == ["sla_reminder"]

    def test_deleting_a_timer_that_does_not_exist_is_fine(self, timers):
        timers.sync(TICKET, [], ["auto_close", "bugfix_deadline"])
        assert timers.pending(TICKET) == []

    def test_a_kind_both_wanted_and_unwanted_stays_wanted(self, timers):
        timers.sync(TICKET, [timer()], ["auto_close"])
        assert timers.pending(TICKET) == [timer()]

    def test_pending_lists_one_subject_or_all_in_due_order(self, timers):
        late, early = timer(subject=TICKET, due=T0 + timedelta(hours=1)), timer(subject="tkt_01")
        timers.sync(TICKET, [late], [])
        timers.sync("tkt_01", [early], [])
        assert timers.pending("tkt_01") == [early]
        assert timers.pending() == [early, late]

    def test_the_payload_round_trips_exactly(self, timers):
        wanted = timer("sla_breach:first_response", "order:cmsmart:A-1",
                       T0 + timedelta(microseconds=250_000), version=7)
        timers.sync("order:cmsmart:A-1", [wanted], [])
        assert timers.pending("order:cmsmart:A-1") == [wanted]

    def test_a_long_odd_subject_id_works_end_to_end(self, timers):
        timers.sync(LONG_SUBJECT, [timer("duplicate_refund", LONG_SUBJECT)], [])
        timers.sync(LONG_SUBJECT[:-1], [timer("duplicate_refund", LONG_SUBJECT[:-1])], [])
        assert timers.pending(LONG_SUBJECT) == [timer("duplicate_refund", LONG_SUBJECT)]

    @pytest.mark.parametrize("subject", [TICKET, "order:cmsmart:1", LONG_SUBJECT])
    @pytest.mark.parametrize("kind", ["auto_close", "sla_breach:first_response"])
    def test_names_are_deterministic_and_valid(self, timers, subject, kind):
        name = timers.schedule_name(subject, kind)
        assert name == timers.schedule_name(subject, kind)
        assert re.fullmatch(r"[0-9A-Za-z_.-]{1,64}", name)

    def test_names_differ_where_subjects_or_kinds_differ(self, timers):
        pairs = [(s, k) for s in (TICKET, "order:a:b", "order_a_b", LONG_SUBJECT, LONG_SUBJECT[:-1])
                 for k in ("sla_breach", "sla_breach:resolution", "sla_breach_resolution")]
        assert len({timers.schedule_name(s, k) for s, k in pairs}) == len(pairs)

    def test_a_timer_for_another_subject_is_refused(self, timers):
        with pytest.raises(ValueError):
            timers.sync(TICKET, [timer(subject="tkt_other")], [])


def test_the_in_memory_twin_can_fail_the_next_syncs():
    timers = InMemoryTimers()
    timers.fail_next(2)
    for _ in range(2):
        with pytest.raises(DependencyError):
            timers.sync(TICKET, [timer()], [])
    timers.sync(TICKET, [timer()], [])
    assert timers.due(T0) == [timer()]


def test_the_in_memory_twin_is_due_at_the_whole_second_like_scheduler():
    timers = InMemoryTimers()
    timers.sync(TICKET, [timer(due=T0 + timedelta(milliseconds=1))], [])
    assert timers.due(T0 + timedelta(milliseconds=999)) == []
    assert len(timers.due(T0 + timedelta(seconds=1))) == 1
    timers.remove(TICKET, "auto_close")
    assert timers.pending() == []


class TestEventBridgeSchedules:
    def test_a_timer_is_a_one_time_self_deleting_schedule_rounded_up(self, scheduler, sleeps):
        wanted = timer("sla_reminder", due=T0 + timedelta(milliseconds=200), version=3)
        eventbridge(scheduler, sleeps).sync(TICKET, [wanted], [])
        name = EventBridgeTimers.schedule_name(TICKET, "sla_reminder")
        schedule = scheduler.get_schedule(Name=name, GroupName=GROUP)
        assert (schedule["ScheduleExpression"], schedule["ScheduleExpressionTimezone"]) == (
            "at(2026-11-23T09:00:01)", "UTC")
        assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
        assert schedule["ActionAfterCompletion"] == "DELETE"
        assert (schedule["Target"]["Arn"], schedule["Target"]["RoleArn"]) == (TARGET, ROLE)
        assert json.loads(schedule["Target"]["Input"]) == {
            "kind": "sla_reminder", "subject_id": TICKET, "version": 3,
            "due_at": "2026-11-23T09:00:00.200000+00:00"}

    def test_an_update_resends_every_setting(self, scheduler, sleeps):
        """UpdateSchedule replaces the whole schedule in AWS; moto would hide a forgotten field."""
        sent = []
        scheduler.meta.events.register("provide-client-params.scheduler.UpdateSchedule",
                                       lambda params, **_: sent.append(dict(params)))
        timers = eventbridge(scheduler, sleeps)
        timers.sync(TICKET, [timer()], [])
        timers.sync(TICKET, [timer(due=T0 + timedelta(days=1), version=2)], [])
        assert sent[0]["ActionAfterCompletion"] == "DELETE"
        assert sent[0]["ScheduleExpression"] == "at(2026-11-24T09:00:00)"
        assert sent[0]["FlexibleTimeWindow"] == {"Mode": "OFF"}

    def test_ensuring_the_group_again_keeps_its_schedules(self, scheduler, sleeps):
        eventbridge(scheduler, sleeps).sync(TICKET, [timer()], [])
        ensure_group(scheduler, GROUP)
        assert eventbridge(scheduler, sleeps).pending() == [timer()]


def failing_first(client, operation: str, times: int, code: str, status: int = 400) -> list:
    """A before-call hook that answers with an error short-circuits the real (moto) call."""
    calls = []

    def answer(**_):
        calls.append(operation)
        if len(calls) <= times:
            return (AWSResponse("https://scheduler.test", status, {}, None),
                    {"Error": {"Code": code, "Message": "injected"},
                     "ResponseMetadata": {"HTTPStatusCode": status}})
        return None

    client.meta.events.register(f"before-call.scheduler.{operation}", answer)
    return calls


class TestEventBridgeFailures:
    def test_throttling_is_retried_with_growing_delays(self, scheduler, sleeps):
        calls = failing_first(scheduler, "CreateSchedule", 3, "ThrottlingException")
        timers = eventbridge(scheduler, sleeps)
        timers.sync(TICKET, [timer()], [])
        assert len(calls) == 4 and len(sleeps) == 3
        assert sleeps == sorted(sleeps) and sleeps[0] < sleeps[-1]
        assert timers.pending(TICKET) == [timer()]

    @pytest.mark.parametrize("code, status", [("TooManyRequestsException", 429),
                                              ("InternalServerException", 500),
                                              ("ServiceUnavailable", 503)])
    def test_other_transient_errors_are_retried_too(self, scheduler, sleeps, code, status):
        failing_first(scheduler, "DeleteSchedule", 1, code, status)
        eventbridge(scheduler, sleeps).sync(TICKET, [], ["auto_close"])
        assert len(sleeps) == 1

    def test_persistent_throttling_becomes_a_dependency_error(self, scheduler, sleeps):
        failing_first(scheduler, "CreateSchedule", 99, "ThrottlingException")
        with pytest.raises(DependencyError) as raised:
            eventbridge(scheduler, sleeps, max_attempts=3).sync(TICKET, [timer()], [])
        assert isinstance(raised.value.__cause__, ClientError)
        assert len(sleeps) == 2

    def test_a_rejected_request_fails_at_once(self, scheduler, sleeps):
        failing_first(scheduler, "CreateSchedule", 1, "ValidationException")
        with pytest.raises(DependencyError, match="ValidationException"):
            eventbridge(scheduler, sleeps).sync(TICKET, [timer()], [])
        assert sleeps == []
