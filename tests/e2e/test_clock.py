"""The test clock of `make run`: CMS-5 closes a CMSmart ticket after 3 days, and not before."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
import requests

from tests.builders import message_event

from .helpers import read, send

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def advance(url: str, seconds: int) -> dict:
    response = requests.post(f"{url}/_local/clock", json={"advance_seconds": seconds}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def clock_now(url: str) -> datetime:
    return datetime.fromisoformat(requests.get(f"{url}/_local/clock", timeout=10).json()["now"].replace("Z", "+00:00"))


def test_cms_5_a_ticket_expires_after_three_days_on_the_test_clock_and_not_before(local_stack):
    now = clock_now(local_stack)
    event = message_event(thread_id=f"clock-{uuid.uuid4().hex[:8]}", seller_id="acme-modules",
                          customer_id=f"cust-{uuid.uuid4().hex[:8]}", at=now)
    ticket_id = send(local_stack, "cmsmart", event).json()["ticket"]["id"]

    advance(local_stack, 3 * 86400 - 60)
    assert read(local_stack, f"/v1/tickets/{ticket_id}", "acme-modules").json()["status"] == "open"

    advance(local_stack, 120)
    detail = read(local_stack, f"/v1/tickets/{ticket_id}", "acme-modules").json()
    assert (detail["status"], detail["close_reason"]) == ("closed", "expired")
    assert [d["rule"] for d in detail["decisions"]] == ["CMS-5"]
    assert detail["timers"] == []


def test_the_clock_refuses_bad_requests_with_a_400(local_stack):
    response = requests.post(f"{local_stack}/_local/clock", json={"advance_seconds": -5}, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "advance_seconds"
    assert clock_now(local_stack).tzinfo is not None
    assert clock_now(local_stack) >= datetime(2026, 1, 1, tzinfo=timezone.utc)
