"""CMS-4 and CMS-8: one open issue per customer, the oldest stays open.

The slot item in the store says which ticket holds the customer's open issue and when its
first message was sent; these functions decide who gives way when a second one appears.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from pydantic import Field

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import Ticket
from chalicelib.policy.context import RuleContext

from .base import Params, decide


@dataclass(frozen=True)
class SlotHolder:
    ticket_id: str
    opened_key: str

    @property
    def opened_at(self) -> datetime:
        return datetime.fromisoformat(self.opened_key.split("#", 1)[0])


def opened_key(ticket: Ticket) -> str:
    """Orders tickets by their first message: sent_at, then message id to break ties."""
    first = min(ticket.messages, key=lambda m: (m.sent_at, m.message_id))
    return f"{first.sent_at.isoformat()}#{first.message_id}"


class ConcurrentParams(Params):
    window_minutes: Annotated[int, Field(ge=0)] = 10


def concurrent_issue(ctx: RuleContext, rule_id: str, params: ConcurrentParams,
                     holder: SlotHolder) -> Decision | None:
    """CMS-4: of concurrent issues the oldest stays open and the others are closed.

    Returns the decision for whichever ticket must close: `evidence.closed_ticket` names it.
    A newer issue outside the window is left to CMS-8 (a deliberate second issue).
    """
    mine = opened_key(ctx.ticket)
    if mine < holder.opened_key:
        return decide(ctx, rule_id, "close", "concurrent_issue",
                      "an older issue of this customer arrived late; it stays open",
                      closed_ticket=holder.ticket_id, kept_ticket=ctx.ticket.id)
    apart = ctx.ticket.opened_at - holder.opened_at
    if apart <= timedelta(minutes=params.window_minutes):
        return decide(ctx, rule_id, "close", "concurrent_issue",
                      "the customer already has an open issue; this one is closed",
                      closed_ticket=ctx.ticket.id, kept_ticket=holder.ticket_id)
    return None


def second_issue(ctx: RuleContext, rule_id: str, params: Params,
                 holder: SlotHolder) -> Decision | None:
    """CMS-8: opening another issue while one is open is rejected."""
    if opened_key(ctx.ticket) < holder.opened_key:
        return None
    return decide(ctx, rule_id, "reject", "concurrent_issue",
                  "the customer already has an open issue; continue there",
                  closed_ticket=ctx.ticket.id, kept_ticket=holder.ticket_id)
