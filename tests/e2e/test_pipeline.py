"""End to end over HTTP: signed webhooks into the local stack, read back from the status API."""
from __future__ import annotations

import uuid

import pytest
import requests

from tests.builders import encode, message_event, signed_headers, thread_closed_event

from .helpers import read, secret, send

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_a_signed_message_becomes_a_ticket_the_seller_can_read(local_stack):
    thread = f"e2e-{uuid.uuid4().hex[:8]}"
    response = send(local_stack, "cmsmart", message_event(thread_id=thread, seller_id="acme-modules"))
    assert response.status_code == 200, response.text
    ticket_id = response.json()["ticket"]["id"]
    detail = read(local_stack, f"/v1/tickets/{ticket_id}", "acme-modules")
    assert detail.status_code == 200
    assert detail.json()["thread_id"] == thread
    listing = read(local_stack, "/v1/tickets?status=open", "acme-modules").json()
    assert ticket_id in [t["id"] for t in listing["items"]]


def test_a_replayed_delivery_is_answered_as_a_duplicate(local_stack):
    event = message_event(thread_id=f"e2e-{uuid.uuid4().hex[:8]}", seller_id="acme-modules")
    first = send(local_stack, "cmsmart", event, webhook_id="wh_e2e_replay_" + uuid.uuid4().hex)
    again = send(local_stack, "cmsmart", event, webhook_id=first.json()["event_id"])
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["ticket"] == first.json()["ticket"]


def test_closing_the_thread_closes_the_ticket(local_stack):
    thread = f"e2e-{uuid.uuid4().hex[:8]}"
    send(local_stack, "cmsmart", message_event(thread_id=thread, seller_id="acme-modules"))
    closed = send(local_stack, "cmsmart", thread_closed_event(thread_id=thread))
    assert closed.json()["ticket"]["status"] == "closed"


def test_another_seller_cannot_read_the_ticket(local_stack):
    response = send(local_stack, "cmsmart", message_event(thread_id=f"e2e-{uuid.uuid4().hex[:8]}",
                                                          seller_id="acme-modules"))
    ticket_id = response.json()["ticket"]["id"]
    assert read(local_stack, f"/v1/tickets/{ticket_id}", "globex-addons").status_code == 404


def test_a_message_signed_with_another_marketplaces_secret_is_refused(local_stack):
    body = encode(message_event(seller_id="acme-modules"))
    headers = signed_headers(body, secret=secret("prestashop"))
    forged = requests.post(f"{local_stack}/webhooks/cmsmart", data=body, headers=headers, timeout=10)
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "invalid_signature"
