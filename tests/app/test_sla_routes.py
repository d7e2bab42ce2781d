"""GET /v1/sla and GET /v1/support-hours through chalice.test.Client."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from chalicelib.domain.model import Seller
from chalicelib.services.clock import FixedClock
from chalicelib.services.status import hash_api_key
from tests import fakes
from tests.builders import T0, encode, message_event, signed_headers
from tests.fakes import ACME_KEY

CRM_KEY = "tw_test_crm_key_000111222333"


@pytest.fixture
def services():
    wiring = fakes.build(clock=FixedClock(T0))
    wiring.tenants.add_seller(Seller("crm-seller", policy="crmjetty"), (hash_api_key(CRM_KEY),))
    return wiring


def deliver(client, event, marketplace="prestashop"):
    body = encode(event)
    return json.loads(client.http.post(f"/webhooks/{marketplace}", headers=signed_headers(body), body=body).body)


def get(client, path, key=ACME_KEY):
    response = client.http.get(path, headers={"authorization": f"Bearer {key}"})
    return response.status_code, json.loads(response.body)


def test_the_sla_report_counts_clocks_and_the_compliance_ratio(client):
    deliver(client, message_event(thread_id="answered", tags=["pre_sale"]))
    deliver(client, message_event(thread_id="answered", author="seller", body="Here is the fix.",
                                  at=T0 + timedelta(hours=2)))
    deliver(client, message_event(thread_id="waiting", customer_id="c2", tags=["pre_sale"],
                                  at=T0 + timedelta(hours=1)))
    status, report = get(client, "/v1/sla?since=2026-11-23T00:00:00Z&until=2026-11-24T00:00:00Z")
    assert status == 200
    assert report["tickets"] == 2 and report["by_status"] == {"open": 2}
    assert report["clocks"]["first_response"] == {"running": 1, "paused": 0, "met": 1, "breached": 0}
    assert report["compliance"] == 1.0


def test_the_sla_report_window_excludes_tickets_opened_outside_it(client):
    deliver(client, message_event(thread_id="early"))
    status, report = get(client, "/v1/sla?since=2026-11-23T10:00:00Z")
    assert status == 200 and report["tickets"] == 0 and report["compliance"] is None


def test_the_sla_report_refuses_bad_times(client):
    status, body = get(client, "/v1/sla?since=yesterday")
    assert status == 400 and body["error"]["details"][0]["field"] == "since"
    status, body = get(client, "/v1/sla?since=2026-11-24T00:00:00Z&until=2026-11-23T00:00:00Z")
    assert status == 400 and body["error"]["details"][0]["field"] == "until"


def test_crj_6_support_hours_say_closed_before_ten_in_kolkata(client):
    status, body = get(client, "/v1/support-hours", key=CRM_KEY)  # T0 = 14:30 IST Monday
    assert status == 200 and body["rule"] == "CRJ-6"
    assert body["open_now"] is True and body["closes_at"] == "2026-11-23T12:30:00Z"
    assert body["calendar"] == {"zone": "Asia/Kolkata", "hours": {
        d: ["10:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}


def test_support_hours_need_a_marketplace_when_the_seller_has_no_profile(client):
    status, body = get(client, "/v1/support-hours")
    assert status == 400 and body["error"]["details"][0]["field"] == "marketplace"
    assert get(client, "/v1/support-hours?marketplace=nowhere")[0] == 404
    assert get(client, "/v1/support-hours?marketplace=cmsmart")[0] == 404  # no CRJ-6 in cmsmart


def test_tickets_filter_by_timers_due_before(client):
    deliver(client, message_event(thread_id="t"), marketplace="cmsmart")
    assert len(get(client, "/v1/tickets?due_before=2026-11-27T00:00:00Z")[1]["items"]) == 1
    assert get(client, "/v1/tickets?due_before=2026-11-25T00:00:00Z")[1]["items"] == []
