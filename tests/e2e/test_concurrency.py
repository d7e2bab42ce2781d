"""CMS-4 under concurrent deliveries at the real local stack (moto server's conditional writes)."""
from __future__ import annotations

import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from tests.builders import message_event, thread_closed_event

from .helpers import read, send
from .test_clock import clock_now

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
DELIVERIES = 24


def tickets_of(url: str, customer: str) -> list[dict]:
    found, cursor = [], None
    while True:
        path = f"/v1/tickets?customer_id={customer}&limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = read(url, path, "acme-modules").json()
        found += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return found


def open_issue_at_the_end_of(ticket: dict, by_id: dict) -> dict:
    """linked_to names the ticket that held the slot when this one yielded; the chain ends open."""
    seen = set()
    while ticket["status"] != "open" and ticket["id"] not in seen:
        seen.add(ticket["id"])
        ticket = by_id[ticket["linked_to"]]
    return ticket


def test_cms_4_simultaneous_first_messages_leave_exactly_the_oldest_open(local_stack):
    customer, now = f"cust-{uuid.uuid4().hex[:8]}", clock_now(local_stack)  # the shared test clock may be ahead
    events = [message_event(thread_id=f"{customer}-t{n}", seller_id="acme-modules",
                            customer_id=customer, at=now + timedelta(seconds=n))
              for n in range(DELIVERIES)]
    random.Random(7).shuffle(events)
    with ThreadPoolExecutor(max_workers=DELIVERIES) as pool:
        responses = list(pool.map(lambda e: send(local_stack, "cmsmart", e), events))
    assert [r.status_code for r in responses] == [200] * DELIVERIES, [r.text for r in responses if r.status_code != 200]

    tickets = tickets_of(local_stack, customer)
    by_id = {t["id"]: t for t in tickets}
    open_ones = [t for t in tickets if t["status"] == "open"]
    assert len(tickets) == DELIVERIES
    assert [t["thread_id"] for t in open_ones] == [f"{customer}-t0"]
    closed = [t for t in tickets if t["status"] != "open"]
    assert {t["close_reason"] for t in closed} == {"concurrent_issue"}
    assert {open_issue_at_the_end_of(t, by_id)["id"] for t in closed} == {open_ones[0]["id"]}


def test_a_close_racing_its_threads_first_message_always_ends_closed(local_stack):
    """The early close and the ticket share one key: whichever commits second sees the other."""
    run, now = uuid.uuid4().hex[:8], clock_now(local_stack)
    events = []
    for n in range(12):
        thread = f"race-{run}-{n}"
        events += [message_event(thread_id=thread, seller_id="acme-modules", customer_id=f"c-{thread}", at=now),
                   thread_closed_event(thread_id=thread, at=now + timedelta(seconds=30))]
    random.Random(11).shuffle(events)
    with ThreadPoolExecutor(max_workers=len(events)) as pool:
        responses = list(pool.map(lambda e: send(local_stack, "cmsmart", e), events))
    assert [r.status_code for r in responses] == [200] * len(events)
    for n in range(12):
        [ticket] = tickets_of(local_stack, f"c-race-{run}-{n}")
        assert (ticket["status"], ticket["close_reason"]) == ("closed", "thread_closed")
