"""Delivery on real parts: the real HTTP sender posts to a real receiver that verifies every
signature with standardwebhooks; in-memory stores, the in-memory Scheduler and a fixed clock."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest

from chalicelib.domain.notices import Notice, NoticeType
from chalicelib.domain.outbound import DispatchState, EndpointStatus
from chalicelib.domain.events import Delivery, TimerFired
from chalicelib.local.receiver import Receiver
from chalicelib.services.ports import Change
from tests import fakes
from tests.builders import T0


@pytest.fixture
def wiring():
    services = fakes.build()
    services.outbound.dispatcher.rng = random.Random(7)
    return services


@pytest.fixture
def receiver():
    found = Receiver(secrets=[])
    found.port = found.start()
    yield found
    found.stop()


def seller_endpoint(wiring, receiver, seller="acme", **kw):
    endpoint, secret = wiring.outbound.endpoints.register(
        seller, f"http://127.0.0.1:{receiver.port}/hooks", **kw)
    receiver.secrets.append(secret)
    return endpoint


def closed_notice(ticket="tk-1", n=0, seller="acme"):
    return Notice(NoticeType.TICKET_CLOSED, "cmsmart", seller, ticket,
                  {"ticket": {"id": ticket, "close_reason": "expired"}, "n": n})


def commit(wiring, hook, *notices):
    change = Change(Delivery("cmsmart", hook, "h", "timer.auto_close"), {"event_id": hook}, T0,
                    notices=notices)
    wiring.store.commit(change)


def pump(wiring, position=0):
    """The in-memory stream: every committed outbox since `position`, through the consumer."""
    from chalicelib.services.notifier import OutboxRecord
    batches = wiring.store.outbox_after(position)
    records = [OutboxRecord(str(position + i), f"ev{position + i}", tuple(b))
               for i, b in enumerate(batches)]
    assert wiring.outbound.consumer.consume(records) == []
    return position + len(batches)


def fire_due_retries(wiring):
    now = wiring.clock.now()
    for request in wiring.scheduler.due(now):
        wiring.scheduler.remove(request.subject_id, request.kind)
        wiring.timers.fire(TimerFired(request.subject_id, request.kind, request.version, request.due_at))


def advance(wiring, seconds):
    wiring.clock.advance(timedelta(seconds=seconds))
    fire_due_retries(wiring)


def test_a_committed_notice_arrives_signed_once(wiring, receiver):
    seller_endpoint(wiring, receiver)
    commit(wiring, "wh-1", closed_notice())
    pump(wiring)
    assert [(a.verified, a.body["type"]) for a in receiver.received] == [(True, "ticket.closed")]
    assert receiver.received[0].body["data"]["ticket"]["close_reason"] == "expired"


def test_500_500_200_is_three_attempts_under_one_id(wiring, receiver):
    endpoint = seller_endpoint(wiring, receiver)
    receiver.answers = [500, 500]
    commit(wiring, "wh-1", closed_notice())
    pump(wiring)
    advance(wiring, 7)       # the first wait: 5 s +-20 %
    assert len(receiver.received) == 2
    advance(wiring, 6 * 60)  # the second: 5 min +-20 %
    ids = {a.webhook_id for a in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1 and all(a.verified for a in receiver.received)
    notice, dispatches = wiring.outbound.endpoints.notice("acme", ids.pop())
    assert [a.status_code for a in dispatches[0].attempts] == [500, 500, 200]
    assert dispatches[0].state is DispatchState.DELIVERED
    assert wiring.outbound.store.load_endpoint(endpoint.id).failing_since is None


def test_a_later_notice_of_a_ticket_waits_for_the_failing_earlier_one(wiring, receiver):
    seller_endpoint(wiring, receiver)
    receiver.answers = [503]
    commit(wiring, "wh-1", closed_notice(n=1))
    commit(wiring, "wh-2", closed_notice(n=2))
    commit(wiring, "wh-3", closed_notice(ticket="tk-other", n=3))
    pump(wiring)
    assert [a.body["data"]["n"] for a in receiver.received] == [1, 3]  # another ticket is not held
    advance(wiring, 7)
    assert [a.body["data"]["n"] for a in receiver.received] == [1, 3, 1, 2]


def test_a_replayed_stream_record_delivers_nothing_twice(wiring, receiver):
    seller_endpoint(wiring, receiver)
    commit(wiring, "wh-1", closed_notice())
    pump(wiring)
    pump(wiring)  # the stream redelivers the same record (at least once)
    assert len(receiver.received) == 1


def test_410_disables_the_endpoint_and_warns_the_sellers_other_endpoints(wiring, receiver):
    gone = seller_endpoint(wiring, receiver, event_types=("ticket.closed",))
    other = Receiver(secrets=[])
    port = other.start()
    try:
        _, secret = wiring.outbound.endpoints.register("acme", f"http://127.0.0.1:{port}/other",
                                                       event_types=("endpoint.disabled",))
        other.secrets.append(secret)
        receiver.answers = [410]
        commit(wiring, "wh-1", closed_notice())
        pump(wiring)
        assert wiring.outbound.store.load_endpoint(gone.id).status is EndpointStatus.DISABLED
        assert [(a.verified, a.body["type"], a.body["data"]["endpoint_id"]) for a in other.received] \
            == [(True, "endpoint.disabled", gone.id)]
        commit(wiring, "wh-2", closed_notice(ticket="tk-2"))
        pump(wiring, 1)
        assert len(receiver.received) == 1  # nothing more goes to a disabled endpoint
    finally:
        other.stop()


def test_retries_end_after_the_schedule_and_the_lane_moves_on(wiring, receiver):
    seller_endpoint(wiring, receiver)
    receiver.default = 500
    commit(wiring, "wh-1", closed_notice(n=1))
    commit(wiring, "wh-2", closed_notice(n=2))
    pump(wiring)
    for _ in range(10):
        advance(wiring, 13 * 3600)
    first = [a for a in receiver.received if a.body["data"]["n"] == 1]
    assert len(first) == 8  # one attempt and seven retries
    assert any(a.body["data"]["n"] == 2 for a in receiver.received)


def test_retry_after_is_honoured(wiring, receiver):
    seller_endpoint(wiring, receiver)
    receiver.decide = lambda webhook_id, body: (503, {"Retry-After": "120"}) \
        if len(receiver.received) == 0 else 200
    commit(wiring, "wh-1", closed_notice())
    pump(wiring)
    advance(wiring, 60)
    assert len(receiver.received) == 1
    advance(wiring, 61)
    assert len(receiver.received) == 2


def test_a_rotated_secret_signs_alongside_the_old_one_for_a_day(wiring, receiver):
    endpoint = seller_endpoint(wiring, receiver)
    old_secret = receiver.secrets.pop()
    _, new_secret = wiring.outbound.endpoints.rotate("acme", endpoint.id)
    for secrets, expected in (([old_secret], True), ([new_secret], True)):
        receiver.secrets[:] = secrets
        commit(wiring, f"wh-{secrets[0][-6:]}", closed_notice(ticket=secrets[0][-6:]))
        pump(wiring, len(wiring.store.outbox) - 1)
        assert receiver.received[-1].verified is expected
    wiring.clock.advance(timedelta(hours=25))
    receiver.secrets[:] = [old_secret]
    commit(wiring, "wh-late", closed_notice(ticket="late"))
    pump(wiring, len(wiring.store.outbox) - 1)
    assert receiver.received[-1].verified is False


def test_resend_makes_one_more_attempt_now(wiring, receiver):
    seller_endpoint(wiring, receiver)
    commit(wiring, "wh-1", closed_notice())
    pump(wiring)
    notice_id = receiver.received[0].webhook_id
    wiring.outbound.endpoints.resend("acme", notice_id)
    assert [a.webhook_id for a in receiver.received] == [notice_id, notice_id]


def test_action_requested_goes_to_the_marketplace_endpoint(wiring, receiver):
    secret = "whsec_" + "bWFya2V0cGxhY2UtZW5kcG9pbnQtc2VjcmV0"
    receiver.secrets.append(secret)
    wiring.outbound.endpoints.put_marketplace_endpoint(
        "cmsmart", f"http://127.0.0.1:{receiver.port}/mp", secret)
    seller_endpoint(wiring, receiver)  # a seller endpoint without a filter does not get actions
    commit(wiring, "wh-1", Notice(NoticeType.ACTION_REQUESTED, "cmsmart", "acme", "tk-1",
                                  {"action": {"type": "close_thread"}, "ticket_id": "tk-1"}))
    pump(wiring)
    assert [(a.verified, a.body["type"]) for a in receiver.received] == [(True, "action.requested")]


def test_an_endpoint_failing_for_5_days_warns_at_the_start_and_half_way_then_is_disabled(wiring, receiver):
    failing = seller_endpoint(wiring, receiver, event_types=("ticket.closed",))
    receiver.default = 500
    other = Receiver(secrets=[])
    port = other.start()
    try:
        _, secret = wiring.outbound.endpoints.register("acme", f"http://127.0.0.1:{port}/o",
                                                       event_types=("endpoint.failing", "endpoint.disabled"))
        other.secrets.append(secret)
        for hour in range(6 * 24):
            if hour % 12 == 0:  # a new notice twice a day keeps the endpoint busy
                commit(wiring, f"wh-{hour}", closed_notice(ticket=f"tk-{hour}"))
                pump(wiring, len(wiring.store.outbox) - 1)
            advance(wiring, 3600)
        kinds = [(a.body["type"], a.verified) for a in other.received]
        assert kinds == [("endpoint.failing", True), ("endpoint.failing", True),
                         ("endpoint.disabled", True)]
        stored = wiring.outbound.store.load_endpoint(failing.id)
        assert stored.status is EndpointStatus.DISABLED and stored.disabled_reason == "failing for 5 days"
        page = wiring.outbound.endpoints.notices("acme", None, "ticket.closed", 100)
        assert len(page.items) == 12  # its notices are kept: listed, resendable
    finally:
        other.stop()


def test_a_redirect_is_a_failure_and_is_not_followed(wiring, receiver):
    seller_endpoint(wiring, receiver)
    receiver.decide = lambda webhook_id, body: (302, {"Location": "http://169.254.169.254/"}) \
        if len(receiver.received) == 0 else 200
    commit(wiring, "wh-1", closed_notice())
    pump(wiring)
    _, [dispatch] = wiring.outbound.endpoints.notice("acme", receiver.received[0].webhook_id)
    assert [a.status_code for a in dispatch.attempts] == [302]
    assert "redirects are not followed" in dispatch.attempts[0].error
    advance(wiring, 7)
    assert [a.status for a in receiver.received] == [302, 200]  # retried at the endpoint, not moved
