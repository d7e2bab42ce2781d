"""GET /v1/sla/summary through chalice.test.Client: every section from real webhooks."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from chalicelib.domain.model import Seller
from chalicelib.services.clock import FixedClock
from chalicelib.services.status import hash_api_key
from tests import fakes
from tests.builders import (T0, encode, iso, message_event, payment_event, signed_headers,
                            thread_closed_event)
from tests.fakes import ACME_KEY

CRM_KEY = "tw_test_crm_key_000111222333"
H = timedelta(hours=1)


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def services(clock):
    wiring = fakes.build(clock=clock)
    wiring.tenants.add_seller(Seller("crm-seller", policy="crmjetty"), (hash_api_key(CRM_KEY),))
    return wiring


def deliver(client, event, marketplace="prestashop"):
    body = encode(event)
    response = client.http.post(f"/webhooks/{marketplace}", headers=signed_headers(body), body=body)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def summary(client, key=ACME_KEY):
    response = client.http.get("/v1/sla/summary", headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def test_an_empty_seller_gets_every_section_empty(client):
    body = summary(client)
    assert body["open_tickets"] == 0 and body["next_deadlines"] == [] and body["compliance"] == {}
    assert body["endpoints"] == [] and body["median_first_response"] == {"business_hours": None,
                                                                          "answers": 0}
    assert not any(limit["truncated"] for limit in body["limits"].values())


def test_ps_3_clocks_show_as_deadlines_then_at_risk_then_breached(client, clock):
    deliver(client, message_event(thread_id="waiting", tags=["pre_sale"]))
    body = summary(client)
    assert body["open_tickets"] == 1 and body["at_risk"] == [] and body["breached"] == []
    deadline = body["next_deadlines"][0]
    assert (deadline["rule"], deadline["clock"], deadline["state"]) == ("PS-3", "first_response", "running")
    assert deadline["business_seconds_left"] == 24 * 3600  # Monday 09:00 UTC, whole business days
    clock.set(T0 + 19 * H)  # past the 75 % reminder share (18 business hours)
    body = summary(client)
    assert [r["rule"] for r in body["at_risk"]] == ["PS-3"] and body["at_risk_count"] == 1
    assert body["at_risk"][0]["business_seconds_left"] == 5 * 3600
    clock.set(T0 + 25 * H)
    body = summary(client)
    assert body["at_risk"] == [] and body["breached_count"] == 1
    assert body["breached"][0]["business_seconds_left"] == -3600
    assert body["compliance"]["PS-3"]["30d"] == {"met": 0, "breached": 1, "ratio": 0.0}


def test_compliance_counts_met_answers_by_day_and_the_median_first_response(client, clock):
    deliver(client, message_event(thread_id="fast", tags=["pre_sale"]))
    deliver(client, message_event(thread_id="fast", author="seller", body="Fixed: clear the cache.",
                                  at=T0 + 2 * H))
    deliver(client, message_event(thread_id="slow", customer_id="c2", tags=["pre_sale"]))
    deliver(client, message_event(thread_id="slow", customer_id="c2", author="seller",
                                  body="Please send your shop URL.", at=T0 + 6 * H))
    clock.set(T0 + 8 * H)
    body = summary(client)
    rule = body["compliance"]["PS-3"]
    assert rule["7d"] == rule["30d"] == {"met": 2, "breached": 0, "ratio": 1.0}
    assert len(rule["daily"]) == 30 and rule["daily"][-1] == {"date": "2026-11-23", "met": 2, "breached": 0}
    assert sum(day["met"] for day in rule["daily"][:-1]) == 0
    assert body["median_first_response"] == {"business_hours": 4.0, "answers": 2}


def test_cms_5_auto_closes_due_in_the_next_24_hours(client, clock):
    deliver(client, message_event(thread_id="quiet"), marketplace="cmsmart")
    assert summary(client)["auto_closes_next_24h"] == []
    clock.set(T0 + timedelta(days=2, hours=12))
    closes = summary(client)["auto_closes_next_24h"]
    assert [(c["rule"], c["due_at"]) for c in closes] == [("CMS-5", iso(T0 + timedelta(days=3)))]


def test_ps_7_refund_rights_and_ps_1_business_care_ending_within_seven_days(client):
    deliver(client, payment_event(order_id="o-old", at=T0 - timedelta(days=26)))
    deliver(client, payment_event(order_id="o-new", customer_id="c2", at=T0 - timedelta(days=2)))
    deliver(client, payment_event(order_id="o-care", customer_id="c3", plan="business_care",
                                  purchase="subscription", shop_url="https://shop.example.com",
                                  covers_until=iso(T0 + timedelta(days=5))))
    body = summary(client)
    assert [(r["rule"], r["order_id"]) for r in body["refund_windows_closing"]] == [("PS-7", "o-old")]
    assert body["refund_windows_closing"][0]["closes_at"] == "2026-11-28T09:00:00Z"  # one Paris month
    assert [(c["rule"], c["order_id"], c["ends_at"]) for c in body["business_care_ending"]] == [
        ("PS-1", "o-care", iso(T0 + timedelta(days=5)))]


def test_crj_4_duplicate_payments_wait_for_their_refund(client):
    for payment_id in ("pay-first", "pay-again"):
        deliver(client, payment_event(payment_id=payment_id, seller_id="crm-seller", order_id="o-dup",
                                      at=T0 + (H if payment_id == "pay-again" else 0 * H)))
    owed = summary(client, CRM_KEY)["duplicate_payments_awaiting_refund"]
    assert [(o["rule"], o["payment_id"], o["refund_due"]) for o in owed] == [
        ("CRJ-4", "pay-again", iso(T0 + H + timedelta(days=3)))]
    assert summary(client)["duplicate_payments_awaiting_refund"] == []  # acme: another seller


def test_the_summary_reads_the_open_tickets_not_the_sellers_history(client, services):
    deliver(client, message_event(thread_id="done", tags=["pre_sale"]))
    deliver(client, message_event(thread_id="open", customer_id="c2", tags=["pre_sale"]))
    deliver(client, thread_closed_event(thread_id="done"))
    assert [t.thread_id for t in services.store.open_tickets("acme", 10)] == ["open"]
    assert summary(client)["open_tickets"] == 1


def test_the_summary_matches_its_openapi_model(client, clock):
    from chalicelib.api.wire_summary import SlaSummary
    deliver(client, message_event(thread_id="waiting", tags=["pre_sale"]))
    clock.set(T0 + 25 * H)
    body = summary(client)
    assert SlaSummary.model_validate(body).compliance["PS-3"].thirty_days.breached == 1
