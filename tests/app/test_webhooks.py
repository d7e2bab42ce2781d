"""The webhook route through chalice.test.Client: every status of the error contract."""
from __future__ import annotations

import json

import pytest

from tests.builders import (OTHER_SECRET, encode, message_event, payment_event, signed_headers,
                            stale, thread_closed_event)


def post(client, event, *, marketplace="cmsmart", headers=None, **sign):
    body = encode(event)
    headers = headers if headers is not None else signed_headers(body, **sign)
    response = client.http.post(f"/webhooks/{marketplace}", headers=headers, body=body)
    return response.status_code, json.loads(response.body)


def test_a_first_customer_message_opens_a_ticket(client):
    status, body = post(client, message_event())
    assert status == 200
    assert body["duplicate"] is False
    assert body["ticket"]["status"] == "open"
    assert body["ticket"]["message_count"] == 1


def test_later_messages_on_the_thread_are_appended(client):
    post(client, message_event())
    status, body = post(client, message_event(author="seller", body="Please send a screenshot."))
    assert status == 200
    assert body["ticket"]["message_count"] == 2
    assert body["ticket"]["version"] == 2


def test_thread_closed_closes_the_ticket(client):
    post(client, message_event())
    status, body = post(client, thread_closed_event(closed_by="seller"))
    assert status == 200
    assert body["ticket"]["status"] == "closed"
    assert body["ticket"]["close_reason"] == "thread_closed"


def test_a_repeated_webhook_id_returns_the_first_answer_and_changes_nothing(client, services):
    body = encode(message_event())
    headers = signed_headers(body)
    first = client.http.post("/webhooks/cmsmart", headers=headers, body=body)
    again = client.http.post("/webhooks/cmsmart", headers=headers, body=body)
    first_body, again_body = json.loads(first.body), json.loads(again.body)
    assert again.status_code == 200 and again_body["duplicate"] is True
    assert {**again_body, "duplicate": False} == first_body
    ticket = services.store.load_ticket(first_body["ticket"]["id"])
    assert ticket.version == 1 and len(ticket.messages) == 1


def test_the_same_webhook_id_with_another_body_is_a_409(client):
    first = encode(message_event())
    headers = signed_headers(first, webhook_id="wh_reused")
    client.http.post("/webhooks/cmsmart", headers=headers, body=first)
    other = encode(message_event(body="A different message body, long enough to matter here."))
    status, body = post(client, other, webhook_id="wh_reused")
    assert status == 409
    assert body["error"]["code"] == "webhook_id_conflict"


def test_payments_are_recorded(client, services):
    status, body = post(client, payment_event(order_id="order-9"))
    assert status == 200
    order = services.store.load_order("cmsmart", "acme", "order-9")
    assert [p.status for p in order.payments] == ["succeeded"]
    assert body["order"]["payments"] == {order.payments[0].payment_id: "succeeded"}


def test_an_unknown_marketplace_is_a_404(client):
    status, body = post(client, message_event(), marketplace="nowhere")
    assert status == 404
    assert body["error"]["code"] == "unknown_marketplace"


@pytest.mark.parametrize("headers", [
    {},
    {"webhook-id": "x", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"},
    {"webhook-id": "x", "webhook-timestamp": "not-a-number", "webhook-signature": "v1,AAAA"},
    {"webhook-id": "x", "webhook-timestamp": "1700000000", "webhook-signature": "garbage"},
    {"webhook-id": "x", "webhook-timestamp": "1700000000", "webhook-signature": "v1,%%%not-base64"},
], ids=["no-headers", "ancient", "bad-timestamp", "no-version", "bad-base64"])
def test_missing_or_malformed_signature_headers_are_a_401(client, headers):
    status, body = post(client, message_event(),
                        headers={**headers, "content-type": "application/json"})
    assert status == 401
    assert body["error"] == {"code": "invalid_signature", "message": "signature verification failed",
                             "details": []}


def test_a_signature_with_another_secret_is_a_401(client):
    status, _ = post(client, message_event(), secret=OTHER_SECRET)
    assert status == 401


def test_a_timestamp_six_minutes_old_is_a_401(client):
    status, _ = post(client, message_event(), signed_at=stale(6))
    assert status == 401


def test_a_timestamp_four_minutes_old_is_accepted(client):
    status, _ = post(client, message_event(), signed_at=stale(4))
    assert status == 200


def test_a_body_that_is_not_json_is_a_400(client):
    status, body = post(client, b"{not json")
    assert status == 400
    assert body["error"]["details"][0]["field"] == "body"


def test_schema_errors_name_each_bad_field(client):
    event = message_event()
    del event["data"]["thread_id"]
    event["data"]["author"] = "robot"
    event["data"]["sent_at"] = "yesterday"
    status, body = post(client, event)
    assert status == 400
    fields = {d["field"] for d in body["error"]["details"]}
    assert fields == {"data.thread_id", "data.author", "data.sent_at"}


def test_an_unknown_event_type_is_a_400_that_lists_the_known_ones(client):
    status, body = post(client, {"type": "order.shipped", "timestamp": "2026-11-23T09:00:00Z", "data": {}})
    assert status == 400
    assert "message.created" in body["error"]["details"][0]["problem"]


def test_unknown_extra_fields_are_ignored(client):
    event = message_event(colour="blue")
    event["extra"] = {"x": 1}
    status, _ = post(client, event)
    assert status == 200


def test_a_body_over_the_limit_is_a_413(client):
    event = message_event(body="x" * 300_000)
    status, body = post(client, event)
    assert status == 413


def test_a_message_body_over_64_kib_is_a_400(client):
    status, body = post(client, message_event(body="é" * 40_000))
    assert status == 400
    assert body["error"]["details"][0]["field"] == "data.body"


def test_a_non_json_content_type_is_a_415(client):
    body = encode(message_event())
    headers = {**signed_headers(body), "content-type": "text/plain"}
    status, payload = post(client, body, headers=headers)
    assert status == 415


def test_deep_json_nesting_is_a_400_not_a_500(client):
    status, _ = post(client, b"[" * 100_000 + b"]" * 100_000)
    assert status in (400, 413)
