"""Bursts of concurrent deliveries at the real local stack: no lost message, one open ticket.

A marketplace retries a 503 with the same webhook-id (the service answers 503 only when a
delivery keeps losing optimistic-concurrency races); anything else but a 200 fails the test.
Messages are sent at the stack's test-clock time: another e2e test moves that clock days
ahead, and a ticket opened at a fixed past date would be auto-closed (CMS-5) at once.
"""
from __future__ import annotations

import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from tests.builders import message_event

from .helpers import read, send
from .test_clock import clock_now
from .test_concurrency import tickets_of

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
FIRST_MESSAGES = 50
FOLLOW_UPS = 30
RETRIES = 8


def deliver(url: str, marketplace: str, event: dict, stats: list) -> int:
    """Like a marketplace: the same webhook-id until it is a 200, a few times at most."""
    webhook_id = f"wh_conc_{uuid.uuid4().hex}"
    for attempt in range(RETRIES):
        response = send(url, marketplace, event, webhook_id=webhook_id)
        if response.status_code != 503:
            return response.status_code
        stats.append(response.status_code)
        time.sleep(0.2 * (attempt + 1))
    return 503


def burst(url: str, marketplace: str, events: list[dict]) -> tuple[list[int], list]:
    retried: list = []
    with ThreadPoolExecutor(max_workers=len(events)) as pool:
        codes = list(pool.map(lambda e: deliver(url, marketplace, e, retried), events))
    return codes, retried


def test_fifty_concurrent_first_messages_of_one_customer_leave_exactly_one_open_ticket(local_stack):
    customer, now = f"cust-{uuid.uuid4().hex[:8]}", clock_now(local_stack)
    events = [message_event(thread_id=f"{customer}-t{n:02d}", seller_id="acme-modules",
                            customer_id=customer, at=now + timedelta(seconds=n - FIRST_MESSAGES))
              for n in range(FIRST_MESSAGES)]
    random.Random(11).shuffle(events)
    codes, _ = burst(local_stack, "cmsmart", events)
    assert codes == [200] * FIRST_MESSAGES

    tickets = tickets_of(local_stack, customer)
    assert len(tickets) == FIRST_MESSAGES
    assert [t["thread_id"] for t in tickets if t["status"] == "open"] == [f"{customer}-t00"]
    assert {t["close_reason"] for t in tickets if t["status"] != "open"} == {"concurrent_issue"}


def test_thirty_concurrent_follow_ups_on_one_ticket_are_all_recorded(local_stack):
    """prestashop pre-sale: no flooding rule, every follow-up is appended to the one ticket."""
    customer, now = f"cust-{uuid.uuid4().hex[:8]}", clock_now(local_stack)
    thread = f"{customer}-presale"

    def message(n: int) -> dict:
        return message_event(message_id=f"{thread}-m{n:02d}", thread_id=thread,
                             seller_id="acme-modules", customer_id=customer, tags=["pre_sale"],
                             at=now + timedelta(seconds=n - FOLLOW_UPS - 1))

    opened = send(local_stack, "prestashop", message(0))
    assert opened.status_code == 200 and opened.json()["ticket"]["status"] == "open", opened.text
    ticket_id = opened.json()["ticket"]["id"]

    codes, retried = burst(local_stack, "prestashop", [message(n) for n in range(1, FOLLOW_UPS + 1)])
    assert codes == [200] * FOLLOW_UPS, f"{len(retried)} 503s were retried"

    detail = read(local_stack, f"/v1/tickets/{ticket_id}", "acme-modules").json()
    ids = [m["message_id"] for m in detail["messages"]]
    assert sorted(ids) == [f"{thread}-m{n:02d}" for n in range(FOLLOW_UPS + 1)]
    assert detail["status"] == "open"
