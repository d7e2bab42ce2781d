"""The seller status API through chalice.test.Client."""
from __future__ import annotations

import json

from openapi_spec_validator import validate

from tests.builders import T0, encode, message_event, signed_headers
from tests.fakes import ACME_KEY, GLOBEX_KEY
from datetime import timedelta


def deliver(client, event):
    body = encode(event)
    return json.loads(client.http.post("/webhooks/cmsmart", headers=signed_headers(body), body=body).body)


def get(client, path, key=ACME_KEY):
    headers = {"authorization": f"Bearer {key}"} if key else {}
    response = client.http.get(path, headers=headers)
    return response.status_code, json.loads(response.body)


def test_health_needs_no_key(client):
    assert get(client, "/health", key=None) == (200, {"status": "ok"})


def test_the_status_api_needs_a_key(client):
    status, body = get(client, "/v1/tickets", key=None)
    assert status == 401 and body["error"]["code"] == "unauthorized"
    assert get(client, "/v1/tickets", key="wrong")[0] == 401


def test_tickets_are_listed_newest_first(client):
    for hour in range(3):
        deliver(client, message_event(thread_id=f"t{hour}", at=T0 + timedelta(hours=hour)))
    status, body = get(client, "/v1/tickets")
    assert status == 200
    assert [t["thread_id"] for t in body["items"]] == ["t2", "t1", "t0"]


def test_tickets_paginate_with_a_cursor(client):
    for minute in range(5):
        deliver(client, message_event(thread_id=f"t{minute}", at=T0 + timedelta(minutes=minute)))
    seen, cursor = [], None
    while True:
        path = "/v1/tickets?limit=2" + (f"&cursor={cursor}" if cursor else "")
        status, body = get(client, path)
        seen += [t["thread_id"] for t in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == ["t4", "t3", "t2", "t1", "t0"]


def test_tickets_filter_by_status_product_and_customer(client):
    deliver(client, message_event(thread_id="a", product_id="p1", customer_id="c1"))
    deliver(client, message_event(thread_id="b", product_id="p2", customer_id="c2"))
    assert [t["thread_id"] for t in get(client, "/v1/tickets?product_id=p2")[1]["items"]] == ["b"]
    assert [t["thread_id"] for t in get(client, "/v1/tickets?customer_id=c1")[1]["items"]] == ["a"]
    assert get(client, "/v1/tickets?status=closed")[1]["items"] == []


def test_bad_query_parameters_are_a_400_naming_the_parameter(client):
    status, body = get(client, "/v1/tickets?limit=0")
    assert status == 400 and body["error"]["details"][0]["field"] == "limit"
    status, body = get(client, "/v1/tickets?status=maybe")
    assert status == 400 and body["error"]["details"][0]["field"] == "status"
    status, body = get(client, "/v1/tickets?cursor=%%%")
    assert status == 400 and body["error"]["details"][0]["field"] == "cursor"


def test_a_ticket_shows_its_messages(client):
    ticket = deliver(client, message_event())["ticket"]
    status, body = get(client, f"/v1/tickets/{ticket['id']}")
    assert status == 200
    assert [m["author"] for m in body["messages"]] == ["customer"]
    assert body["decisions"] == [] and body["sla"] == []
    assert body["timers"] == [{"kind": "auto_close", "due_at": "2026-11-26T09:00:00Z"}]


def test_another_sellers_ticket_is_a_404(client):
    ticket = deliver(client, message_event(seller_id="acme"))["ticket"]
    status, _ = get(client, f"/v1/tickets/{ticket['id']}", key=GLOBEX_KEY)
    assert status == 404
    assert get(client, "/v1/tickets", key=GLOBEX_KEY)[1]["items"] == []


def test_openapi_document_is_valid_openapi_3(client):
    status, document = get(client, "/openapi.json", key=None)
    assert status == 200
    validate(document)
    assert {"/webhooks/{marketplace}", "/v1/tickets", "/v1/tickets/{ticket_id}", "/health"} <= set(document["paths"])
