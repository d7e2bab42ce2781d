"""Response shapes, as pydantic models, for the OpenAPI document and response checks in tests."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorDetail(_Out):
    field: str
    problem: str


class ErrorInfo(_Out):
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorBody(_Out):
    error: ErrorInfo


class Decision(_Out):
    rule: str
    outcome: Literal["accept", "reject", "close", "request_info", "chargeable", "redirect", "flag"]
    reason: str
    evidence: dict[str, Any]
    policy: str
    code: str | None = None
    shadow: bool | None = None  # true: a `mode: shadow` rule's decision, recorded only


class Action(_Out):
    type: str


class TicketSummary(_Out):
    id: str
    thread_id: str
    marketplace: str
    seller_id: str
    product_id: str
    customer_id: str
    status: Literal["open", "closed", "rejected"]
    opened_at: str
    closed_at: str | None
    close_reason: str | None


class MessageOut(_Out):
    message_id: str
    author: Literal["customer", "seller", "marketplace"]
    body: str
    sent_at: str


class SlaClock(_Out):
    name: str
    started_at: str
    due_at: str | None
    state: Literal["running", "paused", "met", "breached"]


class PendingTimer(_Out):
    kind: str
    due_at: str


class TicketDetail(TicketSummary):
    messages: list[MessageOut]
    decisions: list[Decision]
    shadow_decisions: list[Decision] = []  # what `mode: shadow` rules would have decided
    sla: list[SlaClock]
    timers: list[PendingTimer]


class TicketPage(_Out):
    items: list[TicketSummary]
    next_cursor: str | None


class WebhookResponse(_Out):
    event_id: str
    duplicate: bool
    ticket: TicketSummary | None = None
    decisions: list[Decision]
    actions: list[Action]


class SlaReport(_Out):
    since: str | None
    until: str | None
    tickets: int
    by_status: dict[str, int]
    clocks: dict[str, dict[str, int]]
    compliance: float | None


class SupportHours(_Out):
    rule: str
    policy: str
    open_now: bool
    now: str
    closes_at: str | None
    next_opening: str
    calendar: dict[str, Any]


class EntitlementItem(_Out):
    marketplace: str
    kind: str
    rule: str
    product_id: str
    shop: str | None
    payment_id: str
    starts_at: str
    ends_at: str
    ended_by: str | None
    covered_now: bool


class Entitlements(_Out):
    customer_id: str
    product_id: str | None
    covered: bool
    until: str | None
    items: list[EntitlementItem]


class CredentialItem(_Out):
    entry: str
    kind: str
    label: str
    value: str


class Credentials(_Out):
    ticket_id: str
    items: list[CredentialItem]


class Health(_Out):
    status: Literal["ok"]


MODELS = {"ErrorBody": ErrorBody, "WebhookResponse": WebhookResponse, "TicketPage": TicketPage,
          "TicketDetail": TicketDetail, "Health": Health, "SlaReport": SlaReport,
          "SupportHours": SupportHours, "Entitlements": Entitlements, "Credentials": Credentials}
