"""Outbound notices as the decision code produces them (issue 14): what a change puts in its
outbox, committed with it (the in-memory store's stream). Delivery is tested with the
notifier; here: what, to whom, once."""
from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.api import direct
from chalicelib.domain.events import TimerFired
from chalicelib.domain.model import Marketplace, Seller
from chalicelib.domain.notices import Audience, NoticeType
from tests import fakes
from tests.builders import SECRET, T0, message_event, payment_event


@pytest.fixture
def wiring():
    services = fakes.build()
    services.tenants.add_marketplace(Marketplace("crmjetty", "crmjetty", (SECRET,)))
    services.tenants.add_seller(Seller("jetty"))
    return services


def notices(wiring):
    """The notices committed since the last call, in commit order."""
    seen = getattr(wiring, "_notices_seen", 0)
    committed = wiring.store.outbox_after(seen)
    wiring._notices_seen = seen + len(committed)
    return [n for change in committed for n in change]


def fire_all(wiring, subject_id):
    return [wiring.timers.fire(TimerFired(t.subject_id, t.kind, t.version, t.due_at))
            for t in wiring.scheduler.pending(subject_id)]


def test_an_opening_tells_the_seller_ticket_opened(wiring):
    ticket_id = direct.deliver(wiring, message_event(), "cmsmart").response["ticket"]["id"]
    [opened] = notices(wiring)
    assert (opened.type, opened.audience, opened.subject_id) == (
        NoticeType.TICKET_OPENED, Audience.SELLER, ticket_id)
    assert opened.data["ticket"]["status"] == "open" and opened.seller_id == "acme"


def test_a_rejection_in_a_webhook_answer_is_not_sent_again_as_an_action(wiring):
    answer = direct.deliver(wiring, message_event(body="Bonjour, pourquoi le module ne marche "
                                                       "pas sur ma boutique depuis hier ?"),
                            "cmsmart").response
    assert answer["decided_by"] == "CMS-2" and answer["actions"]
    assert [n.type for n in notices(wiring)] == [NoticeType.TICKET_REJECTED]


def test_cms_5_auto_close_reaches_the_marketplace_and_the_seller(wiring):
    ticket_id = direct.deliver(wiring, message_event(), "cmsmart").response["ticket"]["id"]
    notices(wiring)
    fire_all(wiring, ticket_id)
    sent = notices(wiring)
    actions = [n.data["action"] for n in sent if n.type is NoticeType.ACTION_REQUESTED]
    assert [a["type"] for a in actions] == ["reply", "close_thread"]
    assert actions[0]["template"] == "expired"
    request = next(n for n in sent if n.type is NoticeType.ACTION_REQUESTED)
    assert request.audience is Audience.MARKETPLACE and request.marketplace == "cmsmart"
    assert request.data["cause"] == {"kind": "timer", "timer": "auto_close"}
    assert (request.data["ticket_id"], request.data["thread_id"]) == (ticket_id, "thread-1")
    [closed] = [n for n in sent if n.type is NoticeType.TICKET_CLOSED]
    assert closed.data["ticket"]["close_reason"] == "expired" and closed.data["decided_by"] == "CMS-5"


def test_crj_4_the_refund_is_asked_for_once_whatever_the_replays(wiring):
    for payment_id, minutes in (("p1", 0), ("p2", 1)):
        direct.deliver(wiring, payment_event(payment_id=payment_id, order_id="o-9", seller_id="jetty",
                                             at=T0 + timedelta(minutes=minutes)), "crmjetty")
    notices(wiring)
    subject = wiring.store.load_order("crmjetty", "jetty", "o-9").subject_id
    [timer] = wiring.scheduler.pending(subject)
    for _ in range(3):
        wiring.timers.fire(TimerFired(timer.subject_id, timer.kind, timer.version, timer.due_at))
    [refund] = notices(wiring)
    assert refund.type is NoticeType.ACTION_REQUESTED and refund.subject_id == subject
    assert refund.data["action"] == {"type": "refund", "payment_id": "p2"}
    assert refund.data["order_id"] == "o-9" and refund.data["cause"]["timer"] == "duplicate_refund"


def test_ps_3_the_reminder_and_the_breach_reach_the_seller(wiring):
    pre_sale = message_event(shop_url="https://www.boutique.fr", tags=["pre_sale"])  # PS-2
    ticket_id = direct.deliver(wiring, pre_sale, "prestashop").response["ticket"]["id"]
    notices(wiring)
    pending = {t.kind: t for t in wiring.scheduler.pending(ticket_id)}
    for kind in ("sla_reminder:first_response", "sla_breach:first_response"):
        timer = pending[kind]
        wiring.timers.fire(TimerFired(ticket_id, kind, timer.version, timer.due_at))
    sent = [n for n in notices(wiring) if n.type in (NoticeType.SLA_REMINDER, NoticeType.SLA_BREACHED)]
    assert [n.type for n in sent] == [NoticeType.SLA_REMINDER, NoticeType.SLA_BREACHED]
    assert sent[0].data["rule"] == "PS-3" and sent[0].data["clock"]["name"] == "first_response"
