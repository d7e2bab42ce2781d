"""Workload events and the builder the stories (soak/stories.py) use to write them."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.model import order_subject, ticket_id_for

FOLLOW_UP = "I tried again after clearing the cache and the same problem happens on the product page."


@dataclass(frozen=True)
class Event:
    seq: int
    marketplace: str
    webhook_id: str
    sent_at: datetime
    type: str
    subject: str  # ticket id or order subject
    group: str  # marketplace + customer: events whose relative order may matter
    ref: str  # message id, thread id, payment id or refund id
    body: bytes
    tight: tuple[int, str] | None = None  # (seq of the event sent just before, pair kind)


class Story:
    """Adds one story's events, each at an offset from the story's start."""

    def __init__(self, events: list, rng: random.Random, start: datetime, n: int):
        self.events, self.rng, self.start, self.n = events, rng, start, n
        self.last = -1

    def add(self, marketplace: str, customer: str, offset: float, type_: str, subject: str,
            ref: str, data: dict, tight: str = "") -> None:
        at = self.start + timedelta(seconds=offset)
        stamp = at.isoformat().replace("+00:00", "Z")
        for key in ("sent_at", "closed_at", "occurred_at", "requested_at", "completed_at"):
            if key in data:
                data[key] = stamp
        body = json.dumps({"type": type_, "timestamp": stamp, "data": data}).encode()
        seq = len(self.events)
        self.events.append(Event(seq, marketplace, f"wh_{self.n}_{seq}", at, type_, subject,
                                 f"{marketplace}/{customer}", ref, body, (self.last, tight) if tight else None))
        self.last = seq

    def message(self, marketplace: str, seller: str, customer: str, thread: str, offset: float,
                author: str = "customer", body: str = FOLLOW_UP, tight: str = "", **extra) -> None:
        ref = f"m{len(self.events)}-{thread}"
        self.add(marketplace, customer, offset, "message.created", ticket_id_for(marketplace, thread), ref,
                 {"message_id": ref, "thread_id": thread, "seller_id": seller, "product_id": "p-main",
                  "customer_id": customer, "author": author, "assignee": "anna", "body": body,
                  "sent_at": None, **extra}, tight)

    def close(self, marketplace: str, customer: str, thread: str, offset: float, tight: str = "") -> None:
        self.add(marketplace, customer, offset, "thread.closed", ticket_id_for(marketplace, thread),
                 thread, {"thread_id": thread, "closed_at": None, "closed_by": "seller"}, tight)

    def payment(self, marketplace: str, seller: str, customer: str, order: str, payment: str,
                offset: float, status: str = "succeeded", tight: str = "", **extra) -> None:
        self.add(marketplace, customer, offset, "payment.updated", order_subject(marketplace, seller, order),
                 f"{payment}/{status}",
                 {"payment_id": payment, "order_id": order, "seller_id": seller, "product_id": "p-main",
                  "customer_id": customer, "status": status, "amount": "49.00", "currency": "EUR",
                  "occurred_at": None, **extra}, tight)

    def refund(self, marketplace: str, seller: str, customer: str, order: str, refund: str,
               offset: float, completed: bool, **extra) -> None:
        """With `seller_id`, so a refund that overtakes its payment still finds its order."""
        type_ = "refund.completed" if completed else "refund.requested"
        data = ({"refund_id": refund, "order_id": order, "completed_at": None} if completed else
                {"refund_id": refund, "order_id": order, "customer_id": customer,
                 "requested_at": None, **extra})
        data["seller_id"] = seller
        self.add(marketplace, customer, offset, type_, order_subject(marketplace, seller, order),
                 f"{refund}/{type_}", data)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def between(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high)
