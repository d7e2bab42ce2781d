"""What a rule sees: the ticket, the message, the shared text analysis, facts and now. Pure data."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.domain.model import Message, Payment, Refund, Ticket
from chalicelib.text.facts import TextFacts


@dataclass(frozen=True)
class RuleContext:
    ticket: Ticket
    message: Message
    text: TextFacts
    now: datetime
    opening: bool  # the message opens the ticket
    policy: str  # "<profile>@<version>", recorded on every decision (CRJ-11)
    payments: tuple[Payment, ...] = ()  # the customer's settled payments on this marketplace
    refunds: tuple[Refund, ...] = ()
    zone: str = "UTC"
    extra: dict[str, Any] = field(default_factory=dict)
