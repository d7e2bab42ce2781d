"""The seller summary's shape (GET /v1/sla/summary), for the OpenAPI document and tests."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class SummaryClock(_Out):
    ticket_id: str
    thread_id: str
    rule: str
    clock: str
    state: str
    due_at: str
    reminder_at: str | None
    business_seconds_left: int


class SummaryRatio(_Out):
    met: int
    breached: int
    ratio: float | None


class SummaryDay(_Out):
    date: str
    met: int
    breached: int


class SummaryRuleCompliance(_Out):
    seven_days: SummaryRatio
    thirty_days: SummaryRatio
    daily: list[SummaryDay]

    model_config = ConfigDict(extra="allow", populate_by_name=True,
                              alias_generator=lambda name: {"seven_days": "7d",
                                                            "thirty_days": "30d"}.get(name, name))


class SummaryMedian(_Out):
    business_hours: float | None
    answers: int


class SummaryAutoClose(_Out):
    ticket_id: str
    due_at: str
    rule: str


class SummaryOrderDeadline(_Out):
    rule: str
    marketplace: str
    order_id: str
    payment_id: str


class SummaryEndpoint(_Out):
    endpoint_id: str
    url: str
    status: str
    last_success_at: str | None
    failing_since: str | None


class SummaryReadLimit(_Out):
    read: int
    cap: int
    truncated: bool


class SlaSummary(_Out):
    seller_id: str
    now: str
    open_tickets: int
    next_deadlines: list[SummaryClock]
    at_risk: list[SummaryClock]
    at_risk_count: int
    breached: list[SummaryClock]
    breached_count: int
    compliance: dict[str, SummaryRuleCompliance]
    median_first_response: SummaryMedian
    auto_closes_next_24h: list[SummaryAutoClose]
    refund_windows_closing: list[SummaryOrderDeadline]
    business_care_ending: list[SummaryOrderDeadline]
    duplicate_payments_awaiting_refund: list[SummaryOrderDeadline]
    endpoints: list[SummaryEndpoint]
    limits: dict[str, SummaryReadLimit]


MODELS = {"SlaSummary": SlaSummary}
