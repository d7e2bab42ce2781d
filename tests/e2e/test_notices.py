"""Notices on the local stack: committed into moto, read from its stream, posted over real HTTP
to receivers that verify every signature; retry waits on the test clock."""
from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
import requests

from chalicelib.domain.notices import Notice, NoticeType
from chalicelib.local.receiver import Receiver

from .helpers import api_key
from .notices_stack import notice_stack, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-notices")]
SELLER = "acme-modules"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with notice_stack(tmp_path_factory.mktemp("notices")) as found:
        yield found


@pytest.fixture
def seller_receiver(stack):
    """A fresh receiver registered as a seller endpoint; deleted afterwards."""
    receiver = Receiver(secrets=[])
    port = receiver.start()
    answer = seller(stack, "POST", "/v1/endpoints", {"url": f"http://127.0.0.1:{port}/seller"})
    assert answer.status_code == 201, answer.text
    receiver.secrets.append(answer.json()["secret"])
    receiver.endpoint_id = answer.json()["id"]
    yield receiver
    seller(stack, "DELETE", f"/v1/endpoints/{receiver.endpoint_id}")
    receiver.stop()


def seller(stack, method, path, body=None):
    return requests.request(method, f"{stack.url}{path}", json=body, timeout=30,
                            headers={"Authorization": f"Bearer {api_key(SELLER)}"})


def closed(ticket: str, n: int = 0) -> Notice:
    return Notice(NoticeType.TICKET_CLOSED, "cmsmart", SELLER, ticket,
                  {"ticket": {"id": ticket, "close_reason": "expired"}, "n": n})


def test_an_action_reaches_the_marketplace_endpoint_signed(stack):
    stack.commit_notices("e2e-action", Notice(NoticeType.ACTION_REQUESTED, "cmsmart", SELLER,
                                              "tk-action", {"action": {"type": "close_thread"}}))
    arrival = wait_until(lambda: [a for a in stack.marketplace.received
                                  if a.body and a.body["data"]["action"]["type"] == "close_thread"])
    assert arrival[0].verified and arrival[0].body["type"] == "action.requested"


def test_500_500_200_is_three_attempts_under_one_id(stack, seller_receiver):
    seller_receiver.answers = [500, 500]
    stack.commit_notices("e2e-retry", closed("tk-retry"))
    wait_until(lambda: len(seller_receiver.received) == 1)
    stack.advance(7)
    wait_until(lambda: len(seller_receiver.received) == 2)
    stack.advance(6 * 60)
    wait_until(lambda: len(seller_receiver.received) == 3)
    ids = {a.webhook_id for a in seller_receiver.received}
    assert len(ids) == 1 and all(a.verified for a in seller_receiver.received)
    detail = seller(stack, "GET", f"/v1/notices/{ids.pop()}").json()
    assert [a["status_code"] for a in detail["attempts"]] == [500, 500, 200]
    assert all(a["duration_ms"] >= 0 and a["at"] for a in detail["attempts"])


def test_410_disables_the_endpoint(stack, seller_receiver):
    seller_receiver.answers = [410]
    stack.commit_notices("e2e-gone", closed("tk-gone"))
    wait_until(lambda: seller_receiver.received)
    shown = wait_until(lambda: (lambda e: e if e["status"] == "disabled" else None)(
        seller(stack, "GET", f"/v1/endpoints/{seller_receiver.endpoint_id}").json()))
    assert shown["failing_since"]


def test_a_later_notice_of_a_ticket_waits_for_the_failing_earlier_one(stack, seller_receiver):
    seller_receiver.answers = [503]
    stack.commit_notices("e2e-order-1", closed("tk-order", 1))
    stack.commit_notices("e2e-order-2", closed("tk-order", 2))
    wait_until(lambda: len(seller_receiver.received) == 1)
    assert seller_receiver.received[0].body["data"]["n"] == 1
    stack.advance(7)
    wait_until(lambda: len(seller_receiver.received) == 3)
    assert [a.body["data"]["n"] for a in seller_receiver.received] == [1, 1, 2]


def test_resend_and_polling(stack, seller_receiver):
    stack.commit_notices("e2e-poll", closed("tk-poll"))
    wait_until(lambda: seller_receiver.received)
    notice_id = seller_receiver.received[0].webhook_id
    page = seller(stack, "GET", "/v1/notices?limit=100").json()
    ids = [n["id"] for n in page["items"]]
    while page["items"]:
        page = seller(stack, "GET", f"/v1/notices?limit=100&after={page['next_cursor']}").json()
        ids += [n["id"] for n in page["items"]]
    assert notice_id in ids and len(ids) == len(set(ids))
    assert seller(stack, "POST", f"/v1/notices/{notice_id}/resend").status_code == 202
    wait_until(lambda: len(seller_receiver.received) == 2)
    assert {a.webhook_id for a in seller_receiver.received} == {notice_id}


def test_a_private_address_is_refused_with_the_reason(stack):
    answer = seller(stack, "POST", "/v1/endpoints", {"url": "https://10.0.0.1/hooks"})
    assert answer.status_code == 400
    assert "private" in answer.json()["error"]["details"][0]["problem"]


# ------------------------------------------------ the real decision paths (issue 13's notices)

def send_webhook(stack, marketplace: str, event: dict, webhook_id: str | None = None):
    from .helpers import send
    answer = send(stack.url, marketplace, event, webhook_id=webhook_id)
    assert answer.status_code == 200, answer.text
    return answer.json()


def business_now(stack):
    from datetime import datetime
    return datetime.fromisoformat(requests.get(f"{stack.url}/_local/clock", timeout=10)
                                  .json()["now"].replace("Z", "+00:00"))


def mentioning(receiver, kind: str, text: str):
    import json
    return [a for a in receiver.received if a.verified and a.body["type"] == kind
            and text in json.dumps(a.body["data"])]


def test_a_cmsmart_ticket_advanced_3_days_closes_at_the_marketplace_and_tells_the_seller(stack, seller_receiver):
    from tests.builders import message_event
    thread = f"e2e-expire-{uuid.uuid4().hex[:6]}"
    event = message_event(at=business_now(stack), thread_id=thread, seller_id=SELLER,
                          customer_id=f"{thread}-c")
    ticket = send_webhook(stack, "cmsmart", event)["ticket"]
    assert not [a for a in send_webhook(stack, "cmsmart", event, f"{thread}-again")["actions"]
                if a["type"] == "close_thread"]
    stack.advance(3 * 24 * 3600 + 3600)
    actions = wait_until(lambda: [a for a in mentioning(stack.marketplace, "action.requested", ticket["id"])
                                  if a.body["data"]["action"]["type"] == "close_thread"] and
                         mentioning(stack.marketplace, "action.requested", ticket["id"]))
    assert [a.body["data"]["action"]["type"] for a in actions][-1] == "close_thread"  # after its reply
    assert all(a.body["data"]["cause"] == {"kind": "timer", "timer": "auto_close"} for a in actions)
    [closed] = wait_until(lambda: mentioning(seller_receiver, "ticket.closed", ticket["id"]))
    assert closed.body["data"]["ticket"]["close_reason"] == "expired"
    opened = mentioning(seller_receiver, "ticket.opened", ticket["id"])
    assert [a.webhook_id for a in seller_receiver.received if ticket["id"] in str(a.body)] == \
        [opened[0].webhook_id, closed.webhook_id]  # in commit order, once each


def test_a_crj_4_duplicate_payment_sends_one_refund_whatever_the_replays(stack):
    from tests.builders import payment_event
    order = f"e2e-order-{uuid.uuid4().hex[:6]}"
    now = business_now(stack)
    first = payment_event(at=now, payment_id=f"{order}-p1", order_id=order, seller_id="initech-crm",
                          purchase="one_time")
    second = payment_event(at=now + timedelta(minutes=1), payment_id=f"{order}-p2", order_id=order,
                           seller_id="initech-crm", purchase="one_time")
    for attempt in range(3):
        send_webhook(stack, "crmjetty", first, f"{order}-w1")
        send_webhook(stack, "crmjetty", second, f"{order}-w2-{attempt}")
    stack.advance(3 * 24 * 3600 + 600)
    wait_until(lambda: mentioning(stack.marketplace, "action.requested", f"{order}-p2"))
    time.sleep(1.0)  # a second refund would have arrived by now
    refunds = {a.webhook_id for a in mentioning(stack.marketplace, "action.requested", order)
               if a.body["data"]["action"]["type"] == "refund"}
    assert len(refunds) == 1


def test_a_ps_3_reminder_reaches_the_seller_at_75_percent(stack, seller_receiver):
    from tests.builders import message_event
    thread = f"e2e-ps3-{uuid.uuid4().hex[:6]}"
    event = message_event(at=business_now(stack), thread_id=thread, seller_id=SELLER,
                          customer_id=f"{thread}-c", tags=["pre_sale"])
    ticket = send_webhook(stack, "prestashop", event)["ticket"]
    detail = requests.get(f"{stack.url}/v1/tickets/{ticket['id']}", timeout=30,
                          headers={"Authorization": f"Bearer {api_key(SELLER)}"}).json()
    [clock] = [c for c in detail["sla"] if c["state"] == "running"]
    stack.advance(4 * 24 * 3600)
    [reminder] = wait_until(lambda: mentioning(seller_receiver, "sla.reminder", ticket["id"]))
    assert reminder.body["data"]["rule"] == "PS-3"
    assert reminder.body["data"]["clock"]["due_at"].startswith(clock["due_at"][:16])
