"""CRJ-3 through the services: redacted text, sealed originals, seller read-back, deletion on close."""
from __future__ import annotations


import pytest

from chalicelib.api import direct
from chalicelib.domain.errors import DependencyError, NotFoundError
from tests import fakes
from tests.builders import message_event, thread_closed_event

BODY = "Hi, the FTP login is shopftp and the password is Sup3r!Secret. Why does the upload fail?"


@pytest.fixture
def wiring():
    return fakes.build()


def deliver(wiring, event: dict):
    return direct.deliver(wiring, event, "cmsmart").response


def test_crj_3_credentials_are_redacted_from_the_stored_message(wiring):
    response = deliver(wiring, message_event(body=BODY))
    ticket = wiring.store.load_ticket(response["ticket"]["id"])
    assert "Sup3r!Secret" not in ticket.messages[0].body and "shopftp" not in ticket.messages[0].body
    assert "[redacted credential #2]" in ticket.messages[0].body
    assert response["ticket"]["credentials"] == "credentials shared: 2 (redacted; held encrypted until the ticket closes)"


def test_crj_3_the_seller_reads_them_back_while_the_ticket_is_open(wiring):
    ticket_id = deliver(wiring, message_event(body=BODY))["ticket"]["id"]
    seller = wiring.tenants.seller("acme")
    read = wiring.status.credentials(seller, ticket_id)
    assert [(i["label"], i["value"]) for i in read["items"]] == [
        ("FTP login", "shopftp"), ("password", "Sup3r!Secret")]
    with pytest.raises(NotFoundError):
        wiring.status.credentials(wiring.tenants.seller("globex"), ticket_id)


def test_crj_3_closing_the_ticket_deletes_the_vault_items(wiring):
    ticket_id = deliver(wiring, message_event(body=BODY))["ticket"]["id"]
    assert wiring.store.count_vault_items() == 1  # one vault item per message, both credentials in it
    closed = deliver(wiring, thread_closed_event())
    assert wiring.store.count_vault_items() == 0
    assert closed["ticket"]["credentials"].endswith("deleted)")
    with pytest.raises(NotFoundError):
        wiring.status.credentials(wiring.tenants.seller("acme"), ticket_id)


def test_crj_3_a_policy_rejection_keeps_no_credentials(wiring):
    deliver(wiring, message_event(body=BODY, assignee=None))  # CMS-1 rejects at opening
    assert wiring.store.count_vault_items() == 0


def test_a_vault_failure_changes_nothing(wiring):
    wiring.ingest.handlers.keeper.vault.fail = True
    with pytest.raises(DependencyError):
        deliver(wiring, message_event(body=BODY))
    assert wiring.store.tickets == {} and wiring.store.count_vault_items() == 0


def test_a_re_sent_message_is_not_sealed_again(wiring):
    """Same message under a new webhook-id: one read finds it recorded; no KMS call is made."""
    event = message_event(body=BODY)
    direct.deliver(wiring, event, "cmsmart", "wh-first")
    wiring.ingest.handlers.keeper.vault.fail = True  # any seal would now be a 503
    again = direct.deliver(wiring, event, "cmsmart", "wh-resent").response
    assert again["note"] == "message already recorded"
