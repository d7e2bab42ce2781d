"""The `timer` Lambda and the reconciler through chalice.test.Client."""
from __future__ import annotations

import json

from tests.builders import encode, iso, message_event, signed_headers


def open_ticket(client) -> str:
    body = encode(message_event())
    response = client.http.post("/webhooks/cmsmart", headers=signed_headers(body), body=body)
    return json.loads(response.body)["ticket"]["id"]


def test_the_timer_lambda_applies_a_due_schedule(client, services):
    ticket_id = open_ticket(client)
    [request] = services.scheduler.pending(ticket_id)
    payload = {"kind": request.kind, "subject_id": ticket_id, "version": request.version,
               "due_at": iso(request.due_at)}
    result = client.lambda_.invoke("timer", payload).payload
    assert result["status"] == "ok" and result["decided_by"] == "CMS-5"
    assert services.store.load_ticket(ticket_id).close_reason == "expired"


def test_the_timer_lambda_drops_invalid_input_without_raising(client):
    assert client.lambda_.invoke("timer", {"kind": "auto_close"}).payload == {"status": "invalid_input"}


def test_the_reconciler_reports_what_it_repaired(client, services):
    services.scheduler.fail_next(1)
    open_ticket(client)
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event",
                                            detail={}, resources=[])
    assert client.lambda_.invoke("reconciler", event).payload == {"repaired": 1, "failed": 0,
                                                                  "batches": 1}
