"""What the marketplace is asked to do, as typed values; JSON only at the edge (services/views)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    template: str
    language: str
    text: str


@dataclass(frozen=True)
class CloseThread:
    """Close the marketplace thread; `thread_id` names it when it is not the webhook's own."""

    thread_id: str | None = None


@dataclass(frozen=True)
class RequestInfo:
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpenNewThread:
    """CMS-6: the customer must open a new issue instead of writing on a closed one."""


@dataclass(frozen=True)
class IssueRefund:
    payment_id: str


Action = Reply | CloseThread | RequestInfo | OpenNewThread | IssueRefund
