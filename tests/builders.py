"""Memorable test data: small builders with overrides, and a real Standard Webhooks signer."""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
from datetime import datetime, timedelta, timezone

from standardwebhooks.webhooks import Webhook

SECRET = "whsec_" + base64.b64encode(b"ticketwarden-test-secret-0001").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"ticketwarden-rotated-secret-02").decode()
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # a Monday, 09:00 UTC
_ids = itertools.count(1)


def iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def next_id(prefix: str) -> str:
    return f"{prefix}_{next(_ids):06d}"


def message_event(*, at: datetime = T0, **data) -> dict:
    body = {"message_id": next_id("msg"), "thread_id": "thread-1", "seller_id": "acme",
            "product_id": "one-step-checkout", "customer_id": "cust-1", "author": "customer",
            "assignee": "anna",
            "body": "Hello, the checkout page shows a blank screen after I enabled the module. "
                    "How can I fix it?", "sent_at": iso(at)}
    body.update(data)
    return {"type": "message.created", "timestamp": iso(at), "data": body}


def thread_closed_event(*, thread_id: str = "thread-1", at: datetime = T0, **data) -> dict:
    return {"type": "thread.closed", "timestamp": iso(at),
            "data": {"thread_id": thread_id, "closed_at": iso(at), **data}}


def payment_event(*, at: datetime = T0, **data) -> dict:
    body = {"payment_id": next_id("pay"), "order_id": "order-1", "seller_id": "acme",
            "product_id": "one-step-checkout", "customer_id": "cust-1", "status": "succeeded",
            "amount": "49.00", "currency": "EUR", "occurred_at": iso(at)}
    body.update(data)
    return {"type": "payment.updated", "timestamp": iso(at), "data": body}


def refund_requested_event(*, at: datetime = T0, **data) -> dict:
    body = {"refund_id": next_id("ref"), "order_id": "order-1", "customer_id": "cust-1",
            "reason": "not_working", "requested_at": iso(at)}
    body.update(data)
    return {"type": "refund.requested", "timestamp": iso(at), "data": body}


def refund_completed_event(*, at: datetime = T0, **data) -> dict:
    body = {"refund_id": next_id("ref"), "order_id": "order-1", "completed_at": iso(at)}
    body.update(data)
    return {"type": "refund.completed", "timestamp": iso(at), "data": body}


def encode(event: dict | bytes) -> bytes:
    return event if isinstance(event, bytes) else json.dumps(event).encode()


def signed_headers(body: bytes, *, secret: str = SECRET, webhook_id: str | None = None,
                   signed_at: datetime | None = None) -> dict[str, str]:
    """Sign exactly as a marketplace would, with the standardwebhooks package."""
    webhook_id = webhook_id or next_id("wh")
    signed_at = signed_at or datetime.now(timezone.utc)
    signature = Webhook(secret).sign(webhook_id, signed_at, body.decode())
    return {"webhook-id": webhook_id, "webhook-timestamp": str(int(signed_at.timestamp())),
            "webhook-signature": signature, "content-type": "application/json"}


def raw_signed_headers(body: bytes, *, secret: str = SECRET, webhook_id: str | None = None,
                       signed_at: datetime | None = None) -> dict[str, str]:
    """The same scheme by hand over raw bytes, for bodies the str-only client cannot take
    (not UTF-8, a BOM, UTF-16): they must reach the body checks, not stop at the 401."""
    webhook_id = webhook_id or next_id("wh")
    signed_at = signed_at or datetime.now(timezone.utc)
    timestamp = str(int(signed_at.timestamp()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return {"webhook-id": webhook_id, "webhook-timestamp": timestamp,
            "webhook-signature": "v1," + base64.b64encode(mac).decode(),
            "content-type": "application/json"}


def stale(minutes: int) -> datetime:
    return datetime.now(timezone.utc) - timedelta(minutes=minutes)
