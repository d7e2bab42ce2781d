"""On the local stack: PS-1 refuses, a Business Care payment serves, a completed refund refuses again."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.builders import iso, message_event, payment_event, refund_completed_event

from .helpers import read, send

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_ps_1_refused_then_served_then_refused_after_the_refund(local_stack):
    now = datetime.now(timezone.utc)
    customer, order = f"cust-{uuid.uuid4().hex[:8]}", f"order-{uuid.uuid4().hex[:8]}"

    def ticket(n: int) -> dict:
        event = message_event(thread_id=f"{customer}-{n}", seller_id="globex-addons",
                              customer_id=customer, shop_url="https://www.ma-boutique.fr/",
                              at=now + timedelta(seconds=n))
        return send(local_stack, "prestashop", event).json()

    assert ticket(1)["decided_by"] == "PS-1"

    paid = payment_event(order_id=order, seller_id="globex-addons", customer_id=customer,
                         plan="business_care", shop_url="MA-BOUTIQUE.fr",
                         covers_until=iso(now + timedelta(days=365)), at=now)
    assert send(local_stack, "prestashop", paid).status_code == 200
    served = ticket(2)
    assert served["ticket"]["status"] == "open" and served["decided_by"] is None
    covered = read(local_stack, f"/v1/entitlements?customer_id={customer}", "globex-addons").json()
    assert covered["covered"] is True and covered["items"][0]["rule"] == "PS-1"

    refunded = refund_completed_event(order_id=order, at=now + timedelta(seconds=3))
    assert send(local_stack, "prestashop", refunded).status_code == 200
    assert read(local_stack, f"/v1/tickets/{served['ticket']['id']}", "globex-addons").json()[
        "close_reason"] == "entitlement_ended"
    assert ticket(4)["decided_by"] == "PS-1"
