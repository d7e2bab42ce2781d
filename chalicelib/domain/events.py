"""Events as the domain sees them, already validated at the edge."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .model import Message, Payment, Refund


@dataclass(frozen=True)
class Delivery:
    """One webhook delivery: who sent it, its id, and a hash of its exact body."""

    marketplace: str
    webhook_id: str
    body_hash: str
    event_type: str


@dataclass(frozen=True)
class MessageCreated:
    thread_id: str
    seller_id: str
    product_id: str
    customer_id: str
    message: Message


@dataclass(frozen=True)
class ThreadClosed:
    thread_id: str
    closed_at: datetime
    closed_by: str | None = None


@dataclass(frozen=True)
class PaymentUpdated:
    payment: Payment


@dataclass(frozen=True)
class RefundRequested:
    refund: Refund


@dataclass(frozen=True)
class RefundCompleted:
    refund: Refund


@dataclass(frozen=True)
class TimerFired:
    """An EventBridge Scheduler schedule reached its time (the `timer` Lambda's input)."""

    subject_id: str
    kind: str
    version: int
    due_at: datetime


Event = (MessageCreated | ThreadClosed | PaymentUpdated | RefundRequested | RefundCompleted
         | TimerFired)
