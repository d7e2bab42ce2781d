"""Policy decisions through the webhook route: fates, replies, ordering, CMS-4/6/8 in the store."""
from __future__ import annotations

import json
from datetime import timedelta

from tests.builders import T0, encode, message_event, signed_headers, thread_closed_event

FRENCH = ("Bonjour, depuis la mise à jour du module la page de paiement reste blanche. "
          "Pouvez-vous m'aider à corriger ce problème rapidement ?")


def deliver(client, event, marketplace="cmsmart"):
    body = encode(event)
    response = client.http.post(f"/webhooks/{marketplace}", headers=signed_headers(body), body=body)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def test_cms_2_a_french_issue_is_rejected_with_a_reply_and_a_close_action(client):
    body = deliver(client, message_event(body=FRENCH))
    assert body["ticket"]["status"] == "rejected" and body["ticket"]["close_reason"] == "language"
    assert body["decided_by"] == "CMS-2"
    reply = body["actions"][0]
    assert reply["type"] == "reply" and reply["language"] == "en" and "'fr'" in reply["text"]
    assert {"type": "close_thread"} in body["actions"]


def test_replies_use_the_message_language_where_the_profile_allows(client):
    event = message_event(body=FRENCH + " J'ai aussi modifié le code source du module.",
                          seller_id="acme", tags=["pre_sale"])
    body = deliver(client, event, marketplace="prestashop")
    assert body["decided_by"] == "PS-6f"
    assert body["actions"][0]["language"] == "fr"


def test_when_several_rules_fire_the_most_severe_decides(client):
    body = deliver(client, message_event(
        assignee=None, body="I need a customization: can you add a new field to the checkout form? "
                            "What would it cost?"))
    rules = [d["rule"] for d in body["decisions"]]
    assert rules[0] == "CMS-1" and "CMS-10" in rules
    assert [d["rule"] for d in body["decisions"] if d["deciding"]] == ["CMS-1"]


def test_cms_6_a_message_on_a_closed_ticket_is_refused_and_it_stays_closed(client):
    deliver(client, message_event())
    deliver(client, thread_closed_event())
    body = deliver(client, message_event(at=T0 + timedelta(hours=1),
                                         body="Hello again, it still fails, could you look at it?"))
    assert body["decided_by"] == "CMS-6"
    assert body["ticket"]["status"] == "closed"
    assert {"type": "open_new_thread"} in body["actions"]


def test_cms_4_a_second_issue_within_minutes_is_closed_and_linked(client):
    first = deliver(client, message_event(thread_id="a"))["ticket"]
    second = deliver(client, message_event(thread_id="b", at=T0 + timedelta(minutes=2)))
    assert second["decided_by"] == "CMS-4"
    assert second["ticket"]["status"] == "closed" and second["ticket"]["linked_to"] == first["id"]


def test_cms_4_an_older_issue_delivered_late_takes_over_and_closes_the_newer(client, services):
    newer = deliver(client, message_event(thread_id="new", at=T0 + timedelta(minutes=3)))["ticket"]
    older = deliver(client, message_event(thread_id="old", at=T0))
    assert older["ticket"]["status"] == "open"
    assert {"type": "close_thread", "thread_id": "new"} in older["actions"]
    displaced = services.store.load_ticket(newer["id"])
    assert displaced.status.value == "closed" and displaced.linked_to == older["ticket"]["id"]
    assert [d.rule for d in displaced.decisions] == ["CMS-4"]


def test_cms_8_a_new_issue_hours_later_while_one_is_open_is_rejected(client):
    deliver(client, message_event(thread_id="a"))
    later = deliver(client, message_event(thread_id="b", at=T0 + timedelta(hours=3)))
    assert later["decided_by"] == "CMS-8" and later["ticket"]["status"] == "rejected"


def test_closing_the_open_issue_lets_the_customer_open_another(client):
    deliver(client, message_event(thread_id="a"))
    deliver(client, thread_closed_event(thread_id="a"))
    again = deliver(client, message_event(thread_id="b", at=T0 + timedelta(hours=3)))
    assert again["ticket"]["status"] == "open" and again["decided_by"] is None


def test_decisions_are_stored_on_the_ticket_and_shown_by_the_status_api(client):
    from tests.fakes import ACME_KEY
    body = deliver(client, message_event(body=FRENCH))
    detail = json.loads(client.http.get(f"/v1/tickets/{body['ticket']['id']}",
                                        headers={"authorization": f"Bearer {ACME_KEY}"}).body)
    assert [(d["rule"], d["outcome"]) for d in detail["decisions"]] == [("CMS-2", "reject")]
    assert detail["decisions"][0]["policy"].startswith("cmsmart@")
